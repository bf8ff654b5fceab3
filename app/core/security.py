"""Password hashing and bearer tokens."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from pwdlib import PasswordHash

from app.store.types import utcnow

ALGORITHM = "HS256"
_hasher = PasswordHash.recommended()


@dataclass(frozen=True)
class TokenClaims:
    """Who a token is for, its id (for revocation) and when it expires."""

    user_id: uuid.UUID
    jti: str
    expires_at: datetime


def hash_password(password: str) -> str:
    """An argon2 hash of the password."""
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """True when the password matches the stored hash."""
    return _hasher.verify(password, password_hash)


def create_token(*, user_id: uuid.UUID, secret: str, minutes: int) -> str:
    """A signed bearer token for the user that expires after `minutes`."""
    now = utcnow()
    claims = {
        "sub": str(user_id),
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + timedelta(minutes=minutes),
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(token: str, *, secret: str) -> TokenClaims | None:
    """The claims of a valid, unexpired token, else None."""
    try:
        claims = jwt.decode(
            token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub", "jti"]}
        )
        return TokenClaims(
            user_id=uuid.UUID(claims["sub"]),
            jti=str(claims["jti"]),
            expires_at=datetime.fromtimestamp(claims["exp"], UTC),
        )
    except (jwt.PyJWTError, KeyError, ValueError):
        return None
