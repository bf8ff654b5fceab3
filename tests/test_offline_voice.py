"""The offline interviewer reads as a coherent interviewer: varied, never revealing, on script."""

from __future__ import annotations

from itertools import pairwise

import pytest

from app.content.loader import Content
from app.content.models import RoundType
from app.evaluation.simulate import interview

SCRIPTS = {
    "stuck": ["I don't know"] * 3,
    "hints": ["Can I get a hint?"] * 5,
    "terse": ["ok"] * 3,
    "garbled": ["asdkj qwpeoi zxmcnv lkjhgf"] * 3,
}


@pytest.mark.parametrize("round_type", list(RoundType))
@pytest.mark.parametrize("script", list(SCRIPTS))
def test_never_the_same_message_twice_in_a_row(
    content: Content, round_type: RoundType, script: str
) -> None:
    for question in content.questions_for(round_type)[:3]:
        transcript = interview(content, question.id, SCRIPTS[script])
        said = [line.content for line in transcript.lines if line.role == "interviewer"]
        assert transcript.state.phase == "closed"
        for before, after in pairwise(said):
            assert before != after, (question.id, before)


@pytest.mark.parametrize("round_type", list(RoundType))
def test_hidden_material_never_appears_in_the_interview(
    content: Content, round_type: RoundType
) -> None:
    for question in content.questions_for(round_type):
        transcript = interview(content, question.id, SCRIPTS["hints"] + SCRIPTS["stuck"])
        said = " ".join(line.content for line in transcript.lines if line.role == "interviewer")
        for point in question.key_points:
            assert point.text not in said, (question.id, point.id)
        for bullet in question.model_answer:
            assert bullet not in said, (question.id, bullet)


def test_hints_climb_one_step_at_a_time(content: Content) -> None:
    question = content.questions_for(RoundType.coding)[0]
    transcript = interview(content, question.id, ["Can I get a hint?"] * 4)
    said = [line.content for line in transcript.lines if line.role == "interviewer"]
    for level, hint in enumerate(question.hints, start=1):
        assert hint in said[level], (level, said[level])
    assert "all three hints" in said[4] or "last hint" in said[4]
    assert transcript.state.progress[0].hints_used == 3
