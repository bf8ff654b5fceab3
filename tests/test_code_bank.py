"""Every coding and ML coding question is runnable, and its tests are proven by its own code."""

from __future__ import annotations

import pytest

from app.content.loader import Content
from app.content.models import RoundType
from app.sandbox.backends import Bubblewrap
from app.sandbox.runner import CodeRunner
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
    content: Content, round_type: RoundType
) -> None:
    runner = CodeRunner(backend=Bubblewrap(), workers=2)
    problems = []
    for question in content.questions_for(round_type):
        problems += await problems_of(runner=runner, question=question, speed_margin=None)
    assert problems == []
