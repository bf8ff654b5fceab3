"""Onsite loops as data: a role's ordered rounds and the signals a hiring committee weighs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator, model_validator

from app.content.errors import ContentError
from app.content.models import Frozen, RoundType, Rubric, Slug, Text

LevelId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=50)]


class LoopSignal(Frozen):
    """One thing the committee decides on (e.g. coding, ML depth, collaboration)."""

    id: Slug
    name: Text
    description: Text
    weight: float = Field(gt=0, le=10)


class LoopRound(Frozen):
    """One interview of the loop: its round type, its name in this company's loop, its length,
    and which of its rubric's criteria inform which signals."""

    title: Text
    round: RoundType
    duration_minutes: int = Field(ge=5, le=180)
    # signal id -> the round rubric's criterion ids that inform it
    measures: dict[Slug, tuple[Slug, ...]] = Field(min_length=1)

    @field_validator("measures")
    @classmethod
    def _criteria_given(cls, measures: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
        for signal, criteria in measures.items():
            if not criteria:
                raise ValueError(f"signal {signal!r} names no criterion")
        return measures


class LoopLevel(Frozen):
    """A level the committee can hire at, and the overall score (1-4) it takes."""

    id: LevelId
    name: Text
    min_overall: float = Field(ge=1, le=4)


class Loop(Frozen):
    """A whole onsite loop for a target role."""

    id: Slug
    title: Text
    role: Text
    description: Text
    source: Text
    signals: tuple[LoopSignal, ...] = Field(min_length=2, max_length=8)
    rounds: tuple[LoopRound, ...] = Field(min_length=2, max_length=8)
    # lowest first; the highest whose bar the overall score meets is the calibrated level
    levels: tuple[LoopLevel, ...] = Field(min_length=1, max_length=6)

    @model_validator(mode="after")
    def _consistent(self) -> Loop:
        known = {s.id for s in self.signals}
        if len(known) != len(self.signals):
            raise ValueError("signal ids must be unique")
        measured: set[str] = set()
        for number, item in enumerate(self.rounds, start=1):
            unknown = sorted(set(item.measures) - known)
            if unknown:
                raise ValueError(
                    f"round {number} ({item.title}) measures unknown signal(s) "
                    f"{', '.join(unknown)} (the loop's signals: {', '.join(sorted(known))})"
                )
            measured |= set(item.measures)
        unmeasured = sorted(known - measured)
        if unmeasured:
            raise ValueError(f"no round measures signal(s) {', '.join(unmeasured)}")
        bars = [level.min_overall for level in self.levels]
        if bars != sorted(bars) or len({lv.id for lv in self.levels}) != len(self.levels):
            raise ValueError("levels must have unique ids and rising min_overall, lowest first")
        return self

    @property
    def duration_minutes(self) -> int:
        """The loop's total interview time."""
        return sum(item.duration_minutes for item in self.rounds)

    def signal(self, signal_id: str) -> LoopSignal:
        """One of the loop's signals by id."""
        return next(s for s in self.signals if s.id == signal_id)


def _check_criteria(path: Path, loop: Loop, rubrics: Mapping[RoundType, Rubric]) -> None:
    for number, item in enumerate(loop.rounds, start=1):
        criteria = {c.id for c in rubrics[item.round].criteria}
        for signal, named in item.measures.items():
            unknown = sorted(set(named) - criteria)
            if unknown:
                raise ContentError(
                    f"{path}: round {number} ({item.title}) signal {signal!r} names unknown "
                    f"criterion {', '.join(unknown)} (rubric {item.round.value} has: "
                    f"{', '.join(sorted(criteria))})"
                )


def load_loops(
    folder: Path, rubrics: Mapping[RoundType, Rubric], read: Callable[[Path, type[Loop]], Loop]
) -> dict[str, Loop]:
    """Every loops/*.yaml, validated against the rubrics; a bad file raises ContentError."""
    loops: dict[str, Loop] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        loop = read(path, Loop)
        if loop.id != path.stem:
            raise ContentError(f"{path}: id {loop.id!r} != file name {path.stem!r}")
        _check_criteria(path, loop, rubrics)
        loops[loop.id] = loop
    return loops
