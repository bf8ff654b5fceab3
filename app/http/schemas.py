"""The JSON shapes of the public API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.content.models import Framework, RoundType
from app.http.recording_schemas import RecordingPublic
from app.sandbox.models import RunStatus, TestResult
from app.scoring.feedback import Feedback
from app.scoring.models import Recommendation
from app.speech.models import SpeechRecord
from app.store.models import InterviewStatus

Username = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{3,32}$")]
# text that is not blank and has no NUL character (PostgreSQL cannot store one), stated in the
# schema so clients (and fuzzers) know what is refused
TEXT = r"^[^\x00]*[^\x00\s][^\x00]*$"
NO_NUL = r"^[^\x00]*$"
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100, pattern=TEXT)]
Level = Annotated[str, StringConstraints(strip_whitespace=True, max_length=50, pattern=TEXT)]


class Public(BaseModel):
    """Output models read attributes from table rows."""

    model_config = ConfigDict(from_attributes=True)


class UserCreate(BaseModel):
    """A new account."""

    model_config = ConfigDict(extra="forbid")

    username: Username = Field(description="3-32 letters, digits, '.', '_' or '-'")
    password: str = Field(min_length=8, max_length=128)


class UserPublic(Public):
    """An account as others may see it."""

    id: uuid.UUID
    username: str


class TokenPublic(BaseModel):
    """A bearer token."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"


class CriterionSummary(BaseModel):
    """A rubric criterion, without its anchors."""

    id: str
    name: str
    weight: float
    description: str


class RoundPublic(BaseModel):
    """A round type a candidate can practise."""

    id: RoundType
    title: str
    description: str
    duration_minutes: int
    questions_per_interview: int
    criteria: list[CriterionSummary]


class QuestionSummary(BaseModel):
    """A question of the bank, without its answers or key points."""

    id: str
    title: str
    difficulty: str
    tags: list[str]


class InterviewCreate(BaseModel):
    """Start an interview: a round, and optionally a bank question or your own question."""

    model_config = ConfigDict(
        extra="forbid",
        # a bank question or your own, not both
        json_schema_extra={"not": {"required": ["question_id", "question"]}},
    )

    round: RoundType
    question_id: str | None = Field(default=None, max_length=80, pattern=NO_NUL)
    question: str | None = Field(
        default=None,
        pattern=TEXT,
        max_length=20_000,
        description="your own question instead of one from the bank",
    )
    difficulty: Literal["easy", "medium", "hard"] | None = Field(
        default=None, description="for a random choice: prefer questions of this difficulty"
    )
    role: ShortText = "Engineer"
    level: Level = "mid-level"
    duration_minutes: int | None = Field(default=None, ge=5, le=180)
    job_description: str | None = Field(
        default=None,
        max_length=20_000,
        pattern=TEXT,
        description="the job you prepare for: questions tagged with its skills come first",
    )
    cv: str | None = Field(
        default=None,
        max_length=40_000,
        pattern=TEXT,
        description="your CV as text: behavioral and research questions ask about its projects",
    )


class MessageCreate(BaseModel):
    """The candidate's answer (Markdown; code in fenced blocks)."""

    model_config = ConfigDict(extra="forbid")

    content: str = Field(
        max_length=20_000,
        pattern=TEXT,
        description="not blank; at most 20,000 characters (ONSITE_MAX_MESSAGE_CHARS may lower it)",
    )
    diagram: str | None = Field(
        default=None,
        max_length=10_000,
        pattern=NO_NUL,
        description="a design diagram's Mermaid source, stored after the answer's words as a "
        "fenced mermaid block (what the interviewer and the grader read)",
    )
    speech: SpeechRecord | None = Field(
        default=None,
        description="a spoken answer: the `speech` of its transcript (POST …/transcriptions), "
        "whose words and times the scorecard's speaking feedback is measured on",
    )


class MovePublic(BaseModel):
    """What the interviewer was doing with a message: the director's move and why."""

    kind: str = Field(description="follow_up, probe, challenge, deepen, hint, next_question, …")
    target_id: str | None = Field(
        default=None, description="the key point or checklist section the move is about"
    )
    reason: str | None = None


class MessagePublic(Public):
    """One message of a transcript."""

    seq: int
    role: Literal["interviewer", "candidate"]
    content: str
    kind: Literal["text", "code"] = Field(
        default="text", description="code: a submission, whose results the interviewer answers"
    )
    created_at: datetime
    move: MovePublic | None = Field(
        default=None, description="interviewer messages: the move voiced (null for the opening)"
    )
    diagram: str | None = Field(
        default=None,
        description="the Mermaid source of a diagram sent with this answer (also in content)",
    )
    speech: SpeechRecord | None = Field(
        default=None, description="a spoken answer: its duration and the words as heard, timed"
    )


class QuestionRef(BaseModel):
    """A question asked in an interview."""

    id: str
    title: str


class EvidencePublic(BaseModel):
    """A verbatim quote from a candidate message."""

    quote: str
    message_seq: int


class CriterionScorePublic(BaseModel):
    """One criterion's score with its rationale and evidence."""

    id: str
    name: str
    score: int | None = Field(
        description="null: not assessed (the interview never reached this criterion); "
        "left out of the overall"
    )
    max_score: int
    level_descriptor: str
    rationale: str
    evidence: list[EvidencePublic]


class MissedPointPublic(BaseModel):
    """A key point the candidate did not cover."""

    question_id: str
    question_title: str = ""
    key_point_id: str
    text: str


class ModelAnswerPublic(BaseModel):
    """The outline of a strong answer, shown after the interview."""

    question_id: str
    title: str
    outline: list[str]


class ScorecardPublic(BaseModel):
    """The grade of an interview against its rubric."""

    overall: float
    recommendation: Recommendation
    summary: str
    criteria: list[CriterionScorePublic]
    missed_points: list[MissedPointPublic]
    model_answers: list[ModelAnswerPublic]
    hints_used: int
    dropped_quotes: int
    grader: str
    rubric_id: str
    rubric_version: int
    created_at: datetime
    feedback: Feedback | None = Field(
        default=None,
        description="the scorecard as advice: a headline, strengths with quotes, 2-3 things to "
        "practise (next level, missed points, a drill and a question), missed points by question",
    )


class InterviewSummary(BaseModel):
    """An interview in a list."""

    id: uuid.UUID
    round: RoundType
    status: InterviewStatus
    created_at: datetime
    finished_at: datetime | None
    overall: float | None = None
    recommendation: str | None = None


class InterviewPage(BaseModel):
    """A page of interviews, newest first."""

    items: list[InterviewSummary]
    total: int
    limit: int
    offset: int


class TailoringPublic(BaseModel):
    """The job's skills the bank knows, the CV's projects, and which question asks about which."""

    # what else is stored (the question an LLM wrote, with its key points) stays hidden
    model_config = ConfigDict(extra="ignore")

    skills: list[str]
    projects: list[str]
    asked_about: dict[str, str]


class InterviewPublic(BaseModel):
    """An interview with its transcript (and scorecard once scored)."""

    id: uuid.UUID
    round: RoundType
    status: InterviewStatus
    phase: str
    role: str
    level: str
    duration_minutes: int
    questions: list[QuestionRef]
    current_question_id: str | None = Field(description="the question being asked now")
    custom_question: str | None
    awaiting_reply: bool
    hints_used: int
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    messages: list[MessagePublic]
    scorecard: ScorecardPublic | None = None
    tailoring: TailoringPublic | None = Field(
        default=None, description="what a job description and CV changed about the questions"
    )


class TurnPublic(BaseModel):
    """The candidate's stored answer and the interviewer's stored reply."""

    candidate: MessagePublic
    interviewer: MessagePublic
    phase: str
    status: InterviewStatus


class ReplyPublic(BaseModel):
    """The interviewer's stored reply to a retried turn."""

    interviewer: MessagePublic
    phase: str
    status: InterviewStatus


class ErrorPublic(BaseModel):
    """Every error body: what went wrong and whether retrying can help."""

    detail: str
    code: str
    retryable: bool = False


class ValidationErrorPublic(ErrorPublic):
    """A 422: `detail` sums the problems up; `errors` lists each field's."""

    errors: list[dict[str, Any]] = Field(default_factory=list)


class TranscriptPublic(BaseModel):
    """A transcript export."""

    interview: InterviewPublic


class AccountExport(BaseModel):
    """Everything stored about one account."""

    user: UserPublic
    interviews: list[InterviewPublic]
    keep_recordings: bool = Field(description="the Keep my recordings setting")
    recordings: list[RecordingPublic] = Field(
        description="the kept recordings (GET each `url` for its audio)"
    )


class CodeCreate(BaseModel):
    """Python code for the question being asked."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        max_length=100_000,
        pattern=TEXT,
        description="not blank; at most ONSITE_MAX_CODE_CHARS characters (20,000 by default, "
        "100,000 at most)",
    )


class ExamplePublic(BaseModel):
    """A visible test: what Run checks."""

    name: str
    input: str


class CodeRunPublic(Public):
    """A Run (visible examples) or a Submit (every test), with per-test results.

    Hidden tests show only their status, runtime and error; never their input or values.
    """

    id: int
    kind: Literal["run", "submit"]
    question_id: str
    code: str
    status: RunStatus
    passed: int
    total: int
    hidden_passed: int
    hidden_total: int
    tests: list[TestResult]
    error: str | None
    output: str
    output_truncated: bool
    wall_ms: float
    created_at: datetime


class CodeWorkspacePublic(BaseModel):
    """The editor for the question being asked."""

    question_id: str
    title: str
    language: Literal["python"] = "python"
    framework: Framework = Field(
        description="what the question's code is written with: numpy (plain Python or NumPy) "
        "or pytorch (the starter imports torch)"
    )
    entry: str
    starter: str
    code: str = Field(description="the latest code run or submitted, else the starter")
    time_limit_seconds: float
    examples: list[ExamplePublic]
    hidden_tests: int
    enabled: bool
    reason: str | None = Field(description="why code cannot run on this server, when disabled")
    last_run: CodeRunPublic | None


class SubmissionPublic(BaseModel):
    """A submission's test results and the interviewer's reaction."""

    run: CodeRunPublic
    candidate: MessagePublic
    interviewer: MessagePublic
    phase: Literal["question", "candidate_questions", "closed"]
    status: InterviewStatus
