"""Share links: an expiring, revocable, read-only link to one scorecard or hiring packet."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.scoring.committee import HiringPacket
from app.services import loops, scoring
from app.services.errors import Conflict, Invalid, NotFound, ServiceError
from app.services.interviews import get_owned
from app.services.runtime import Runtime
from app.services.scoring import StoredScorecard
from app.store.models import Interview, InterviewStatus, ShareLink, User

Kind = Literal["scorecard", "packet"]
MAX_DAYS = 30


class Gone(ServiceError):
    """A share link that was revoked or has expired."""

    status = 410
    code = "gone"


@dataclass(frozen=True)
class SharedScorecard:
    """What a scorecard link shows: the interview's round and its scorecard."""

    interview: Interview
    card: StoredScorecard


@dataclass(frozen=True)
class SharedPacket:
    """What a packet link shows: the run and its hiring packet."""

    view: loops.RunView
    packet: HiringPacket


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create(
    *,
    runtime: Runtime,
    owner: User,
    kind: Kind,
    target: uuid.UUID,
    days: int,
) -> tuple[ShareLink, str]:
    """A new link to one of the caller's scored interviews or complete runs, and its token
    (shown this once: only its hash is kept)."""
    if not 1 <= days <= MAX_DAYS:
        raise Invalid(f"a link lasts 1-{MAX_DAYS} days, not {days}")
    if kind == "scorecard":
        async with runtime.reading() as session:
            interview = await get_owned(session=session, owner=owner, interview_id=target)
        if interview.status is not InterviewStatus.scored:
            raise Conflict("only a scored interview's scorecard can be shared; finish it first")
    else:
        await loops.packet(runtime=runtime, owner=owner, run_id=target)  # 404 / 409 as it says
    token = secrets.token_urlsafe(24)
    link = ShareLink(
        owner_id=owner.id,
        token_hash=_hash(token),
        kind=kind,
        interview_id=target if kind == "scorecard" else None,
        run_id=target if kind == "packet" else None,
        expires_at=runtime.clock() + timedelta(days=days),
    )
    async with runtime.writing() as session:
        session.add(link)
        await session.commit()
    return link, token


async def list_owned(*, runtime: Runtime, owner: User) -> list[ShareLink]:
    """The caller's links, newest first."""
    async with runtime.reading() as session:
        rows = await session.exec(
            select(ShareLink)
            .where(ShareLink.owner_id == owner.id)
            .order_by(col(ShareLink.created_at).desc(), col(ShareLink.id).desc())
        )
        return list(rows.all())


async def revoke(*, runtime: Runtime, owner: User, link_id: int) -> None:
    """Stop a link working now (revoking twice is harmless)."""
    async with runtime.writing() as session:
        link = (
            await session.exec(
                select(ShareLink).where(ShareLink.id == link_id, ShareLink.owner_id == owner.id)
            )
        ).first()
        if link is None:
            raise NotFound("share link not found")
        if link.revoked_at is None:
            link.revoked_at = runtime.clock()
            session.add(link)
            await session.commit()


async def _count_view(session: AsyncSession, runtime: Runtime, token: str) -> ShareLink:
    found = (
        await session.exec(select(ShareLink).where(ShareLink.token_hash == _hash(token)))
    ).first()
    if found is None:
        raise NotFound("no such share link")
    now = runtime.clock()
    if found.revoked_at is not None or found.expires_at <= now:
        raise Gone("this link was revoked or has expired; ask for a new one")
    await session.exec(
        update(ShareLink)
        .where(col(ShareLink.id) == found.id)
        .values(views=col(ShareLink.views) + 1, last_viewed_at=now)
    )
    await session.commit()
    return found


async def open_link(*, runtime: Runtime, token: str) -> SharedScorecard | SharedPacket:
    """What a link shows, counting the view; 404 for an unknown token, 410 when it stopped."""
    if not 16 <= len(token) <= 64:
        raise NotFound("no such share link")
    async with runtime.writing() as session:
        link = await _count_view(session, runtime, token)
        owner = await session.get(User, link.owner_id)
    assert owner is not None  # the link goes with its owner
    if link.kind == "scorecard" and link.interview_id is not None:
        interview, card = await scoring.read_scorecard(
            runtime=runtime, owner=owner, interview_id=link.interview_id
        )
        return SharedScorecard(interview=interview, card=card)
    assert link.run_id is not None
    view, packet = await loops.packet(runtime=runtime, owner=owner, run_id=link.run_id)
    return SharedPacket(view=view, packet=packet)
