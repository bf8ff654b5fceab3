"""Loops, runs and hiring packets in their public shapes."""

from __future__ import annotations

from typing import Literal

from fastapi import Response

from app.content.loops import Loop
from app.http.loop_schemas import (
    LoopLevelPublic,
    LoopPublic,
    LoopRoundPublic,
    LoopSignalPublic,
    PacketPublic,
    RunPublic,
    RunRoundPublic,
)
from app.http.packet_export import as_markdown, as_pdf
from app.scoring.committee import HiringPacket
from app.services.loops import RunRound, RunView


def loop_public(loop: Loop) -> LoopPublic:
    """A loop with its rounds, signals and levels."""
    return LoopPublic(
        id=loop.id,
        title=loop.title,
        role=loop.role,
        description=loop.description,
        source=loop.source,
        duration_minutes=loop.duration_minutes,
        rounds=[
            LoopRoundPublic(
                number=number,
                title=item.title,
                round=item.round,
                duration_minutes=item.duration_minutes,
                signals=list(item.measures),
            )
            for number, item in enumerate(loop.rounds, start=1)
        ],
        signals=[LoopSignalPublic.model_validate(s.model_dump()) for s in loop.signals],
        levels=[LoopLevelPublic.model_validate(lv.model_dump()) for lv in loop.levels],
    )


def _round_public(view: RunView, item: RunRound) -> RunRoundPublic:
    spec = view.loop.rounds[item.position]
    interview, card = item.interview, item.scorecard
    return RunRoundPublic(
        number=item.position + 1,
        title=spec.title,
        round=spec.round,
        duration_minutes=spec.duration_minutes,
        status=interview.status.value if interview else "not_started",
        interview_id=interview.id if interview else None,
        overall=card.overall if card else None,
        recommendation=card.recommendation if card else None,
    )


def run_public(view: RunView) -> RunPublic:
    """A run with the state of each round."""
    run = view.run
    following = view.next_position
    return RunPublic(
        id=run.id,
        loop_id=run.loop_id,
        loop_title=view.loop.title,
        level=run.level,
        created_at=run.created_at,
        tailored=bool(run.job_description or run.cv),
        rounds=[_round_public(view, item) for item in view.rounds],
        complete=view.complete,
        next_round=following + 1 if following is not None else None,
    )


def packet_public(view: RunView, packet: HiringPacket) -> PacketPublic:
    """The hiring packet with the run it belongs to."""
    return PacketPublic(**packet.model_dump(), run_id=view.run.id, level=view.run.level)


def packet_response(
    view: RunView, built: HiringPacket, fmt: Literal["json", "markdown", "pdf"]
) -> Response:
    """The packet as a download in the asked format."""
    stem = f"onsite-packet-{view.loop.id}-{view.run.created_at:%Y%m%d}"
    level_name = next(
        (lv.name for lv in view.loop.levels if lv.id == view.run.level), view.run.level
    )
    if fmt == "markdown":
        return Response(
            as_markdown(built, level_name=level_name),
            media_type="text/markdown; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{stem}.md"'},
        )
    if fmt == "pdf":
        return Response(
            as_pdf(built, level_name=level_name),
            media_type="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{stem}.pdf"'},
        )
    return Response(
        packet_public(view, built).model_dump_json(indent=2), media_type="application/json"
    )
