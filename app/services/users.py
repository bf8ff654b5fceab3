"""Accounts: register, sign in (throttled), tokens that expire and can be revoked, settings,
erase."""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass

from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from app.core.security import (
    create_token,
    hash_password,
    password_problem,
    read_token,
    verify_password,
)
from app.services import limits
from app.services.errors import Conflict, Invalid
from app.services.runtime import Runtime
from app.store.models import Interview, RevokedToken, User
from app.store.types import utcnow


async def register(*, runtime: Runtime, username: str, password: str) -> User:
    """Create an account; usernames are unique (case-insensitive), passwords hard to guess."""
    problem = await password_problem(password, username=username)
    if problem is not None:
        raise Invalid(problem)
    password_hash = await hash_password(password, profile=runtime.settings.password_hash_profile)
    user = User(username=username.lower(), password_hash=password_hash)
    async with runtime.writing() as session:
        session.add(user)
        try:
            await session.commit()
        except IntegrityError as error:
            raise Conflict(f"the username {username!r} is taken") from error
    return user


def address_key(address: str) -> str:
    """Whom a per-address limit counts: the IPv4 address, or the IPv6 /64 (one host can use
    every address of its /64, so counting single IPv6 addresses would not limit it)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _name_key(username: str) -> str:
    # the counter's key holds 200 characters; no account has a name over 32, but a guess may
    name = username.lower()
    return name if len(name) <= 64 else "sha256:" + hashlib.sha256(name.encode()).hexdigest()


def sign_in_budgets(*, runtime: Runtime, username: str, address: str) -> list[limits.Budget]:
    """The failed sign-ins one address, and one username, may have per window."""
    settings = runtime.settings
    window = settings.login_window_seconds
    return [
        limits.Budget(
            key=f"login:address:{address_key(address)}",
            limit=settings.login_attempts_per_address,
            window_seconds=window,
            message="too many failed sign-ins from this address; wait and retry",
        ),
        limits.Budget(
            key=f"login:user:{_name_key(username)}",
            limit=settings.login_attempts_per_user,
            window_seconds=window,
            message="too many failed sign-ins for this username; wait and retry",
        ),
    ]


async def authenticate(
    *, runtime: Runtime, username: str, password: str, address: str
) -> User | None:
    """The user with these credentials, or None; failures are limited per address and per name.

    A failure is reserved before the password is checked and given back when it matches, so
    however many attempts arrive at once, at most the limit of wrong passwords is ever checked.
    """
    if "\x00" in username:  # no account can have it, and PostgreSQL cannot compare it
        return None
    budgets = sign_in_budgets(runtime=runtime, username=username, address=address)
    reserved = await limits.reserve(runtime=runtime, budgets=budgets)
    async with runtime.reading() as session:
        user = (await session.exec(select(User).where(User.username == username.lower()))).first()
    valid = await verify_password(
        password,
        user.password_hash if user else None,
        profile=runtime.settings.password_hash_profile,
    )
    if user is None or not valid:
        return None  # the reserved failure stays counted
    await limits.refund(runtime=runtime, reservations=reserved)
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
    async with runtime.writing() as session:
        await session.exec(sql_delete(RevokedToken).where(col(RevokedToken.expires_at) < utcnow()))
        if await session.get(RevokedToken, claims.jti) is None:
            session.add(RevokedToken(jti=claims.jti, expires_at=claims.expires_at))
        await session.commit()
    runtime.token_cache.forget(claims.jti)  # other processes: within token_cache_seconds


@dataclass(frozen=True)
class AccountSettings:
    """What a user chooses for their account."""

    # "Keep my recordings": spoken answers' recordings are stored with their messages
    keep_recordings: bool


async def settings_of(*, runtime: Runtime, user: User) -> AccountSettings:
    """The user's settings as stored now (a signed-in account may be a cached copy)."""
    async with runtime.reading() as session:
        query = select(User.keep_recordings).where(User.id == user.id)
        keep = (await session.exec(query)).first()
    return AccountSettings(keep_recordings=bool(keep))


async def change_settings(
    *, runtime: Runtime, user: User, keep_recordings: bool | None = None
) -> AccountSettings:
    """Change the settings given; turning recordings off stores no new ones and deletes none."""
    if keep_recordings is not None:
        async with runtime.writing() as session:
            await session.exec(
                sql_update(User)
                .where(col(User.id) == user.id)
                .values(keep_recordings=keep_recordings)
            )
            await session.commit()
        runtime.token_cache.forget_where(lambda cached: cached.id == user.id)
    return await settings_of(runtime=runtime, user=user)


async def erase(*, runtime: Runtime, user: User) -> None:
    """Delete the account with all its interviews, messages and scorecards."""
    async with runtime.writing() as session:
        await session.exec(sql_delete(Interview).where(col(Interview.owner_id) == user.id))
        await session.exec(sql_delete(User).where(col(User.id) == user.id))
        await session.commit()
    runtime.token_cache.forget_where(lambda cached: cached.id == user.id)
