"""The LLM grader: one structured call grading every criterion, checked before it is trusted.

Candidate text reaches the model as delimited data, with instruction-like sentences removed;
quotes not found verbatim in a candidate message are dropped and counted; the overall score
and recommendation are computed here from the rubric weights, never taken from the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from app.content.models import RoundSpec, Rubric
from app.content.prompts import PromptLibrary
from app.llm.client import LLMClient, StructuredOutputError
from app.scoring.answers import TopicAnswers
from app.scoring.evidence import CandidateMessage, verify
from app.scoring.injection import split_injections
from app.scoring.models import CriterionResult, Evidence, MissedPoint, ScoreResult, recommend
from app.scoring.offline import overall_score

REMOVED = "[an instruction addressed to the grader was removed here]"
# the scorecard's grader when the model's grade was invalid twice and the offline one stands
FALLBACK_GRADER = "offline (the LLM's grade was invalid)"


class GradedCriterion(BaseModel):
    """The model's grade for one criterion."""

    criterion_id: str
    score: Literal[1, 2, 3, 4]
    rationale: str = Field(max_length=2000)
    evidence: list[Evidence]


class GradeReply(BaseModel):
    """The structured reply the grader must produce."""

    criteria: list[GradedCriterion]
    missed_key_points: list[str]
    summary: str = Field(max_length=2000)


class TranscriptLine(BaseModel):
    """A transcript message as the grader is shown it."""

    seq: int
    role: str
    content: str


def _neutralise(text: str) -> str:
    _, flagged = split_injections(text)
    for sentence in flagged:
        text = text.replace(sentence, REMOVED)
    return text.replace("<", "&lt;").replace(">", "&gt;")


def grader_messages(
    *,
    prompts: PromptLibrary,
    rubric: Rubric,
    spec: RoundSpec,
    groups: Sequence[TopicAnswers],
    transcript: Sequence[TranscriptLine],
) -> list[dict[str, str]]:
    """The system and user messages for one grading call."""
    shown = [
        TranscriptLine(
            seq=m.seq,
            role=m.role,
            content=_neutralise(m.content) if m.role == "candidate" else m.content,
        )
        for m in transcript
    ]
    system = prompts.render("grader/system.j2", round=spec, rubric=rubric)
    user = prompts.render(
        "grader/user.j2",
        questions=[g.topic for g in groups],
        submissions=[g.submission for g in groups],
        hints_used=sum(g.progress.hints_used for g in groups),
        messages=shown,
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


async def grade_with_llm(
    *,
    client: LLMClient,
    prompts: PromptLibrary,
    rubric: Rubric,
    spec: RoundSpec,
    groups: Sequence[TopicAnswers],
    transcript: Sequence[TranscriptLine],
    fallback: ScoreResult,
) -> ScoreResult:
    """Grade with the model; criteria it leaves out keep the offline scorer's grade, and an
    invalid grade (twice) leaves the offline scorer's, which the scorecard's grader says."""
    messages = grader_messages(
        prompts=prompts, rubric=rubric, spec=spec, groups=groups, transcript=transcript
    )
    try:
        reply, usage = await client.structured(messages, GradeReply, purpose="grading")
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
        evidence, lost = verify(grade.evidence, candidates)
        dropped += lost
        criteria.append(
            CriterionResult(
                criterion_id=criterion.id,
                name=criterion.name,
                score=grade.score,
                rationale=grade.rationale,
                evidence=evidence,
            )
        )
    known = {(g.topic.id, p.id): p for g in groups for p in g.topic.key_points}
    missed = [
        MissedPoint(question_id=q, key_point_id=k, text=p.text)
        for (q, k), p in known.items()
        if k in set(reply.missed_key_points)
    ]
    overall = overall_score(criteria, rubric)
    return ScoreResult(
        criteria=criteria,
        missed_points=missed,
        overall=overall,
        recommendation=recommend(overall),
        summary=reply.summary,
        hints_used=fallback.hints_used,
        dropped_quotes=dropped,
        grader=usage.model,
    )
