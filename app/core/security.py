"""Password hashing (off the event loop), the password policy, and bearer tokens."""

from __future__ import annotations

import asyncio
import functools
import os
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from zxcvbn import zxcvbn

from app.store.types import utcnow

ALGORITHM = "HS256"
T = TypeVar("T")
HashProfile = Literal["production", "test"]
# zxcvbn's scale: 3 is "safely unguessable" (about 10^8 guesses or more), which leaves out the
# breached-password lists, keyboard walks, dates, repeats and the username with a suffix
MIN_PASSWORD_SCORE = 3

# argon2 takes ~0.1-0.6 s of CPU: in the event loop it would stall every request meanwhile.
# It runs in a pool of its own (argon2-cffi releases the GIL), one thread per CPU the process
# may use, so a burst of sign-ins queues here instead of taking every thread of the loop's
# default executor or the memory of dozens of 64 MiB hashes at once
_POOL = ThreadPoolExecutor(
    max_workers=len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2,
    thread_name_prefix="argon2",
)


@functools.cache
def _hasher(profile: HashProfile) -> PasswordHash:
    # a hash records its own parameters, so either profile verifies the other's hashes
    if profile == "test":  # the cheapest argon2 allows: the suite signs up hundreds of users
        return PasswordHash((Argon2Hasher(time_cost=1, memory_cost=8, parallelism=1),))
    return PasswordHash.recommended()


@functools.cache
def _dummy_hash(profile: HashProfile) -> str:
    return _hasher(profile).hash("onsite-timing-equaliser")


@dataclass(frozen=True)
class TokenClaims:
    """Who a token is for, its id (for revocation) and when it expires."""

    user_id: uuid.UUID
    jti: str
    expires_at: datetime


async def _off_loop(work: Callable[..., T], *args: Any) -> T:
    return await asyncio.get_running_loop().run_in_executor(_POOL, work, *args)


async def hash_password(password: str, *, profile: HashProfile) -> str:
    """An argon2 hash of the password, computed off the event loop."""
    return await _off_loop(_hasher(profile).hash, password)


def _verify(password: str, password_hash: str | None, profile: HashProfile) -> bool:
    valid = _hasher(profile).verify(password, password_hash or _dummy_hash(profile))
    return valid and password_hash is not None


async def verify_password(
    password: str, password_hash: str | None, *, profile: HashProfile
) -> bool:
    """True when the password matches the stored hash, checked off the event loop; with no hash
    (an unknown user) a dummy one is checked, so timing does not tell which users exist."""
    return await _off_loop(_verify, password, password_hash, profile)


async def password_problem(password: str, *, username: str) -> str | None:
    """Why the password is too easy to guess (breached, common, the username), else None."""
    return await _off_loop(_password_problem, password, username)


def _password_problem(password: str, username: str) -> str | None:
    if password.strip().casefold() == username.strip().casefold():
        return "the password must not be the username"
    # zxcvbn takes at most 72 characters (~40 ms of CPU); the start is plenty to judge by
    result = zxcvbn(password[:72], user_inputs=[username])
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    feedback = result["feedback"]
    advice = " ".join(filter(None, [feedback.get("warning"), *feedback.get("suggestions", [])]))
    reason = "the password is too easy to guess"
    return f"{reason}: {advice}" if advice else f"{reason}; choose a longer passphrase"


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
