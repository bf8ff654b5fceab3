"""Every coding and ML coding question is runnable, and its tests are proven by its own code."""

from __future__ import annotations

import ast

import pytest

from app.content.loader import Content
from app.content.models import RoundType
from app.sandbox.backends import Bubblewrap
from app.sandbox.runner import CodeRunner
from app.sandbox.slicing import defined_names, plan
from app.sandbox.verify import problems_of

RUNNABLE = (RoundType.coding, RoundType.ml_coding)


def test_every_coding_question_has_a_signature_examples_and_hidden_tests(
    content: Content,
) -> None:
    for round_type in RUNNABLE:
        for question in content.questions_for(round_type):
            spec = question.code
            assert spec is not None, f"{question.id} has no code block"
            assert spec.entry in spec.starter, question.id
            assert spec.visible_tests and len(spec.tests) - len(spec.visible_tests) >= 2
            # the candidate reads the function's name in the question itself
            assert spec.entry in question.prompt, (
                f"{question.id}: prompt does not name {spec.entry}"
            )


def test_ml_coding_tests_use_tolerances_or_property_checks(content: Content) -> None:
    for question in content.questions_for(RoundType.ml_coding):
        assert question.code is not None
        tolerant = [
            t
            for t in question.code.tests
            if t.compare == "approx" or (t.check and "np." in t.check)
        ]
        assert tolerant, f"{question.id}: compare arrays with a tolerance or check properties"


@pytest.mark.usefixtures("sandbox")
@pytest.mark.parametrize("round_type", RUNNABLE)
async def test_reference_solutions_pass_and_starters_fail(
    content: Content, round_type: RoundType, request: pytest.FixtureRequest
) -> None:
    questions = content.questions_for(round_type)
    if any(q.code and q.code.framework == "pytorch" for q in questions):
        request.getfixturevalue("sandbox_torch")
    runner = CodeRunner(backend=Bubblewrap(), workers=2)
    problems = []
    for question in questions:
        problems += await problems_of(runner=runner, question=question, speed_margin=None)
    assert problems == []


def _loaded(source: str, mode: str = "exec") -> set[str]:
    tree = ast.parse(source, mode=mode)
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def test_the_sandbox_gets_no_value_that_only_the_check_uses(content: Content) -> None:
    # what a test's expect or check compares with (an expected list, a reference output) must
    # stay in the checker: the sandbox's part of the setup defines only what the call uses
    leaks = []
    for round_type in RUNNABLE:
        for question in content.questions_for(round_type):
            assert question.code is not None
            for test in question.code.tests:
                snippet, mode = (test.expect, "eval") if test.expect else (test.check or "", "exec")
                candidate = {question.code.entry, *question.code.also}
                split = plan(
                    setup=test.setup, call=test.call, snippet=snippet, mode=mode,
                    candidate=candidate,
                )  # fmt: skip
                ours = split.sandbox
                used = _loaded(ours) | _loaded(test.call, "eval") | set(split.ship)
                judged = _loaded(split.checker) | _loaded(snippet, mode)
                extra = (defined_names(ours) - used) & judged
                if extra:
                    leaks.append(f"{question.id} / {test.name}: {sorted(extra)}")
    assert leaks == []
