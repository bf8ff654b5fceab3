"""The offline scorer: key-point coverage and rubric signals, no LLM needed."""

from __future__ import annotations

from collections.abc import Sequence

from app.content.models import Criterion, RoundSpec, Rubric
from app.scoring.answers import TopicAnswers
from app.scoring.models import CriterionResult, Evidence, MissedPoint, ScoreResult, recommend
from app.scoring.signals import SIGNALS, Inputs, Reading

MAX_EVIDENCE = 3


def level(value: float) -> int:
    """Map a signal blend in [0, 1] onto the rubric's 1-4 scale."""
    return 1 + sum(value >= edge for edge in (0.25, 0.5, 0.75))


def _grade(
    criterion: Criterion, groups: Sequence[TopicAnswers], spec: RoundSpec
) -> CriterionResult:
    inputs = Inputs(groups=groups, spec=spec, criterion_id=criterion.id)
    readings: list[tuple[float, Reading]] = []
    for signal in criterion.signals:
        reading = SIGNALS[signal.kind](inputs)
        if reading is not None:
            readings.append((signal.weight, reading))
    answered = any(g.answer_texts for g in groups)
    if not readings or not answered:
        return CriterionResult(
            criterion_id=criterion.id,
            name=criterion.name,
            score=1,
            rationale="No substantive answer gave evidence for this criterion.",
        )
    value = sum(w * r.value for w, r in readings) / sum(w for w, _ in readings)
    notes = "; ".join(r.note for _, r in readings)
    missing = [m for _, r in readings for m in r.missing]
    rationale = notes[0].upper() + notes[1:] + "."
    if missing:
        rationale += " Not addressed: " + "; ".join(dict.fromkeys(missing)) + "."
    evidence: list[Evidence] = []
    for _, reading in readings:
        for quote in reading.evidence:
            if quote not in evidence and len(evidence) < MAX_EVIDENCE:
                evidence.append(quote)
    return CriterionResult(
        criterion_id=criterion.id,
        name=criterion.name,
        score=level(value),
        rationale=rationale,
        evidence=evidence,
    )


def missed_points(groups: Sequence[TopicAnswers]) -> list[MissedPoint]:
    """Key points of the questions asked that no answer evidenced, most important first."""
    missed = []
    for group in groups:
        for point in sorted(group.topic.key_points, key=lambda p: -p.weight):
            if not group.find(point.phrases):
                missed.append(
                    MissedPoint(question_id=group.topic.id, key_point_id=point.id, text=point.text)
                )
    return missed


def overall_score(criteria: Sequence[CriterionResult], rubric: Rubric) -> float:
    """The weighted mean of criterion scores, on the 1-4 scale."""
    weights = {c.id: c.weight for c in rubric.criteria}
    total = sum(weights[c.criterion_id] for c in criteria)
    return round(sum(weights[c.criterion_id] * c.score for c in criteria) / total, 2)


def score_offline(
    *, groups: Sequence[TopicAnswers], rubric: Rubric, spec: RoundSpec
) -> ScoreResult:
    """Grade grouped answers against the rubric."""
    criteria = [_grade(c, groups, spec) for c in rubric.criteria]
    overall = overall_score(criteria, rubric)
    strongest = max(criteria, key=lambda c: c.score)
    weakest = min(criteria, key=lambda c: c.score)
    summary = (
        f"Overall {overall:.2f}/4. Strongest: {strongest.name} ({strongest.score}/4); "
        f"work on: {weakest.name} ({weakest.score}/4)."
    )
    injections = sum(len(g.injections) for g in groups)
    if injections:
        summary += f" {injections} instruction-like sentence(s) aimed at the grader were ignored."
    return ScoreResult(
        criteria=criteria,
        missed_points=missed_points(groups),
        overall=overall,
        recommendation=recommend(overall),
        summary=summary,
        hints_used=sum(g.progress.hints_used for g in groups),
        grader="offline",
    )
