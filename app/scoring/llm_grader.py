"""The LLM grader: one structured call grading every criterion, checked before it is trusted.

Candidate text reaches the model as delimited data, with instruction-like sentences removed.
The schema asks for the rationale before the score and has an explicit "insufficient_evidence"
outcome (the criterion is then not assessed); missed key points must use the ids shown. Quotes
not found verbatim in a candidate message, or not from a substantive answer sentence, are
dropped and counted; extreme scores get a sceptical second look; the overall score and
recommendation are computed here from the rubric weights, never taken from the model.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model

from app.content.models import Criterion, KeyPoint, RoundSpec, Rubric
from app.content.prompts import PromptLibrary
from app.engine.assessment import ItemStatus
from app.llm.client import LLMClient, StructuredOutputError
from app.scoring.answers import Standing, TopicAnswers
from app.scoring.evidence import CandidateMessage, clip, verify
from app.scoring.injection import injections
from app.scoring.models import CriterionResult, Evidence, MissedPoint, ScoreResult
from app.scoring.offline import missed_points, overall_score, recommendation_of
from app.scoring.sceptic import second_look

REMOVED = "[an instruction addressed to the grader was removed here]"
# the scorecard's grader when the model's grade was invalid twice and the offline one stands
FALLBACK_GRADER = "offline (the LLM's grade was invalid)"


class GradedCriterion(BaseModel):
    """The model's grade for one criterion: evidence and rationale first, then the verdict."""

    criterion_id: str
    evidence: list[Evidence]
    rationale: str = Field(max_length=2000)
    assessment: Literal["graded", "insufficient_evidence"]
    score: Literal[1, 2, 3, 4] | None = Field(
        description="null when the assessment is insufficient_evidence"
    )


class GradeReply(BaseModel):
    """The structured reply the grader must produce."""

    criteria: list[GradedCriterion]
    missed_key_points: list[str]
    summary: str = Field(max_length=2000)


def reply_schema(key_point_ids: Sequence[str]) -> type[GradeReply]:
    """The reply schema, its missed key points restricted to the ids the questions use."""
    if not key_point_ids:
        return GradeReply
    # a Literal built at run time from the questions asked: only their ids validate
    ids: Any = Literal[tuple(dict.fromkeys(key_point_ids))]  # a type only at run time
    missed = list[ids]
    return create_model("GradeReply", __base__=GradeReply, missed_key_points=(missed, ...))


class TranscriptLine(BaseModel):
    """A transcript message as the grader is shown it."""

    seq: int
    role: str
    content: str


def _neutralise(text: str) -> str:
    for sentence in injections(text):
        text = text.replace(sentence, REMOVED)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def point_id(topic_id: str, key_point_id: str) -> str:
    """A key point's id as the grader sees it: unique across the questions asked."""
    return f"{topic_id}/{key_point_id}"


def grader_messages(
    *,
    prompts: PromptLibrary,
    rubric: Rubric,
    spec: RoundSpec,
    groups: Sequence[TopicAnswers],
    transcript: Sequence[TranscriptLine],
    level: str = "mid-level",
    role: str = "Engineer",
) -> list[dict[str, str]]:
    """The system and user messages for one grading call."""
    system = prompts.render("grader/system.j2", round=spec, rubric=rubric, level=level, role=role)
    user = prompts.render(
        "grader/user.j2",
        questions=[g.topic for g in groups],
        submissions=[g.submission for g in groups],
        hints_used=sum(g.hints_used for g in groups),
        messages=shown_transcript(transcript),
        readings=readings(groups),
        level=level,
        role=role,
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _quoted(items: Sequence[ItemStatus], topic_id: str) -> str:
    return "; ".join(
        point_id(topic_id, i.id) + (f' ("{_neutralise(clip(i.quote))}")' if i.quote else "")
        for i in items
    )


def readings(groups: Sequence[TopicAnswers]) -> dict[int, str]:
    """The interview's assessment of each candidate message, by seq, as the grader reads it:
    the intents, the key points covered, guessed at or named, or stated wrongly (with the
    words), the wrong claims with the interviewer's note, and whether it was a keyword list or
    a plan of what the candidate would do. The interviewer decided from these; the grader
    checks them."""
    notes: dict[int, str] = {}
    for group in groups:
        topic = group.topic.id
        for seq, a in group.assessments:
            parts = [f"intents: {', '.join(i.value for i in a.intents)}"]
            for status, label in (("covered", "covered"), ("partial", "only guessed at or named")):
                items = [k for k in a.key_points if k.status == status]
                if items:
                    parts.append(f"{label}: {_quoted(items, topic)}")
            wrong = [k for k in a.key_points if k.status == "wrong"]
            if wrong:
                parts.append(f"stated wrongly: {_quoted(wrong, topic)}")
            parts += [f'wrong claim "{_neutralise(clip(c.quote))}": {c.note}' for c in a.claims]
            if a.keyword_list:
                parts.append("a list of terms, not an explanation")
            if a.hypothetical:
                parts.append("says what the candidate would do, not what they did")
            notes[seq] = "; ".join(parts)
    return notes


def shown_transcript(transcript: Sequence[TranscriptLine]) -> list[TranscriptLine]:
    """The transcript as graders see it: candidate text neutralised."""
    return [
        TranscriptLine(
            seq=m.seq,
            role=m.role,
            content=_neutralise(m.content) if m.role == "candidate" else m.content,
        )
        for m in transcript
    ]


def _substantive(
    evidence: Sequence[Evidence], groups: Sequence[TopicAnswers]
) -> tuple[list[Evidence], int]:
    """Keep quotes drawn from substantive answer sentences; count the others (asks, lists)."""
    sentences = [(s.seq, s.text) for g in groups for s in g.sentences if s.asserts]
    kept = [
        e
        for e in evidence
        if any(seq == e.message_seq and (e.quote in t or t in e.quote) for seq, t in sentences)
    ]
    return kept, len(evidence) - len(kept)


def _criterion(
    criterion: Criterion,
    grade: GradedCriterion,
    candidates: Sequence[CandidateMessage],
    groups: Sequence[TopicAnswers],
) -> tuple[CriterionResult, int]:
    """One graded criterion with its quotes checked; insufficient evidence is not assessed."""
    result = CriterionResult(
        criterion_id=criterion.id, name=criterion.name, score=None, rationale=grade.rationale
    )
    if grade.assessment == "insufficient_evidence" or grade.score is None:
        return result, len(grade.evidence)
    verified, lost = verify(grade.evidence, candidates)
    evidence, unsupported = _substantive(verified, groups)
    return result.model_copy(update={"score": grade.score, "evidence": evidence}), (
        lost + unsupported
    )


def _missed(
    ids: Sequence[str], groups: Sequence[TopicAnswers]
) -> list[MissedPoint]:
    """The missed points the grader named, by question; never one an answer plainly states."""
    named = set(ids)

    def missed_if(group: TopicAnswers, point: KeyPoint) -> bool:
        plainly_said = group.finding(point.id).standing is Standing.covered
        return point_id(group.topic.id, point.id) in named and not plainly_said

    return missed_points(groups, missed_if)


async def grade_with_llm(
    *,
    client: LLMClient,
    prompts: PromptLibrary,
    rubric: Rubric,
    spec: RoundSpec,
    groups: Sequence[TopicAnswers],
    transcript: Sequence[TranscriptLine],
    fallback: ScoreResult,
    level: str = "mid-level",
    role: str = "Engineer",
    before_call: Callable[[], Awaitable[None]] | None = None,
) -> ScoreResult:
    """Grade with the model, then review extreme grades; criteria it leaves out keep the
    offline scorer's grade, and an invalid grade (twice) leaves the offline scorer's, which the
    scorecard's grader says. `before_call` runs before each model call (to count it)."""
    messages = grader_messages(
        prompts=prompts,
        rubric=rubric,
        spec=spec,
        groups=groups,
        transcript=transcript,
        level=level,
        role=role,
    )
    ids = [point_id(g.topic.id, p.id) for g in groups for p in g.topic.key_points]
    if before_call is not None:
        await before_call()
    try:
        reply, usage = await client.structured(messages, reply_schema(ids), purpose="grading")
    except StructuredOutputError:
        return fallback.model_copy(update={"grader": FALLBACK_GRADER})
    candidates = [
        CandidateMessage(seq=m.seq, content=m.content) for m in transcript if m.role == "candidate"
    ]
    graded = {c.criterion_id: c for c in reply.criteria}
    offline = {c.criterion_id: c for c in fallback.criteria}
    criteria: list[CriterionResult] = []
    dropped = 0
    for criterion in rubric.criteria:
        grade = graded.get(criterion.id)
        if grade is None:
            criteria.append(offline[criterion.id])
            continue
        result, lost = _criterion(criterion, grade, candidates, groups)
        dropped += lost if result.score is not None else 0
        criteria.append(result)
    criteria = await second_look(
        client=client,
        prompts=prompts,
        rubric=rubric,
        spec=spec,
        criteria=criteria,
        transcript=shown_transcript(transcript),
        level=level,
        role=role,
        readings=readings(groups),
        before_call=before_call,
    )
    recommendation, limits = recommendation_of(criteria, rubric, groups, spec)
    return ScoreResult(
        criteria=criteria,
        missed_points=_missed(reply.missed_key_points, groups),
        overall=overall_score(criteria, rubric),
        recommendation=recommendation,
        summary=reply.summary + limits,
        hints_used=fallback.hints_used,
        dropped_quotes=dropped,
        grader=usage.model,
    )
