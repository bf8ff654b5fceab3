"""Recordings of spoken answers, kept only for a user who opted in ("Keep my recordings").

A turn is stored as ever, before anything else; the browser then sends the answer's recording
(one part per take) to its message. Without the opt-in nothing is stored and the upload is
refused. Recordings go with their message: deleting the interview or the account deletes
them; the owner can delete one message's, or all of them, at any time.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete as sql_delete
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from app.services.errors import Conflict, Forbidden, NotFound
from app.services.interviews import get_owned
from app.services.runtime import Runtime
from app.services.speech import Recording, check_recording
from app.speech.audio import FORMATS, wav_seconds
from app.store.models import Interview, Message, MessageRecording, User

MAX_PARTS = 10  # takes of one answer; each is at most ONSITE_STT_MAX_BYTES
NOT_OPTED_IN = (
    "recordings are not kept for you: turn on “Keep my recordings” in Settings (or PATCH "
    "/api/v1/users/me/settings with keep_recordings true) first; nothing was stored"
)


@dataclass(frozen=True)
class KeptRecording:
    """A kept recording, without its bytes."""

    seq: int
    part: int
    media_type: str
    size: int
    duration_seconds: float | None
    created_at: datetime


@dataclass(frozen=True)
class RecordingAudio:
    """A kept recording's bytes and what they are."""

    data: bytes
    media_type: str


@dataclass(frozen=True)
class Summary:
    """How many recordings a user keeps, and their size."""

    count: int
    size: int


async def keeps_recordings(*, session: AsyncSession, owner: User) -> bool:
    """The owner's setting as stored now (not a cached copy of the account)."""
    query = select(User.keep_recordings).where(User.id == owner.id)
    return bool((await session.exec(query)).first())


async def keep(
    *,
    runtime: Runtime,
    owner: User,
    interview_id: uuid.UUID,
    seq: int,
    part: int,
    recording: Recording,
) -> KeptRecording:
    """Store (or replace) one take of a spoken answer's recording, if the owner opted in."""
    async with runtime.reading() as session:
        await _voiced_message(session=session, owner=owner, interview_id=interview_id, seq=seq)
        if not await keeps_recordings(session=session, owner=owner):
            raise Forbidden(NOT_OPTED_IN)
    settings = runtime.settings
    kind = check_recording(
        recording, max_bytes=settings.stt_max_bytes, max_seconds=settings.stt_max_seconds
    )
    async with runtime.writing() as session:
        # again in the write: a setting turned off meanwhile stops this one too
        if not await keeps_recordings(session=session, owner=owner):
            raise Forbidden(NOT_OPTED_IN)
        message = await _voiced_message(
            session=session, owner=owner, interview_id=interview_id, seq=seq
        )
        query = select(MessageRecording).where(
            MessageRecording.message_id == message.id, MessageRecording.part == part
        )
        kept = (await session.exec(query)).first() or MessageRecording(
            message_id=message.id or 0, part=part, media_type="", size=0, data=b""
        )
        kept.media_type = FORMATS[kind][1]
        kept.size = len(recording.data)
        kept.duration_seconds = (
            wav_seconds(recording.data) if kind == "wav" else None
        ) or recording.declared_seconds
        kept.data = recording.data
        session.add(kept)
        try:
            await session.commit()
        except IntegrityError as error:  # the same take sent twice at once
            raise Conflict("this recording is being stored already; reload to see it") from error
        return _described(seq, kept)


async def listed(*, runtime: Runtime, owner: User, interview_id: uuid.UUID) -> list[KeptRecording]:
    """The recordings kept for an interview's messages, in order (without their bytes)."""
    query = (
        select(Message.seq, MessageRecording)
        .join(Message, col(Message.id) == col(MessageRecording.message_id))
        .where(Message.interview_id == interview_id)
        # SQLModel types a column as its value; at runtime it is the attribute defer() takes
        .options(defer(MessageRecording.data))  # type: ignore[arg-type]
        .order_by(col(Message.seq), col(MessageRecording.part))
    )
    async with runtime.reading() as session:
        await get_owned(session=session, owner=owner, interview_id=interview_id)
        rows = (await session.exec(query)).all()
    return [_described(seq, kept) for seq, kept in rows]


async def by_message(
    *, runtime: Runtime, owner: User, interview_id: uuid.UUID
) -> dict[int, list[KeptRecording]]:
    """The kept takes of each spoken answer of an interview, by the message's seq."""
    found: dict[int, list[KeptRecording]] = {}
    for kept in await listed(runtime=runtime, owner=owner, interview_id=interview_id):
        found.setdefault(kept.seq, []).append(kept)
    return found


async def audio(
    *, runtime: Runtime, owner: User, interview_id: uuid.UUID, seq: int, part: int
) -> RecordingAudio:
    """One kept take's bytes, for its owner to play back."""
    query = (
        select(MessageRecording.data, MessageRecording.media_type)
        .join(Message, col(Message.id) == col(MessageRecording.message_id))
        .where(
            Message.interview_id == interview_id,
            Message.seq == seq,
            MessageRecording.part == part,
        )
    )
    async with runtime.reading() as session:
        await get_owned(session=session, owner=owner, interview_id=interview_id)
        row = (await session.exec(query)).first()
    if row is None:
        raise NotFound(f"no recording is kept of message {seq} (part {part})")
    return RecordingAudio(data=row[0], media_type=row[1])


async def delete_of_message(
    *, runtime: Runtime, owner: User, interview_id: uuid.UUID, seq: int
) -> int:
    """Delete a message's recording (every take); how many takes were deleted."""
    async with runtime.writing() as session:
        await get_owned(session=session, owner=owner, interview_id=interview_id)
        ids = select(Message.id).where(Message.interview_id == interview_id, Message.seq == seq)
        deleted = await session.exec(
            sql_delete(MessageRecording).where(col(MessageRecording.message_id).in_(ids))
        )
        await session.commit()
    return int(deleted.rowcount or 0)


async def delete_all(*, runtime: Runtime, owner: User) -> int:
    """Delete every recording the owner keeps; how many were deleted."""
    async with runtime.writing() as session:
        deleted = await session.exec(
            sql_delete(MessageRecording).where(col(MessageRecording.message_id).in_(_owned(owner)))
        )
        await session.commit()
    return int(deleted.rowcount or 0)


async def summary(*, runtime: Runtime, owner: User) -> Summary:
    """How many recordings the owner keeps, and their total size in bytes."""
    query = select(
        func.count(col(MessageRecording.id)), func.coalesce(func.sum(MessageRecording.size), 0)
    ).where(col(MessageRecording.message_id).in_(_owned(owner)))
    async with runtime.reading() as session:
        count, size = (await session.exec(query)).one()
    return Summary(count=int(count), size=int(size))


def _owned(owner: User) -> SelectOfScalar[int | None]:
    """The ids of the owner's messages, as a subquery."""
    return (
        select(col(Message.id))
        .join(Interview, col(Interview.id) == col(Message.interview_id))
        .where(Interview.owner_id == owner.id)
    )


async def _voiced_message(
    *, session: AsyncSession, owner: User, interview_id: uuid.UUID, seq: int
) -> Message:
    await get_owned(session=session, owner=owner, interview_id=interview_id)
    query = select(Message).where(Message.interview_id == interview_id, Message.seq == seq)
    message = (await session.exec(query)).first()
    if message is None:
        raise NotFound(f"the interview has no message {seq}")
    if message.role != "candidate" or message.speech is None:
        raise Conflict(
            f"message {seq} was not a spoken answer: only a spoken answer's recording is kept"
        )
    return message


def _described(seq: int, kept: MessageRecording) -> KeptRecording:
    return KeptRecording(
        seq=seq,
        part=kept.part,
        media_type=kept.media_type,
        size=kept.size,
        duration_seconds=kept.duration_seconds,
        created_at=kept.created_at,
    )
