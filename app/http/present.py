"""Turn stored rows and content into the public API shapes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from fastapi.responses import PlainTextResponse, Response

from app.content.models import RoundType
from app.http.schemas import (
    CodeRunPublic,
    CodeWorkspacePublic,
    CriterionScorePublic,
    EvidencePublic,
    ExamplePublic,
    InterviewPublic,
    MessagePublic,
    MissedPointPublic,
    ModelAnswerPublic,
    MovePublic,
    QuestionRef,
    ScorecardPublic,
    TailoringPublic,
)
from app.scoring.feedback import feedback
from app.scoring.models import CriterionResult, Evidence, stored_recommendation
from app.services.code import Workspace
from app.services.diagrams import diagram_of
from app.services.interviews import state_of
from app.services.runtime import Runtime
from app.services.scoring import StoredScorecard
from app.services.transcripts import as_markdown
from app.store.models import CodeRun, Interview, InterviewStatus, Message


def run_public(run: CodeRun) -> CodeRunPublic:
    """A stored run as the API shows it."""
    return CodeRunPublic.model_validate({**run.report, **run.model_dump(exclude={"report"})})


def workspace_public(space: Workspace) -> CodeWorkspacePublic:
    """The current question's editor: signature, examples, the latest code, availability."""
    return CodeWorkspacePublic(
        question_id=space.question.id,
        title=space.question.title,
        framework=space.spec.framework,
        entry=space.spec.entry,
        starter=space.spec.starter,
        code=space.code,
        time_limit_seconds=space.spec.time_limit_seconds,
        examples=[
            ExamplePublic(name=t.name, input=f"{t.setup.strip()}\n{t.call}".strip())
            for t in space.spec.visible_tests
        ],
        hidden_tests=len(space.spec.tests) - len(space.spec.visible_tests),
        enabled=space.enabled,
        reason=space.reason,
        last_run=run_public(space.last_run) if space.last_run else None,
    )


def scorecard_public(
    runtime: Runtime, interview: Interview, stored: StoredScorecard
) -> ScorecardPublic:
    """A scorecard with each score's level descriptor and the model answers."""
    rubric = runtime.content.rubrics[RoundType(interview.round)]
    known = {c.id: c for c in rubric.criteria}
    card = stored.scorecard
    criteria = [
        CriterionScorePublic(
            id=c.criterion_id,
            name=c.name,
            score=c.score,
            max_score=c.max_score,
            level_descriptor=(
                known[c.criterion_id].level(c.score)
                if c.score is not None and c.criterion_id in known
                else "Not assessed"
            ),
            rationale=c.rationale,
            evidence=[EvidencePublic.model_validate(e) for e in c.evidence],
        )
        for c in stored.criteria
    ]
    # the questions the interview reached: one never asked has no advice ("you covered every
    # key point" of a question never seen) and stays a question to practise
    reached = {p.topic_id for p in state_of(interview).progress}
    topics = [t for t in runtime.directors.topics(interview) if t.id in reached]
    answers = [
        ModelAnswerPublic(question_id=t.id, title=t.title, outline=list(q.model_answer))
        for t in topics
        if (q := runtime.content.questions.get(t.id)) is not None
    ]
    advice = feedback(
        criteria=[
            CriterionResult(
                criterion_id=c.criterion_id,
                name=c.name,
                score=c.score,
                max_score=c.max_score,
                rationale=c.rationale,
                evidence=[Evidence.model_validate(e) for e in c.evidence],
            )
            for c in stored.criteria
        ],
        recommendation=stored_recommendation(card.recommendation),
        overall=card.overall,
        rubric=rubric,
        topics=topics,
        missed=card.missed_points,
        bank=runtime.content.questions_for(RoundType(interview.round)),
        outlines={a.question_id: a.outline for a in answers},
    )
    return ScorecardPublic(
        overall=card.overall,
        recommendation=card.recommendation,
        summary=card.summary,
        criteria=criteria,
        missed_points=[MissedPointPublic.model_validate(m) for m in card.missed_points],
        model_answers=answers,
        hints_used=card.hints_used,
        dropped_quotes=card.dropped_quotes,
        grader=card.grader,
        rubric_id=card.rubric_id,
        rubric_version=card.rubric_version,
        feedback=advice,
        created_at=card.created_at,
    )


def message_public(message: Message, interview: Interview) -> MessagePublic:
    """A message as the candidate sees it: while the interview is active a move says only its
    kind, since its target and reason name what the answers still miss."""
    public = MessagePublic.model_validate(message)
    if message.role == "candidate":
        public.diagram = diagram_of(message.content)
    if public.move is not None and interview.status is InterviewStatus.active:
        return public.model_copy(update={"move": MovePublic(kind=public.move.kind)})
    return public


def interview_public(
    runtime: Runtime,
    interview: Interview,
    messages: Sequence[Message],
    scorecard: StoredScorecard | None = None,
) -> InterviewPublic:
    """An interview with its transcript and, when given, its scorecard."""
    state = state_of(interview)
    return InterviewPublic(
        id=interview.id,
        round=RoundType(interview.round),
        status=interview.status,
        phase=state.phase,
        role=interview.role,
        level=interview.level,
        duration_minutes=interview.duration_minutes,
        questions=[
            QuestionRef(id=t.id, title=t.title) for t in runtime.directors.topics(interview)
        ],
        current_question_id=state.plan[state.index] if state.phase == "question" else None,
        custom_question=interview.custom_question,
        awaiting_reply=interview.awaiting_reply,
        hints_used=state.hints_used,
        created_at=interview.created_at,
        updated_at=interview.updated_at,
        finished_at=interview.finished_at,
        messages=[message_public(m, interview) for m in messages],
        scorecard=scorecard_public(runtime, interview, scorecard) if scorecard else None,
        tailoring=TailoringPublic.model_validate(interview.tailoring)
        if interview.tailoring
        else None,
    )


def export_response(
    runtime: Runtime,
    interview: Interview,
    messages: Sequence[Message],
    card: StoredScorecard | None,
    fmt: Literal["json", "markdown"],
) -> Response:
    """The transcript (with its scorecard once scored) as a Markdown or JSON download."""
    stem = f"onsite-{interview.round}-{interview.created_at:%Y%m%d-%H%M}"
    if fmt == "markdown":
        topics = runtime.directors.topics(interview)
        questions = [q for t in topics if (q := runtime.content.questions.get(t.id))]
        advice = scorecard_public(runtime, interview, card).feedback if card else None
        return PlainTextResponse(
            as_markdown(interview, messages, card, questions, advice),
            media_type="text/markdown; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{stem}.md"'},
        )
    public = interview_public(runtime, interview, messages, card)
    return Response(
        public.model_dump_json(indent=2),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{stem}.json"'},
    )
