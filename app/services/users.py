"""Accounts: register, sign in (throttled), tokens that expire and can be revoked, erase."""

from __future__ import annotations

import contextlib

from sqlalchemy import delete as sql_delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from app.core.security import create_token, hash_password, read_token, verify_password
from app.services import limits
from app.services.errors import Conflict, RateLimited
from app.services.runtime import Runtime
from app.store.models import Interview, RevokedToken, User
from app.store.types import utcnow

# verified against when the username is unknown, so timing does not reveal which users exist
_DUMMY_HASH = hash_password("onsite-timing-equaliser")


async def register(*, runtime: Runtime, username: str, password: str) -> User:
    """Create an account; usernames are unique (case-insensitive)."""
    user = User(username=username.lower(), password_hash=hash_password(password))
    async with runtime.sessions() as session:
        session.add(user)
        try:
            await session.commit()
        except IntegrityError as error:
            raise Conflict(f"the username {username!r} is taken") from error
    return user


async def authenticate(*, runtime: Runtime, username: str, password: str) -> User | None:
    """The user with these credentials, or None; repeated failures lock the name for a while."""
    if "\x00" in username:  # no account can have it, and PostgreSQL cannot compare it
        return None
    settings = runtime.settings
    key = f"login:{username.lower()}"
    window = {"limit": settings.login_attempts, "window_seconds": settings.login_window_seconds}
    await limits.refuse_if_spent(
        runtime=runtime,
        key=key,
        message="too many failed sign-ins for this username; wait and retry",
        **window,
    )
    async with runtime.reading() as session:
        user = (await session.exec(select(User).where(User.username == username.lower()))).first()
    valid = verify_password(password, user.password_hash if user else _DUMMY_HASH)
    if user is None or not valid:
        with contextlib.suppress(RateLimited):  # a concurrent failure counted the last one
            await limits.count(runtime=runtime, key=key, message="", **window)
        return None
    await limits.forget(runtime=runtime, key=key)
    return user


def issue_token(*, runtime: Runtime, user: User) -> str:
    """A bearer token for the user."""
    settings = runtime.settings
    return create_token(
        user_id=user.id,
        secret=settings.secret_key.get_secret_value(),
        minutes=settings.token_minutes,
    )


async def from_token(*, runtime: Runtime, token: str) -> User | None:
    """The user a valid, unrevoked token belongs to, or None (remembered for a few seconds)."""
    claims = read_token(token, secret=runtime.settings.secret_key.get_secret_value())
    if claims is None:
        return None

    async def load() -> User | None:
        revoked = select(RevokedToken.jti).where(RevokedToken.jti == claims.jti).exists()
        async with runtime.reading() as session:
            query = select(User).where(User.id == claims.user_id, ~revoked)
            return (await session.exec(query)).first()

    # concurrent requests with one token (a burst after a restart) share one lookup
    return await runtime.token_cache.get_or_load(claims.jti, load)


async def revoke(*, runtime: Runtime, token: str) -> None:
    """Sign a token out before it expires (expired revocations are pruned)."""
    claims = read_token(token, secret=runtime.settings.secret_key.get_secret_value())
    if claims is None:
        return
    async with runtime.sessions() as session:
        await session.exec(sql_delete(RevokedToken).where(col(RevokedToken.expires_at) < utcnow()))
        if await session.get(RevokedToken, claims.jti) is None:
            session.add(RevokedToken(jti=claims.jti, expires_at=claims.expires_at))
        await session.commit()
    runtime.token_cache.forget(claims.jti)  # other processes: within token_cache_seconds


async def erase(*, runtime: Runtime, user: User) -> None:
    """Delete the account with all its interviews, messages and scorecards."""
    async with runtime.sessions() as session:
        await session.exec(sql_delete(Interview).where(col(Interview.owner_id) == user.id))
        await session.exec(sql_delete(User).where(col(User.id) == user.id))
        await session.commit()
    runtime.token_cache.forget_where(lambda cached: cached.id == user.id)
