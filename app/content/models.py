"""The schema of the content files: rounds, questions, rubrics. Validated when loaded."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class RoundType(StrEnum):
    """Every round type a candidate can practise."""

    coding = "coding"
    ml_coding = "ml_coding"
    ml_theory = "ml_theory"
    ml_system_design = "ml_system_design"
    system_design = "system_design"
    behavioral = "behavioral"
    research = "research"
    cs_fundamentals = "cs_fundamentals"


def _unique(items, what: str):
    """Refuse repeated ids among items (key points, criteria)."""
    ids = [item.id for item in items]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate {what} ids: {', '.join(duplicates)}")
    return items


class Frozen(BaseModel):
    """Content is immutable once loaded, and unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class KeyPoint(Frozen):
    """Something a strong answer covers; hidden from the candidate during the interview."""

    id: Slug
    text: Text
    weight: float = Field(gt=0, le=10)
    phrases: tuple[Text, ...] = Field(min_length=1)
    criterion: Slug


class FollowUp(Frozen):
    """A follow-up question asked when its key point is still uncovered."""

    key_point: Slug
    prompt: Text


class Question(Frozen):
    """One question of the bank."""

    id: Slug
    round: RoundType
    title: Text
    prompt: Text
    difficulty: Literal["easy", "medium", "hard"]
    tags: tuple[Slug, ...] = Field(min_length=1)
    key_points: tuple[KeyPoint, ...] = Field(min_length=2)
    follow_ups: tuple[FollowUp, ...] = Field(min_length=1)
    hints: tuple[Text, Text, Text]
    model_answer: tuple[Text, ...] = Field(min_length=2)
    expected_complexity: Text | None = None

    @field_validator("follow_ups")
    @classmethod
    def _follow_ups_name_key_points(cls, follow_ups, info):
        known = {kp.id for kp in info.data.get("key_points", ())}
        for follow_up in follow_ups:
            if follow_up.key_point not in known:
                raise ValueError(f"follow-up names unknown key point {follow_up.key_point!r}")
        return follow_ups

    @field_validator("key_points")
    @classmethod
    def _unique_key_points(cls, key_points):
        return _unique(key_points, "key point")


class ChecklistSection(Frozen):
    """A generic part of a good answer in this round (a STAR part, a design-template section)."""

    id: Slug
    name: Text
    phrases: tuple[Text, ...] = Field(min_length=1)
    probes: tuple[Text, ...] = Field(min_length=1)
    criterion: Slug


class RoundSpec(Frozen):
    """A round type: how long it lasts, how it is run, what it always checks."""

    id: RoundType
    title: Text
    description: Text
    duration_minutes: int = Field(ge=5, le=180)
    questions_per_interview: int = Field(ge=1, le=5)
    follow_ups_per_question: int = Field(ge=0, le=6)
    # alternate probes for missing checklist sections (e.g. STAR parts) with key-point follow-ups,
    # starting with a section; otherwise key points come first
    checklist_first: bool = False
    checklist: tuple[ChecklistSection, ...] = ()


Signal = Literal[
    "key_points",  # weighted coverage of the question's key points tagged with this criterion
    "checklist",  # coverage of the round's checklist sections tagged with this criterion
    "quantified",  # numbers and units in the answers (a measurable result)
    "ownership",  # "I" over "we": the candidate's own actions
    "structure",  # organised answers: steps, enumerations, explicit trade-offs
    "elaboration",  # answers neither one-liners nor rambling walls of text
    "complexity",  # time and space complexity stated
    "code",  # code written in the answer
    "testing",  # edge cases, examples, tests
    "independence",  # few hints used
]


class WeightedSignal(Frozen):
    """One measurable signal the offline scorer combines into a criterion score."""

    kind: Signal
    weight: float = Field(gt=0, le=10)


class Criterion(Frozen):
    """A rubric criterion with anchored level descriptors on the 1-4 scale."""

    id: Slug
    name: Text
    weight: float = Field(gt=0, le=10)
    description: Text
    levels: dict[Literal[1, 2, 3, 4], Text]
    signals: tuple[WeightedSignal, ...] = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _all_four_levels(cls, levels):
        missing = sorted({1, 2, 3, 4} - set(levels))
        if missing:
            raise ValueError(f"missing level descriptor(s) for {missing}")
        return levels


class Rubric(Frozen):
    """How a round is graded: 4 strong hire, 3 hire, 2 no hire, 1 strong no hire."""

    id: Slug
    round: RoundType
    version: int = Field(ge=1)
    criteria: tuple[Criterion, ...] = Field(min_length=3, max_length=8)

    @field_validator("criteria")
    @classmethod
    def _unique_criteria(cls, criteria):
        return _unique(criteria, "criterion")
