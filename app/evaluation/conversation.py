"""Running conversation scenarios through the real service and checking every expectation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from app.engine.state import InterviewState
from app.evaluation.checks import Failure, ObservedMove, check_move, check_scorecard
from app.evaluation.scenarios import ASKING_MOVES, Scenario
from app.evaluation.service import LocalService, Reply, ServiceError

# the interviewer's questions-for-me phase and a closing reply: enough to close any interview
CLOSING_TURNS = 3


@dataclass
class TurnRecord:
    """One scripted message and what the interviewer did with it (None: never sent)."""

    number: int
    said: str
    move: ObservedMove | None = None
    reply: str | None = None


@dataclass
class ScenarioResult:
    """A scenario's conversation, its scorecard and the expectations that failed."""

    scenario: Scenario
    turns: list[TurnRecord] = field(default_factory=list)
    scorecard: dict[str, Any] | None = None
    failures: list[Failure] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        """Every expectation held and the conversation ran."""
        return not self.failures and self.error is None

    @property
    def checks(self) -> int:
        """How many expectations were checked."""
        return self.scenario.expectation_count


def observed_move(reply: Reply, before: InterviewState) -> ObservedMove:
    """The move from the reply when the API carries it; otherwise read from the stored state
    (its kind, and for a question about a gap, the point or section just added to `probed`)."""
    if reply.move is not None and reply.move.get("kind"):
        return ObservedMove(
            kind=str(reply.move["kind"]),
            target_id=reply.move.get("target_id"),
            reason=reply.move.get("reason"),
            source="api",
        )
    after = reply.state
    last = after.last_move
    kind = str(getattr(last, "kind", last) or "unknown")
    target = None
    if kind in ASKING_MOVES and after.progress:
        # read defensively: the state's shape belongs to the director and may change
        earlier = {p.topic_id: set(getattr(p, "probed", ())) for p in before.progress}
        current = after.progress[after.index]
        probed = list(getattr(current, "probed", ()))
        added = [t for t in probed if t not in earlier.get(current.topic_id, set())]
        target = added[-1] if added else None
    return ObservedMove(kind=kind, target_id=target, source="state")


async def run_scenario(service: LocalService, scenario: Scenario) -> ScenarioResult:
    """Play the scenario's script through the service, then finish and score the interview."""
    result = ScenarioResult(scenario=scenario)
    try:
        interview_id, _ = await service.start(
            round_id=scenario.round.value, question_id=scenario.question
        )
        state = await service.state(interview_id)
        for number, turn in enumerate(scenario.script, start=1):
            record = TurnRecord(number=number, said=turn.say)
            result.turns.append(record)
            if state.phase == "closed":
                continue
            await service.set_elapsed(interview_id, number * scenario.seconds_per_turn)
            reply = await service.answer(interview_id, turn.say)
            record.move, record.reply = observed_move(reply, state), reply.text
            state = reply.state
        for _ in range(CLOSING_TURNS):  # the script ran out: close politely, then score
            if state.phase != "candidate_questions":
                break
            state = (await service.answer(interview_id, scenario.closing)).state
        result.scorecard = await service.finish(interview_id)
    except ServiceError as error:
        result.error = str(error)
    result.failures = _failures(scenario, result)
    return result


def _failures(scenario: Scenario, result: ScenarioResult) -> list[Failure]:
    failures = []
    for turn, record in zip(scenario.script, result.turns, strict=False):
        if turn.expect is not None:
            failures += check_move(record.number, turn.expect, record.move, record.reply or "")
    if scenario.scorecard is not None and result.error is None:
        failures += check_scorecard(scenario.scorecard, result.scorecard)
    return failures


async def run_scenarios(
    service: LocalService, scenarios: Sequence[Scenario]
) -> list[ScenarioResult]:
    """Every scenario, one interview each, in order."""
    return [await run_scenario(service, scenario) for scenario in scenarios]


def table(results: Sequence[ScenarioResult]) -> str:
    """One row per scenario (the first failure shown), then the pass rate."""
    width = max((len(r.scenario.name) for r in results), default=8)
    head = f"{'scenario':{width}}  {'round':16}  {'result':6}  {'failed':>6}  first failure"
    lines = [head, "-" * len(head)]
    for r in results:
        verdict = "pass" if r.passed else "FAIL"
        first = r.error or (str(r.failures[0]) if r.failures else "")
        failed = f"{len(r.failures)}/{r.checks}"
        lines.append(
            f"{r.scenario.name:{width}}  {r.scenario.round.value:16}  {verdict:6}  {failed:>6}  "
            f"{first}"
        )
    lines.append("-" * len(head))
    rounds = sorted({r.scenario.round.value for r in results})
    for round_id in rounds:
        mine = [r for r in results if r.scenario.round.value == round_id]
        lines.append(f"{round_id:16}  passed {sum(r.passed for r in mine)}/{len(mine)}")
    passed = sum(r.passed for r in results)
    checks = sum(r.checks for r in results)
    held = checks - sum(len(r.failures) for r in results)
    lines.append("-" * len(head))
    lines.append(
        f"scenarios passed: {passed}/{len(results)} ({pass_rate(results):.0%}); "
        f"expectations held: {held}/{checks}"
    )
    return "\n".join(lines)


def details(results: Sequence[ScenarioResult]) -> str:
    """Every failure of every failing scenario, with the candidate's words at that turn."""
    out = []
    for r in results:
        if r.passed:
            continue
        out.append(f"\n{r.scenario.name}: {r.scenario.about}")
        if r.error:
            out.append(f"  error: {r.error}")
        for failure in r.failures:
            said = ""
            if failure.turn is not None:
                words = r.turns[failure.turn - 1].said.split()
                said = f'  [candidate: "{" ".join(words[:14])}{" ..." if len(words) > 14 else ""}"]'
            out.append(f"  {failure}{said}")
    return "\n".join(out)


def pass_rate(results: Sequence[ScenarioResult]) -> float:
    """Share of scenarios whose every expectation held."""
    return sum(r.passed for r in results) / len(results) if results else 0.0
