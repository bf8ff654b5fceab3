"""Check a runnable question's tests against its own code: the reference solution passes every
test and the starter code does not pass them all. Used by the test suite and by content authors:

    python -m app.sandbox.verify [question-id ...]
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

from app.config import PROJECT_ROOT
from app.content.loader import load_content
from app.content.models import Question
from app.sandbox.backends import Bubblewrap
from app.sandbox.runner import CodeRunner


async def problems_of(
    *, runner: CodeRunner, question: Question, speed_margin: float | None = 0.25
) -> list[str]:
    """What is wrong with a question's runnable tests; empty when they are sound.

    With speed_margin, the solution must also finish each test within that share of the time
    limit, so that a slower machine does not fail correct code (an authoring check; the test
    suite leaves timing out).
    """
    spec = question.code
    if spec is None:
        return [f"{question.id}: no code block"]
    problems = []
    report = await runner.run(code=spec.solution, spec=spec, tests=spec.tests)
    if report.status != "passed":
        for test, result in zip(spec.tests, report.tests, strict=True):
            if result.status != "passed":
                problems.append(
                    f"{question.id}: the solution does not pass {test.name!r}: {result.status} "
                    f"{result.error or ''} {result.actual or ''}".strip()
                )
        if report.error:
            problems.append(f"{question.id}: solution run: {report.status}: {report.error}")
    starter = await runner.run(code=spec.starter, spec=spec, tests=spec.tests)
    if starter.status == "passed":
        problems.append(f"{question.id}: the starter code passes every test")
    slowest = max((r.runtime_ms or 0 for r in report.tests), default=0)
    if speed_margin is not None and slowest > spec.time_limit_seconds * 1000 * speed_margin:
        problems.append(
            f"{question.id}: the solution takes {slowest:.0f} ms on one test, more than "
            f"{speed_margin:.0%} of the {spec.time_limit_seconds:g} s limit"
        )
    return problems


async def _main(ids: Sequence[str]) -> int:
    content = load_content(PROJECT_ROOT)
    runner = CodeRunner(backend=Bubblewrap())
    reason = await runner.check()
    if reason:
        print(reason, file=sys.stderr)
        return 2
    questions = (
        [content.questions[i] for i in ids]
        if ids
        else [q for q in content.questions.values() if q.code is not None]
    )
    failures = 0
    for question in questions:
        found = await problems_of(runner=runner, question=question)
        failures += bool(found)
        print(f"{question.id}: {'ok' if not found else 'FAILED'}")
        for line in found:
            print(f"  {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_main(sys.argv[1:])))
