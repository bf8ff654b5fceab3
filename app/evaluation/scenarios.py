"""Conversation scenarios in evals/scenarios/*.yaml: a scripted candidate and what the
interviewer must do at each turn and on the scorecard, validated when loaded."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from app.content.errors import ContentError
from app.content.loader import Content
from app.content.models import RoundType
from app.content.yamlfile import read_yaml

# Move kinds are names, not the director's MoveKind: a scenario may expect a kind today's
# director does not have yet (the expectation then fails; loading must not).
KNOWN_MOVES = frozenset(
    {
        "open",
        "follow_up",
        "probe",
        "hint",
        "no_more_hints",
        "clarify",
        "encourage",
        "next_question",
        "code_result",
        "wrap_up",
        "close",
        "challenge",
        "deepen",
        "redirect",
        "answer_question",
    }
)
# moves that ask for missing content: none of them may target something already said
ASKING_MOVES = frozenset({"follow_up", "probe"})
Recommendation = Literal["strong_no_hire", "no_hire", "hire", "strong_hire"]
RECOMMENDATION_RANK: dict[str, int] = {
    "strong_no_hire": 0,
    "no_hire": 1,
    "not_enough_evidence": 1,  # not a hire
    "hire": 2,
    "strong_hire": 3,
}


def _known_moves(kinds: list[str]) -> list[str]:
    unknown = sorted(set(kinds) - KNOWN_MOVES)
    if unknown:
        raise ValueError(
            f"unknown move kind(s) {', '.join(unknown)}; "
            f"use one of {', '.join(sorted(KNOWN_MOVES))}"
        )
    return kinds


class MoveExpectation(BaseModel):
    """What the interviewer's reply to one candidate message must (not) be."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    move: list[str] = Field(default_factory=list, description="allowed kinds: any one of them")
    not_move: list[str] = Field(default_factory=list, description="kinds that are wrong here")
    target: list[str] = Field(default_factory=list, description="the move targets one of these")
    not_target: list[str] = Field(
        default_factory=list,
        description="key points or sections already covered: no follow_up or probe about them",
    )
    # words of the reply itself (case-insensitive): what an interviewer says, not only its kind
    says: list[str] = Field(default_factory=list, description="each must be in the reply")
    not_says: list[str] = Field(default_factory=list, description="none may be in the reply")

    _check_moves = field_validator("move", "not_move")(_known_moves)

    @model_validator(mode="after")
    def _says_something(self) -> MoveExpectation:
        if not (
            self.move
            or self.not_move
            or self.target
            or self.not_target
            or self.says
            or self.not_says
        ):
            raise ValueError(
                "an expectation needs move, not_move, target, not_target, says or not_says"
            )
        overlap = set(self.move) & set(self.not_move)
        if overlap:
            raise ValueError(f"{', '.join(sorted(overlap))} is both allowed and forbidden")
        return self


class Turn(BaseModel):
    """One candidate message, with what the interviewer must do next."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    say: str = Field(min_length=1)
    expect: MoveExpectation | None = None
    why: str | None = Field(default=None, description="what the turn tests, for the report")


class ScorecardExpectation(BaseModel):
    """What the scorecard at the end must show."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    recommendation_at_most: Recommendation | None = None
    recommendation_at_least: Recommendation | None = None
    # criterion ids the interview never reached: score null ("not assessed")
    not_assessed: list[str] = Field(default_factory=list)
    criterion_at_most: dict[str, int] = Field(default_factory=dict)
    criterion_at_least: dict[str, int] = Field(default_factory=dict)
    # key point ids: credited means not listed among the missed points
    credited: list[str] = Field(default_factory=list)
    not_credited: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> ScorecardExpectation:
        low, high = self.recommendation_at_least, self.recommendation_at_most
        if low and high and RECOMMENDATION_RANK[low] > RECOMMENDATION_RANK[high]:
            raise ValueError(f"recommendation at least {low} and at most {high} cannot both hold")
        if set(self.credited) & set(self.not_credited):
            raise ValueError("a key point cannot be both credited and not credited")
        return self


class Scenario(BaseModel):
    """A scripted candidate on one question, with the moves and scores it must produce."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = ""  # the file's stem, set by the loader
    round: RoundType
    question: str
    about: str = Field(min_length=1, description="one line: what this candidate does")
    # simulated time the candidate takes per message (the director paces by the clock)
    seconds_per_turn: int = Field(default=90, ge=1, le=1800)
    turns: list[Turn | str] = Field(min_length=1)
    # said when the interviewer invites questions after the script has run out
    closing: str = "No questions from me, thank you."
    scorecard: ScorecardExpectation | None = None

    @property
    def script(self) -> list[Turn]:
        """Every turn as a Turn (a plain string is a message with no expectation)."""
        return [t if isinstance(t, Turn) else Turn(say=t) for t in self.turns]

    @property
    def expectation_count(self) -> int:
        """How many checks the scenario makes."""
        card = self.scorecard
        on_card = 0
        if card is not None:
            on_card = sum(
                (
                    card.recommendation_at_most is not None,
                    card.recommendation_at_least is not None,
                    len(card.not_assessed),
                    len(card.criterion_at_most),
                    len(card.criterion_at_least),
                    len(card.credited),
                    len(card.not_credited),
                )
            )
        on_turns = sum(
            bool(t.expect.move)
            + bool(t.expect.not_move)
            + bool(t.expect.target)
            + bool(t.expect.not_target)
            + len(t.expect.says)
            + len(t.expect.not_says)
            for t in self.script
            if t.expect is not None
        )
        return on_turns + on_card


def _references(scenario: Scenario, content: Content) -> list[str]:
    """What the scenario names that the content does not have."""
    question = content.questions.get(scenario.question)
    if question is None or question.round != scenario.round:
        return [f"{scenario.question!r} is not a question of round {scenario.round.value!r}"]
    spec, rubric = content.rounds[scenario.round], content.rubrics[scenario.round]
    targets = {kp.id for kp in question.key_points} | {s.id for s in spec.checklist}
    problems = []
    for number, turn in enumerate(scenario.script, start=1):
        if turn.expect is None:
            continue
        for name in (*turn.expect.target, *turn.expect.not_target):
            if name not in targets:
                problems.append(
                    f"turn {number}: {name!r} is neither a key point of {question.id!r} "
                    f"nor a checklist section of {scenario.round.value!r}"
                )
    card = scenario.scorecard
    if card is not None:
        criteria = {c.id for c in rubric.criteria}
        named = [*card.not_assessed, *card.criterion_at_most, *card.criterion_at_least]
        problems += [f"scorecard: unknown criterion {c!r}" for c in named if c not in criteria]
        points = {kp.id for kp in question.key_points}
        problems += [
            f"scorecard: {p!r} is not a key point of {question.id!r}"
            for p in [*card.credited, *card.not_credited]
            if p not in points
        ]
    return problems


def load_scenario(path: Path, content: Content) -> Scenario:
    """One scenario file, checked against the bank; ContentError names the file and reason."""
    data = read_yaml(path)
    try:
        if not isinstance(data, dict):
            raise ContentError(f"{path}: expected a mapping (round, question, about, turns, ...)")
        if "name" in data:
            raise ContentError(f"{path}: 'name' is the file's name; remove the field")
        scenario = Scenario.model_validate({**data, "name": path.stem})
    except ValidationError as error:
        raise ContentError(f"{path}: {error}") from error
    problems = _references(scenario, content)
    if problems:
        raise ContentError(f"{path}: {'; '.join(problems)}")
    return scenario


def load_scenarios(root: Path, content: Content) -> list[Scenario]:
    """Every scenario under root/evals/scenarios, sorted by name."""
    folder = root / "evals" / "scenarios"
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise ContentError(f"{folder}: no scenario files (*.yaml) found")
    return [load_scenario(path, content) for path in paths]
