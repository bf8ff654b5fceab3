"""The hiring committee: a loop's scorecards weighed per signal into one calibrated decision.

Pure: scorecards and the loop in, a packet out. A committee is stricter than one interviewer:
hiring needs the lowest level's bar (not the scorecard's 2.5), a core signal clearly below the
bar or a strong no hire in any round blocks a hire, and a strong hire needs every signal at 3+.
"""

from __future__ import annotations

import uuid
from statistics import mean

from pydantic import BaseModel

from app.content.loops import Loop
from app.content.models import RoundType
from app.scoring.models import Recommendation, recommend

# a signal whose weight is at least this is core: clearly below the bar, it blocks a hire
CORE_WEIGHT = 2.0
CONCERN_BELOW = 2.0
# two rounds scoring one signal this far apart disagree (the 1-4 scale: hire vs no hire and more)
DISAGREEMENT_GAP = 1.5
STRONG_HIRE_OVERALL = 3.5
EVIDENCE_PER_SIGNAL = 3
HIRE_SIDE = ("strong_hire", "hire")


class CriterionGrade(BaseModel):
    """One criterion of one round's scorecard."""

    criterion_id: str
    name: str
    score: int | None
    rationale: str
    quotes: list[str] = []


class RoundResult(BaseModel):
    """One scored round of the loop."""

    position: int
    title: str
    round: RoundType
    interview_id: uuid.UUID
    overall: float
    recommendation: Recommendation
    summary: str
    criteria: list[CriterionGrade]


class SignalEvidence(BaseModel):
    """A criterion grade that drives a signal, with the candidate's own words when quoted."""

    round_title: str
    position: int
    criterion: str
    score: int
    quote: str | None
    rationale: str


class RoundSignal(BaseModel):
    """How one round scored one signal."""

    round_title: str
    position: int
    score: float


class SignalSummary(BaseModel):
    """The committee's view of one signal across the rounds that measure it."""

    id: str
    name: str
    description: str
    weight: float
    score: float | None
    verdict: Recommendation | None
    concern: bool
    rounds: list[RoundSignal]
    evidence: list[SignalEvidence]


class Disagreement(BaseModel):
    """Rounds that read the candidate differently, named."""

    signal_id: str | None
    text: str


class Decision(BaseModel):
    """The calibrated outcome: a recommendation, a level, and why."""

    overall: float | None
    recommendation: Recommendation
    level_id: str | None
    level_name: str | None
    target_level: str
    target_level_name: str
    meets_target: bool
    reasons: list[str]


class HiringPacket(BaseModel):
    """Every scorecard of a loop, the committee summary per signal and its decision."""

    loop_id: str
    loop_title: str
    role: str
    rounds: list[RoundResult]
    signals: list[SignalSummary]
    decision: Decision
    disagreements: list[Disagreement]


def _round_signal(result: RoundResult, criteria: tuple[str, ...]) -> float | None:
    scores = [c.score for c in result.criteria if c.criterion_id in criteria and c.score]
    return mean(scores) if scores else None


def _evidence(
    results: list[RoundResult], loop: Loop, signal_id: str, score: float
) -> list[SignalEvidence]:
    found = []
    for result in results:
        criteria = loop.rounds[result.position].measures.get(signal_id, ())
        for grade in result.criteria:
            if grade.criterion_id in criteria and grade.score is not None:
                found.append(
                    SignalEvidence(
                        round_title=result.title,
                        position=result.position,
                        criterion=grade.name,
                        score=grade.score,
                        quote=grade.quotes[0] if grade.quotes else None,
                        rationale=grade.rationale,
                    )
                )
    # what drives a strong signal is its best grades, a weak one its worst; quoted ones first
    strong = score >= 2.5
    found.sort(key=lambda e: (-e.score if strong else e.score, e.quote is None))
    return found[:EVIDENCE_PER_SIGNAL]


def _signals(loop: Loop, results: list[RoundResult]) -> list[SignalSummary]:
    summaries = []
    for signal in loop.signals:
        rounds = []
        for result in results:
            criteria = loop.rounds[result.position].measures.get(signal.id)
            value = _round_signal(result, criteria) if criteria else None
            if value is not None:
                rounds.append(
                    RoundSignal(
                        round_title=result.title, position=result.position, score=round(value, 2)
                    )
                )
        score = round(mean(r.score for r in rounds), 2) if rounds else None
        summaries.append(
            SignalSummary(
                id=signal.id,
                name=signal.name,
                description=signal.description,
                weight=signal.weight,
                score=score,
                verdict=recommend(score) if score is not None else None,
                concern=score is not None and score < CONCERN_BELOW,
                rounds=rounds,
                evidence=_evidence(results, loop, signal.id, score) if score is not None else [],
            )
        )
    return summaries


def _disagreements(signals: list[SignalSummary], results: list[RoundResult]) -> list[Disagreement]:
    found = []
    for signal in signals:
        if len(signal.rounds) < 2:
            continue
        high = max(signal.rounds, key=lambda r: r.score)
        low = min(signal.rounds, key=lambda r: r.score)
        if high.score - low.score >= DISAGREEMENT_GAP:
            found.append(
                Disagreement(
                    signal_id=signal.id,
                    text=f"{signal.name}: {high.round_title} scored {high.score:.1f} / 4 but "
                    f"{low.round_title} scored {low.score:.1f} / 4.",
                )
            )
    hire = [r.title for r in results if r.recommendation in HIRE_SIDE]
    # a round with too little evidence to recommend sides with neither
    no_hire = [r.title for r in results if r.recommendation in ("no_hire", "strong_no_hire")]
    if hire and no_hire:
        found.append(
            Disagreement(
                signal_id=None,
                text=f"The rounds split: {', '.join(hire)} {_verb(hire)} hire; "
                f"{', '.join(no_hire)} {_verb(no_hire)} no hire.",
            )
        )
    return found


def _verb(titles: list[str]) -> str:
    return "recommends" if len(titles) == 1 else "recommend"


def _decide(
    loop: Loop, signals: list[SignalSummary], results: list[RoundResult], target: str
) -> Decision:
    assessed = [s for s in signals if s.score is not None]
    weight = sum(s.weight for s in assessed)
    overall = (
        round(sum(s.weight * (s.score or 0) for s in assessed) / weight, 2) if assessed else None
    )
    reasons: list[str] = []
    bar = loop.levels[0].min_overall
    if overall is None:
        decision: Recommendation = "strong_no_hire"
        reasons.append("No signal could be assessed from the scorecards.")
    elif overall >= STRONG_HIRE_OVERALL:
        decision = "strong_hire"
    elif overall >= bar:
        decision = "hire"
    else:
        decision = "no_hire" if overall >= 1.5 else "strong_no_hire"
        reasons.append(f"The weighted overall {overall:.2f} is below the hiring bar of {bar:.2f}.")
    if overall is not None:
        reasons.insert(0, f"Weighted over the signals, the overall score is {overall:.2f} / 4.")
    blockers = [s for s in signals if s.concern and s.weight >= CORE_WEIGHT]
    blockers += [s for s in signals if s.score is None and s.weight >= CORE_WEIGHT]
    vetoes = [r for r in results if r.recommendation == "strong_no_hire"]
    if decision in HIRE_SIDE and (blockers or vetoes):
        decision = "no_hire"
        for signal in blockers:
            reasons.append(
                f"{signal.name} is a core signal with no evidence."
                if signal.score is None
                else f"{signal.name} is a core signal and scored {signal.score:.2f}, clearly "
                "below the bar."
            )
        for result in vetoes:
            reasons.append(f"{result.title} is a strong no hire.")
    if decision == "strong_hire" and any(s.score is not None and s.score < 3 for s in signals):
        decision = "hire"
        reasons.append("Not every signal reached 3, so the committee stops at hire.")
    level = None
    if decision in HIRE_SIDE and overall is not None:
        level = [lv for lv in loop.levels if lv.min_overall <= overall][-1]
    targets = {lv.id: lv for lv in loop.levels}
    wanted = targets.get(target, loop.levels[0])
    meets = level is not None and level.min_overall >= wanted.min_overall
    if level is not None:
        if level.id == target:
            reasons.append(f"Hire at the target level, {level.name}.")
        elif meets:
            reasons.append(f"The scores clear {level.name}, above the target {wanted.name}.")
        else:
            reasons.append(
                f"The scores clear {level.name} but not the target {wanted.name} "
                f"(needs {wanted.min_overall:.2f}): a down-level offer."
            )
    return Decision(
        overall=overall,
        recommendation=decision,
        level_id=level.id if level else None,
        level_name=level.name if level else None,
        target_level=target,
        target_level_name=wanted.name,
        meets_target=meets,
        reasons=reasons,
    )


def hiring_packet(*, loop: Loop, results: list[RoundResult], target_level: str) -> HiringPacket:
    """The committee's packet for a loop whose rounds are all scored."""
    ordered = sorted(results, key=lambda r: r.position)
    signals = _signals(loop, ordered)
    return HiringPacket(
        loop_id=loop.id,
        loop_title=loop.title,
        role=loop.role,
        rounds=ordered,
        signals=signals,
        decision=_decide(loop, signals, ordered, target_level),
        disagreements=_disagreements(signals, ordered),
    )
