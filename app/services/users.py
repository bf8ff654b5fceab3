"""Accounts: register, sign in, resolve a bearer token."""

from __future__ import annotations

import uuid

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from app.core.security import create_token, hash_password, read_token, verify_password
from app.services.errors import Conflict
from app.services.runtime import Runtime
from app.store.models import User

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
    """The user with these credentials, or None."""
    async with runtime.sessions() as session:
        user = (await session.exec(select(User).where(User.username == username.lower()))).first()
    if user is None:
        verify_password(password, _DUMMY_HASH)
        return None
    return user if verify_password(password, user.password_hash) else None


def issue_token(*, runtime: Runtime, user: User) -> str:
    """A bearer token for the user."""
    settings = runtime.settings
    return create_token(
        user_id=user.id,
        secret=settings.secret_key.get_secret_value(),
        minutes=settings.token_minutes,
    )


async def from_token(*, runtime: Runtime, token: str) -> User | None:
    """The user a valid token belongs to, or None."""
    user_id: uuid.UUID | None = read_token(
        token, secret=runtime.settings.secret_key.get_secret_value()
    )
    if user_id is None:
        return None
    async with runtime.sessions() as session:
        return await session.get(User, user_id)
