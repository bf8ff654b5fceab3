"""The configured LLM plays candidates of several levels through the real service, and an LLM
judge grades each interviewer transcript against a checklist of good interviewing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from app.content.loader import Content
from app.content.models import Question
from app.evaluation.service import LocalService, ServiceError
from app.llm.client import LLMClient, LLMError

LEVELS = ("strong", "medium", "weak")
SECONDS_PER_TURN = 150
MAX_TURNS = 30
CheckId = Literal[
    "no_reasking",
    "challenged_wrong_claims",
    "answered_hint_requests",
    "reached_every_section",
    "kept_the_answer_back",
    "answered_candidate_questions",
]


@dataclass(frozen=True)
class Check:
    """One thing a good interviewer does, as the judge is asked it."""

    id: str
    question: str


CHECKS = (
    Check("no_reasking", "Did the interviewer avoid asking again for something already answered?"),
    Check(
        "challenged_wrong_claims",
        "When the candidate stated something wrong, did the interviewer push back or probe it "
        "rather than accept it (e.g. 'right, noted')?",
    ),
    Check(
        "answered_hint_requests",
        "Was every request for a hint or help answered with a hint, wherever in the message it "
        "was asked?",
    ),
    Check(
        "reached_every_section",
        "Did the interview reach every part of the round the time allowed, rather than moving on "
        "or closing while important parts were untouched?",
    ),
    Check(
        "kept_the_answer_back",
        "Did the interviewer avoid giving away the answer (hints nudge, they do not solve)?",
    ),
    Check(
        "answered_candidate_questions",
        "Were the candidate's clarifying questions and closing questions answered honestly?",
    ),
)


class JudgeCheck(BaseModel):
    """The judge's finding on one check: the evidence first, then the verdict."""

    model_config = ConfigDict(extra="forbid")

    check: CheckId
    evidence: str
    passed: bool


class JudgeVerdict(BaseModel):
    """The judge's findings on every check, and a short overall remark."""

    model_config = ConfigDict(extra="forbid")

    checks: list[JudgeCheck]
    summary: str


@dataclass(frozen=True)
class Line:
    """One message of a played interview."""

    role: Literal["interviewer", "candidate"]
    content: str


@dataclass
class PlayedInterview:
    """A candidate level's interview on one question, its scorecard and the judge's findings."""

    question: str
    round: str
    level: str
    lines: list[Line] = field(default_factory=list)
    scorecard: dict[str, Any] | None = None
    verdict: JudgeVerdict | None = None
    error: str | None = None

    @property
    def findings(self) -> dict[str, bool | None]:
        """Each check's verdict; None when the judge left it out (or did not run)."""
        found: dict[str, bool | None] = {c.id: None for c in CHECKS}
        for item in self.verdict.checks if self.verdict else []:
            found[item.check] = item.passed
        return found

    @property
    def failed_checks(self) -> list[str]:
        """Checks the judge failed or left out."""
        return [name for name, passed in self.findings.items() if passed is not True]


async def candidate_reply(
    client: LLMClient, content: Content, question: Question, level: str, lines: Sequence[Line]
) -> str:
    """What the LLM, playing a candidate of this level, says next."""
    system = content.prompts.render(
        "eval/candidate.j2", round=content.rounds[question.round], question=question, level=level
    )
    # the candidate is the assistant here: the interviewer's lines are what it replies to
    messages = [{"role": "system", "content": system}] + [
        {"role": "user" if line.role == "interviewer" else "assistant", "content": line.content}
        for line in lines
    ]
    pieces = [piece async for piece in client.stream(messages) if isinstance(piece, str)]
    return "".join(pieces).strip() or "Sorry, could you repeat that?"


async def judge(
    client: LLMClient, content: Content, question: Question, lines: Sequence[Line]
) -> JudgeVerdict:
    """The checklist judge's verdict on one transcript (a structured call)."""
    system = content.prompts.render(
        "eval/judge_system.j2", round=content.rounds[question.round], question=question,
        checks=CHECKS,
    )
    user = content.prompts.render("eval/judge_user.j2", lines=lines)
    verdict, _ = await client.structured(
        [{"role": "system", "content": system}, {"role": "user", "content": user}],
        JudgeVerdict,
        purpose="grading",
    )
    return verdict


async def play(
    service: LocalService, client: LLMClient, content: Content, question: Question, level: str
) -> PlayedInterview:
    """One interview with the LLM as the candidate, scored by the service, then judged."""
    played = PlayedInterview(question=question.id, round=question.round.value, level=level)
    try:
        interview_id, opening = await service.start(
            round_id=question.round.value, question_id=question.id
        )
        played.lines.append(Line("interviewer", opening))
        phase = "question"
        for number in range(1, MAX_TURNS + 1):
            if phase == "closed":
                break
            text = await candidate_reply(client, content, question, level, played.lines)
            await service.set_elapsed(interview_id, number * SECONDS_PER_TURN)
            reply = await service.answer(interview_id, text)
            played.lines += [Line("candidate", text), Line("interviewer", reply.text)]
            phase = reply.phase
        try:
            played.scorecard = await service.finish(interview_id)
        except ServiceError as error:  # the transcript can still be judged without a scorecard
            played.error = f"not scored: {error}"
        played.verdict = await judge(client, content, question, played.lines)
    except LLMError as error:
        played.error = f"the LLM failed: {error}"
    except ServiceError as error:
        played.error = str(error)
    return played


async def play_all(
    service: LocalService,
    client: LLMClient,
    content: Content,
    questions: Sequence[Question],
    levels: Sequence[str] = LEVELS,
) -> list[PlayedInterview]:
    """Every level on every question, one interview each."""
    return [
        await play(service, client, content, question, level)
        for question in questions
        for level in levels
    ]


def table(played: Sequence[PlayedInterview]) -> str:
    """One row per interview, then each check's pass rate over all interviews."""
    head = (
        f"{'question':30} {'level':7} {'turns':>5} {'scorecard':>18} {'judge':>6}  failed checks"
    )
    lines = [head, "-" * len(head)]
    for p in played:
        turns = sum(1 for line in p.lines if line.role == "candidate")
        card = p.scorecard or {}
        shown = f"{card.get('recommendation', '-')} {card.get('overall', 0):.2f}" if card else "-"
        passed = len(CHECKS) - len(p.failed_checks)
        failed = p.error or ", ".join(p.failed_checks)
        lines.append(
            f"{p.question[:30]:30} {p.level:7} {turns:5d} {shown:>18} "
            f"{passed}/{len(CHECKS):<4}  {failed}"
        )
    lines.append("-" * len(head))
    for check in CHECKS:
        verdicts = [p.findings[check.id] for p in played]
        ok = sum(v is True for v in verdicts)
        lines.append(f"{check.id:30} passed in {ok}/{len(verdicts)} interviews")
    return "\n".join(lines)


def levels_in_order(played: Sequence[PlayedInterview]) -> float:
    """Share of questions whose overall scores rank strong >= medium >= weak."""
    by_question: dict[str, dict[str, float]] = {}
    for p in played:
        if p.scorecard is not None:
            by_question.setdefault(p.question, {})[p.level] = float(p.scorecard["overall"])
    complete = [s for s in by_question.values() if set(LEVELS) <= set(s)]
    ordered = [s["strong"] >= s["medium"] >= s["weak"] for s in complete]
    return sum(ordered) / len(ordered) if ordered else 0.0
