"""The offline scorer: key-point coverage and rubric signals, no LLM needed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.content.models import ChecklistSection, Criterion, KeyPoint, RoundSpec, Rubric
from app.engine.sections import IMPLEMENTATION
from app.scoring.answers import Standing, TopicAnswers, held_wrong
from app.scoring.models import (
    MIN_SPOKEN_SHARE,
    NO_CODE_NOTE,
    CriterionResult,
    Evidence,
    MissedPoint,
    Recommendation,
    ScoreResult,
    held_wrong_note,
    recommend,
)
from app.scoring.signals import (
    MIN_PARTICULARS,
    SIGNALS,
    Inputs,
    Reading,
    ownership,
    particulars,
)

MAX_EVIDENCE = 3
NOT_ASSESSED = (
    "Not assessed: the interview never reached this criterion, so it is left out of the overall."
)


def level(value: float) -> int:
    """Map a signal blend in [0, 1] onto the rubric's 1-4 scale."""
    return 1 + sum(value >= edge for edge in (0.25, 0.5, 0.75))


def _reached(readings: Sequence[Reading], groups: Sequence[TopicAnswers]) -> bool:
    """Reached if any subject of the criterion was; a criterion without one, if anything was said.

    Subjects are its key points, checklist sections and code runs. A criterion that only reads
    answers as a whole (structure, length) is reached by any attempt to answer.
    """
    verdicts = [r.reached for r in readings if r.reached is not None]
    if verdicts:
        return any(verdicts)
    return any(g.attempts for g in groups)


def _grade(
    criterion: Criterion, groups: Sequence[TopicAnswers], spec: RoundSpec
) -> CriterionResult:
    inputs = Inputs(groups=groups, spec=spec, criterion_id=criterion.id)
    readings: list[tuple[float, Reading]] = []
    for signal in criterion.signals:
        reading = SIGNALS[signal.kind](inputs)
        if reading is not None:
            readings.append((signal.weight, reading))
    result = CriterionResult(
        criterion_id=criterion.id, name=criterion.name, score=None, rationale=""
    )
    if not readings or not _reached([r for _, r in readings], groups):
        return result.model_copy(update={"rationale": NOT_ASSESSED})
    if not any(g.answer_texts for g in groups):
        rationale = "No substantive answer gave evidence for this criterion."
        if any(g.hypotheticals for g in groups):
            rationale = (
                "Only what the candidate would do was described, never a time it happened, "
                "so nothing could be credited."
            )
        return result.model_copy(update={"score": 1, "rationale": rationale})
    value = sum(w * r.value for w, r in readings) / sum(w for w, _ in readings)
    rationale = " ".join(_sentence(r) for _, r in readings)
    evidence: list[Evidence] = []
    for _, reading in readings:
        for quote in reading.evidence:
            if quote not in evidence and len(evidence) < MAX_EVIDENCE:
                evidence.append(quote)
    graded = result.model_copy(
        update={"score": level(value), "rationale": rationale, "evidence": evidence}
    )
    if _mostly_wrong(criterion, groups):
        return _capped(graded, MOSTLY_WRONG_CAP, MOSTLY_WRONG)
    if any(r.only_named for _, r in readings):
        return _capped(graded, ONLY_NAMED_CAP, ONLY_NAMED)
    return graded


# a criterion whose key points were mostly stated wrongly, and not put right when challenged: the
# checklist and "no hints used" must not carry it to "explains and justifies the method"
MOSTLY_WRONG_CAP = 2
MOSTLY_WRONG = (
    "Most of what this criterion grades was stated wrongly and not put right, so it scores no "
    "higher than 2."
)


# the top level asks for what a key point named in passing does not give ("justifies it", "walks
# through the flows"): a 4 beside "only named" read as a contradiction
ONLY_NAMED_CAP = 3
ONLY_NAMED = (
    "The key points it grades were only named, never explained, so it scores no higher than 3."
)


def _mostly_wrong(criterion: Criterion, groups: Sequence[TopicAnswers]) -> bool:
    """True when held-wrong key points carry at least half of the criterion's key-point weight."""
    total = wrong = 0.0
    for group in groups:
        for point in group.topic.key_points:
            if point.criterion == criterion.id:
                total += point.weight
                if group.finding(point.id).standing is Standing.wrong:
                    wrong += point.weight
    return wrong > 0 and wrong >= total / 2


def _sentence(reading: Reading) -> str:
    """One reading as a sentence, what it found missing beside its own count: a count of key
    points followed by a missing checklist part would read as a contradiction."""
    text = reading.note[0].upper() + reading.note[1:]
    if reading.missing:
        text += "; not addressed: " + ", ".join(dict.fromkeys(reading.missing))
    return text + "."


def _unearned(group: TopicAnswers, point: KeyPoint) -> bool:
    return group.finding(point.id).standing.credit == 0


def missed_points(
    groups: Sequence[TopicAnswers],
    missed_if: Callable[[TopicAnswers, KeyPoint], bool] = _unearned,
) -> list[MissedPoint]:
    """Key points missed (by default: that earned nothing), by question in the order asked, most
    important first.

    A point the candidate guessed at ("maybe a heap") earned half and is not listed as missed;
    one they only negated, named in a list or stated wrongly is.
    """
    missed = []
    for group in groups:
        for point in sorted(group.topic.key_points, key=lambda p: -p.weight):
            if missed_if(group, point):
                missed.append(
                    MissedPoint(
                        question_id=group.topic.id,
                        question_title=group.topic.title,
                        key_point_id=point.id,
                        text=point.text,
                    )
                )
    return missed


# a behavioral answer that names no person, place, time or figure in any story
GENERIC_STORY_CAP = 2
GENERIC_STORY = (
    "No story named a person, a product, a time or a figure: the answers describe what a good "
    "answer looks like, not something that happened, so no criterion scores above 2."
)


def _untied(
    criteria: list[CriterionResult], groups: Sequence[TopicAnswers], spec: RoundSpec
) -> list[CriterionResult]:
    """A story's outcome is tied to the candidate's actions at the top level: when no sentence
    says what they did ("Marco tracked it down ... after his patch it went to zero"), the
    outcome scores at most one level above their account of their actions."""
    outcome = {s.criterion for s in spec.checklist if s.outcome}
    own = {s.criterion for s in spec.checklist if s.covered_by == "own_action"}
    account = next((c for c in criteria if c.criterion_id in own and c.score is not None), None)
    if not spec.past_experience or account is None or account.score is None:
        return criteria
    reading = ownership(Inputs(groups=groups, spec=spec, criterion_id=account.criterion_id))
    if reading is None or reading.evidence:
        return criteria
    why = (
        "No sentence says what the candidate did, so the outcome is not tied to their own "
        f"actions: it scores no higher than one level above {account.name}."
    )
    cap = account.score + 1
    return [_capped(c, cap, why) if c.criterion_id in outcome else c for c in criteria]


def _capped(result: CriterionResult, cap: int, why: str) -> CriterionResult:
    if result.score is None or result.score <= cap:
        return result
    return result.model_copy(update={"score": cap, "rationale": f"{result.rationale} {why}"})


def overall_score(criteria: Sequence[CriterionResult], rubric: Rubric) -> float:
    """The weighted mean of the assessed criteria's scores, on the 1-4 scale (1 if none was)."""
    weights = {c.id: c.weight for c in rubric.criteria}
    scored = [(weights[c.criterion_id], c.score) for c in criteria if c.score is not None]
    total = sum(w for w, _ in scored)
    if not total:
        return 1.0
    return round(sum(w * s for w, s in scored) / total, 2)


def assessed_share(criteria: Sequence[CriterionResult], rubric: Rubric) -> float:
    """The assessed criteria's share of the rubric's weight."""
    weights = {c.id: c.weight for c in rubric.criteria}
    total = sum(weights.values())
    return sum(weights[c.criterion_id] for c in criteria if c.score is not None) / total


def spoken_share(groups: Sequence[TopicAnswers], spec: RoundSpec, assessed: float) -> float:
    """When the candidate ended the interview early, before it reached every criterion (its last
    question still open, `assessed` below 1), how much of the questions asked they spoke to,
    rightly or not: the share of their key points' weight or of the checklist's sections,
    whichever is larger (a story's key points are often told in words of its own, its sections
    rarely missed); 1 for an interview that reached every criterion or the interviewer ended."""
    if not ended_early(groups, assessed):
        return 1.0
    shares = []
    for group in groups:
        points = group.topic.key_points
        total = sum(p.weight for p in points)
        spoken = sum(p.weight for p in points if group.finding(p.id).standing.reached)
        sections = [s for s in spec.checklist if s.id not in group.topic.skip_sections]
        told = sum(group.finding(s.id, section=True).standing.reached for s in sections)
        shares.append(
            max(spoken / total if total else 0.0, told / len(sections) if sections else 0.0)
        )
    return sum(shares) / len(shares)


def ended_early(groups: Sequence[TopicAnswers], assessed: float) -> bool:
    """True when the candidate ended the interview (its last question still open) before it
    reached every criterion (`assessed` below 1)."""
    return assessed < 1 and bool(groups) and groups[-1].progress.outcome == "open"


def unshown_floor(criteria: Sequence[CriterionResult], rubric: Rubric) -> float:
    """The overall with each criterion never reached at the rubric's lowest level: what the
    interview showed, had what the candidate left unshown gone as badly as it can."""
    weights = {c.id: c.weight for c in rubric.criteria}
    total = sum(weights.values())
    return round(sum(weights[c.criterion_id] * (c.score or 1) for c in criteria) / total, 2)


def spoken_note(share: float) -> str:
    """What the summary says when the interview ended too early to support a hire."""
    if share >= MIN_SPOKEN_SHARE:
        return ""
    return (
        f" The interview ended early, with {share:.0%} of what its questions cover discussed: "
        "not enough evidence for a hire."
    )


def unshown_note(criteria: Sequence[CriterionResult]) -> str:
    """What the summary says when what the interview reached carries a hire only while the
    criteria it never reached are left out."""
    unshown = [c.name for c in criteria if c.score is None]
    if not unshown:
        return ""
    named = " and ".join([", ".join(unshown[:-1]), unshown[-1]] if len(unshown) > 1 else unshown)
    return (
        f" The candidate ended the interview before {named} came up, and what was "
        "shown does not carry a hire without them: not enough evidence for a hire."
    )


def recommendation_of(
    criteria: Sequence[CriterionResult],
    rubric: Rubric,
    groups: Sequence[TopicAnswers],
    spec: RoundSpec,
) -> tuple[Recommendation, str]:
    """The recommendation the criteria support, whoever graded them, and what the summary says
    limits it: wrong claims held, an interview ended too early to support a hire."""
    wrong = held_wrong(groups)
    defended = held_wrong(groups, defended=True)
    assessed = assessed_share(criteria, rubric)
    spoken = spoken_share(groups, spec, assessed)
    floor = unshown_floor(criteria, rubric) if ended_early(groups, assessed) else None
    without_code = no_code(groups, spec)
    recommendation = recommend(
        overall_score(criteria, rubric),
        assessed_share=assessed,
        held_wrong=wrong,
        defended=defended,
        spoken_share=spoken,
        unshown_floor=floor,
        no_code=without_code,
    )
    limits = held_wrong_note(wrong, defended)
    if recommendation == "not_enough_evidence":
        limits += spoken_note(spoken) or unshown_note(criteria)
    elif without_code and recommendation == "no_hire":
        limits += NO_CODE_NOTE
    return recommendation, limits


def no_code(groups: Sequence[TopicAnswers], spec: RoundSpec) -> bool:
    """True in a round that assesses code when the candidate answered its questions that ask
    for code but wrote none: nothing submitted, and no answer both reached the implementation
    and has a line of code (a trace "l=1 r=5 gives 4*5=20" is no implementation, nor is "I'd
    implement it with a loop")."""
    if not spec.code_required or not any(s.id == IMPLEMENTATION for s in spec.checklist):
        return False
    asked = [g for g in groups if IMPLEMENTATION not in g.topic.skip_sections and g.answer_texts]
    return bool(asked) and not any(_wrote_code(g) for g in asked)


def _wrote_code(group: TopicAnswers) -> bool:
    return group.submission is not None or (
        IMPLEMENTATION in group.progress.sections and any(s.code for s in group.sentences)
    )


def _unwritten(result: CriterionResult, criterion: Criterion) -> CriterionResult:
    """A criterion that grades the code, when none was written: its lowest level ("writes
    little or no code"), not "not assessed" (the interview asked for code and got none)."""
    if not any(s.kind == "code" for s in criterion.signals):
        return result
    return result.model_copy(
        update={
            "score": 1,
            "rationale": "No code was written or submitted; the solution was only described.",
            "evidence": [],
        }
    )


def summarise(criteria: Sequence[CriterionResult], overall: float) -> str:
    """One paragraph: overall, strongest and weakest assessed criterion, what was not assessed."""
    scored = [c for c in criteria if c.score is not None]
    if not scored:
        return "Nothing could be assessed: the interview ended before any answer."
    strongest = max(scored, key=lambda c: c.score or 0)
    weakest = min(scored, key=lambda c: c.score or 0)
    if strongest.score == weakest.score:  # naming one criterion as both would contradict
        summary = f"Overall {overall:.2f}/4. Every assessed criterion at {weakest.score}/4."
    else:
        summary = (
            f"Overall {overall:.2f}/4. Strongest: {strongest.name} ({strongest.score}/4); "
            f"work on: {weakest.name} ({weakest.score}/4)."
        )
    if skipped := [c.name for c in criteria if c.score is None]:
        summary += f" Not assessed (the interview did not get to it): {', '.join(skipped)}."
    return summary


def _vocabulary(group: TopicAnswers, spec: RoundSpec) -> frozenset[str]:
    """The words the content grades this question with (its key points' and the checklist's
    phrases), lower case: an acronym among them ("MVP") is a term of the trade, not a name."""
    items: list[KeyPoint | ChecklistSection] = [*group.topic.key_points, *spec.checklist]
    phrases = [phrase for item in items for phrase in (*item.phrases, *item.paraphrases)]
    return frozenset(word.strip(".,;:()'\"").lower() for p in phrases for word in p.split())


def score_offline(
    *, groups: Sequence[TopicAnswers], rubric: Rubric, spec: RoundSpec
) -> ScoreResult:
    """Grade grouped answers against the rubric."""
    criteria = _untied([_grade(c, groups, spec) for c in rubric.criteria], groups, spec)
    if no_code(groups, spec):
        criteria = [_unwritten(r, c) for r, c in zip(criteria, rubric.criteria, strict=True)]
    told = [g for g in groups if g.answer_texts]
    generic = (
        spec.past_experience
        and told
        and all(particulars(g.answer_texts, _vocabulary(g, spec)) < MIN_PARTICULARS for g in told)
    )
    if generic:
        criteria = [_capped(c, GENERIC_STORY_CAP, GENERIC_STORY) for c in criteria]
    overall = overall_score(criteria, rubric)
    recommendation, limits = recommendation_of(criteria, rubric, groups, spec)
    summary = summarise(criteria, overall) + limits
    if generic:
        summary += " " + GENERIC_STORY
    injections = sum(len(g.injections) for g in groups)
    if injections:
        summary += f" {injections} instruction-like sentence(s) aimed at the grader were ignored."
    return ScoreResult(
        criteria=criteria,
        missed_points=missed_points(groups),
        overall=overall,
        recommendation=recommendation,
        summary=summary,
        hints_used=sum(g.hints_used for g in groups),
        grader="offline",
    )
