"""Checking a scenario's expectations against what the interviewer did and the scorecard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.evaluation.scenarios import (
    ASKING_MOVES,
    RECOMMENDATION_RANK,
    MoveExpectation,
    ScorecardExpectation,
)


@dataclass(frozen=True)
class ObservedMove:
    """The interviewer's move as the service showed it; source says where it was read."""

    kind: str
    target_id: str | None = None
    reason: str | None = None
    source: str = "api"

    def __str__(self) -> str:
        target = f" -> {self.target_id}" if self.target_id else ""
        reason = f" ({self.reason})" if self.reason else ""
        return f"{self.kind}{target}{reason}"


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold; turn is None for the scorecard."""

    turn: int | None
    expected: str
    got: str

    def __str__(self) -> str:
        where = f"turn {self.turn}" if self.turn is not None else "scorecard"
        return f"{where}: expected {self.expected}; got {self.got}"


def check_move(
    turn: int, expect: MoveExpectation, move: ObservedMove | None, reply: str = ""
) -> list[Failure]:
    """Every way the move (and the reply's words) break the turn's expectation; a turn never
    reached breaks all."""
    if move is None:
        return [Failure(turn, "a reply", "the interview had closed before this turn")]
    failures = []
    if expect.move and move.kind not in expect.move:
        failures.append(Failure(turn, f"move {' or '.join(expect.move)}", str(move)))
    if move.kind in expect.not_move:
        failures.append(Failure(turn, f"no {move.kind}", str(move)))
    if expect.target and move.target_id not in expect.target:
        failures.append(Failure(turn, f"a move targeting {' or '.join(expect.target)}", str(move)))
    if move.kind in ASKING_MOVES and move.target_id in expect.not_target:
        failures.append(
            Failure(turn, f"no question about {move.target_id} (already covered)", str(move))
        )
    said = reply.casefold()
    for words in expect.says:
        if words.casefold() not in said:
            failures.append(Failure(turn, f"a reply saying {words!r}", repr(_clip(reply))))
    for words in expect.not_says:
        if words.casefold() in said:
            failures.append(Failure(turn, f"a reply not saying {words!r}", repr(_clip(reply))))
    return failures


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _criteria(card: dict[str, Any]) -> dict[str, Any]:
    return {c["id"]: c.get("score") for c in card.get("criteria", [])}


def _missed(card: dict[str, Any]) -> set[str]:
    """Key point ids among the missed points, whether listed flat or grouped by question."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("key_point_id"), str):
                found.add(node["key_point_id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(card.get("missed_points", []))
    return found


def check_scorecard(expect: ScorecardExpectation, card: dict[str, Any] | None) -> list[Failure]:
    """Every way the scorecard breaks the scenario's expectations."""
    if card is None:
        return [Failure(None, "a scorecard", "none (the interview could not be scored)")]
    failures = []
    recommendation = str(card.get("recommendation"))
    rank = RECOMMENDATION_RANK.get(recommendation, -1)
    got = f"{recommendation} ({card.get('overall')})"
    if expect.recommendation_at_most and rank > RECOMMENDATION_RANK[expect.recommendation_at_most]:
        failures.append(Failure(None, f"at most {expect.recommendation_at_most}", got))
    low = expect.recommendation_at_least
    if low and rank < RECOMMENDATION_RANK[low]:
        failures.append(Failure(None, f"at least {low}", got))
    scores = _criteria(card)
    for criterion in expect.not_assessed:
        if scores.get(criterion) is not None:
            failures.append(
                Failure(None, f"{criterion} not assessed", f"{criterion} {scores[criterion]}")
            )
    for criterion, ceiling in expect.criterion_at_most.items():
        score = scores.get(criterion)
        if score is not None and score > ceiling:
            failures.append(Failure(None, f"{criterion} <= {ceiling}", f"{criterion} {score}"))
    for criterion, floor in expect.criterion_at_least.items():
        score = scores.get(criterion)
        if score is None or score < floor:
            shown = "not assessed" if score is None else score
            failures.append(Failure(None, f"{criterion} >= {floor}", f"{criterion} {shown}"))
    missed = _missed(card)
    for point in expect.not_credited:
        if point not in missed:
            failures.append(Failure(None, f"{point} not credited", f"{point} credited"))
    for point in expect.credited:
        if point in missed:
            failures.append(Failure(None, f"{point} credited", f"{point} listed as missed"))
    return failures
