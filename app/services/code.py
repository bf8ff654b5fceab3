"""Code in coding rounds: the workspace, Run (visible examples) and the tests of a Submit.

A Submit is a turn (see turns.accept_submission): its code is stored as the candidate's message
with a pending run before the sandbox starts, so nothing is lost if the process dies; the run
happens when the turn is voiced, and a retry runs it again if it never finished.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import col, select

from app.content.models import CodeSpec, Question, RoundType
from app.engine.moves import CodeOutcome
from app.sandbox.models import RunReport
from app.sandbox.runner import RunnerBusy, RunnerUnavailable
from app.services import limits
from app.services.errors import CodeRunnerBusy, CodeRunnerUnavailable, Conflict, Invalid
from app.services.interviews import get_owned, state_of
from app.services.runtime import Runtime
from app.store.models import CodeRun, Interview, InterviewStatus, Message, User

FENCE = "```"
RUNS_LISTED = 50


@dataclass(frozen=True)
class Workspace:
    """The editor for the question being asked: what to write, the examples, the last code."""

    question: Question
    spec: CodeSpec
    enabled: bool
    reason: str | None
    code: str
    last_run: CodeRun | None


def check_code(code: str, *, limit: int) -> str:
    """Refuse empty and oversized code with a clear reason; never truncate."""
    if not code.strip():
        raise Invalid("the code is empty")
    if len(code) > limit:
        raise Invalid(f"the code has {len(code)} characters; the limit is {limit}")
    if "\x00" in code:
        raise Invalid("the code contains a NUL character")
    return code


def as_message(code: str) -> str:
    """The transcript message of a submission: the code in a fenced block."""
    fence = FENCE
    while fence in code:
        fence += "`"
    return f"Submitted code:\n\n{fence}python\n{code.rstrip()}\n{fence}"


def runnable_question(*, runtime: Runtime, interview: Interview) -> str:
    """The id of the question being asked, if it has tests; otherwise a clear conflict."""
    if RoundType(interview.round) not in (RoundType.coding, RoundType.ml_coding):
        raise Conflict("code can only be run in coding and ML coding rounds")
    if interview.custom_question is not None:
        raise Conflict("your own question has no tests to run code against")
    state = state_of(interview)
    if state.phase != "question":
        raise Conflict("the questions are over; finish the interview to see your scorecard")
    question_id = interview.question_ids[state.index]
    if runtime.content.questions[question_id].code is None:
        raise Conflict(f"question {question_id!r} has no tests to run code against")
    return question_id


async def refuse_if_unavailable(*, runtime: Runtime) -> None:
    """Raise a 503 with the reason when code cannot run on this server."""
    reason = await runtime.runner.check()
    if reason:
        raise CodeRunnerUnavailable(reason)


async def workspace(*, runtime: Runtime, owner: User, interview_id: uuid.UUID) -> Workspace:
    """The current question's workspace, with the candidate's latest code if any."""
    async with runtime.reading() as session:
        interview = await get_owned(session=session, owner=owner, interview_id=interview_id)
        question_id = runnable_question(runtime=runtime, interview=interview)
        last = (
            await session.exec(
                select(CodeRun)
                .where(
                    CodeRun.interview_id == interview.id,
                    CodeRun.question_id == question_id,
                    CodeRun.status != "pending",
                )
                .order_by(col(CodeRun.created_at).desc(), col(CodeRun.id).desc())
                .limit(1)
            )
        ).first()
    question = runtime.content.questions[question_id]
    assert question.code is not None
    reason = await runtime.runner.check()
    return Workspace(
        question=question,
        spec=question.code,
        enabled=reason is None,
        reason=reason,
        code=last.code if last else question.code.starter,
        last_run=last,
    )


async def run_examples(
    *, runtime: Runtime, owner: User, interview_id: uuid.UUID, code: str
) -> CodeRun:
    """Run code against the current question's visible examples and store the run."""
    check_code(code, limit=runtime.settings.max_code_chars)
    async with runtime.reading() as session:
        interview = await get_owned(session=session, owner=owner, interview_id=interview_id)
        if interview.status is not InterviewStatus.active:
            raise Conflict(f"the interview is {interview.status}; start a new one to run code")
        question_id = runnable_question(runtime=runtime, interview=interview)
    await refuse_if_unavailable(runtime=runtime)
    await _count_run(runtime, owner.id)
    spec = runtime.content.questions[question_id].code
    assert spec is not None
    report = await _run(runtime, code, spec, visible_only=True, user=str(owner.id))
    run = CodeRun(
        interview_id=interview_id, question_id=question_id, kind="run", code=code, status="pending"
    )
    _record(run, report, spec, visible_only=True)
    async with runtime.writing() as session:
        session.add(run)
        await session.commit()
    return run


async def evaluate(*, runtime: Runtime, message: Message) -> CodeOutcome:
    """Run a submission's tests (unless a stored result exists) and say what they showed."""
    async with runtime.reading() as session:
        run = (await session.exec(select(CodeRun).where(CodeRun.message_id == message.id))).one()
        interview = await session.get_one(Interview, run.interview_id)
    spec = runtime.content.questions[run.question_id].code
    assert spec is not None
    if run.status == "pending":
        await refuse_if_unavailable(runtime=runtime)
        user = str(interview.owner_id)
        report = await _run(runtime, run.code, spec, visible_only=False, user=user)
        async with runtime.writing() as session:
            run = await session.get_one(CodeRun, run.id)
            _record(run, report, spec, visible_only=False)
            session.add(run)
            await session.commit()
    return outcome_of(RunReport.model_validate(run.report), run)


async def list_runs(*, runtime: Runtime, owner: User, interview_id: uuid.UUID) -> list[CodeRun]:
    """The interview's runs and submissions, newest first."""
    async with runtime.reading() as session:
        interview = await get_owned(session=session, owner=owner, interview_id=interview_id)
        rows = await session.exec(
            select(CodeRun)
            .where(CodeRun.interview_id == interview.id, CodeRun.status != "pending")
            .order_by(col(CodeRun.created_at).desc(), col(CodeRun.id).desc())
            .limit(RUNS_LISTED)
        )
        return list(rows.all())


async def submissions_of(*, runtime: Runtime, interview_id: uuid.UUID) -> list[CodeRun]:
    """The interview's finished submissions, oldest first (for scoring)."""
    async with runtime.reading() as session:
        rows = await session.exec(
            select(CodeRun)
            .where(
                CodeRun.interview_id == interview_id,
                CodeRun.kind == "submit",
                CodeRun.status != "pending",
            )
            .order_by(col(CodeRun.created_at), col(CodeRun.id))
        )
        return list(rows.all())


async def _count_run(runtime: Runtime, user_id: uuid.UUID) -> None:
    limit = runtime.settings.max_code_runs_per_minute
    await limits.count(
        runtime=runtime,
        key=f"code:{user_id}",
        limit=limit,
        window_seconds=60,
        message=f"you have run code {limit} times in a minute, the limit; wait a moment",
    )


async def _run(
    runtime: Runtime, code: str, spec: CodeSpec, *, visible_only: bool, user: str
) -> RunReport:
    tests = spec.visible_tests if visible_only else spec.tests
    try:
        # per user: one candidate holds at most a share of the sandbox's slots
        return await runtime.runner.run(code=code, spec=spec, tests=tests, user=user)
    except RunnerUnavailable as error:
        raise CodeRunnerUnavailable(str(error)) from error
    except RunnerBusy as error:
        raise CodeRunnerBusy(str(error)) from error


def _record(run: CodeRun, report: RunReport, spec: CodeSpec, *, visible_only: bool) -> None:
    """Copy a report onto its run row, with the hidden tests' tally."""
    hidden = [r for r in report.tests if not r.visible]
    run.status = report.status
    run.passed = report.passed
    run.total = report.total
    run.hidden_passed = sum(r.status == "passed" for r in hidden)
    run.hidden_total = 0 if visible_only else len(hidden)
    run.report = report.model_dump(mode="json")


def outcome_of(report: RunReport, run: CodeRun) -> CodeOutcome:
    """What the interviewer may say about a submission: a visible failure in full, else counts."""
    failures = [t for t in report.tests if t.status != "passed"]
    shown = next((t for t in failures if t.visible), failures[0] if failures else None)
    error = report.error or (shown.error if shown else None)
    last_line = error.strip().splitlines()[-1] if error and error.strip() else None
    visible = shown is not None and shown.visible
    return CodeOutcome(
        status=report.status,
        passed=run.passed,
        total=run.total,
        hidden_passed=run.hidden_passed,
        hidden_total=run.hidden_total,
        failing_input=shown.input if visible and shown else None,
        expected=shown.expected if visible and shown else None,
        actual=shown.actual if visible and shown else None,
        error=last_line,
    )


async def run_of_message(*, runtime: Runtime, message_id: int | None) -> CodeRun:
    """The run of a submission's message."""
    async with runtime.reading() as session:
        return (await session.exec(select(CodeRun).where(CodeRun.message_id == message_id))).one()
