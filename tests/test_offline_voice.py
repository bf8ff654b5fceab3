"""The offline interviewer reads as a coherent interviewer: varied, never revealing, on script."""

from __future__ import annotations

from itertools import pairwise

import pytest

from app.content.loader import Content
from app.content.models import RoundType
from app.evaluation.simulate import NO_QUESTIONS, interview

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
    for level, step in enumerate(question.hints, start=1):
        assert step.text in said[level], (level, said[level])
    assert "all three hints" in said[4] or "last hint" in said[4]
    assert transcript.state.progress[0].hints_used == 3


def test_a_closing_question_is_answered_honestly_as_a_practice_interviewer(
    content: Content,
) -> None:
    question = content.questions_for(RoundType.ml_theory)[0]
    transcript = interview(content, question.id, ["That covers what I know."])
    said = [line.content for line in transcript.lines if line.role == "interviewer"]
    assert "questions for me" in said[-2] or "ask me" in said[-2]
    # the simulator's candidate has no questions; ask one the way a candidate would
    from app.engine.assessor import assess
    from app.engine.director import Director
    from app.engine.topics import bank_topic
    from app.voice.offline import OfflineVoice
    from app.voice.scene import scene_for

    spec = content.rounds[question.round]
    director = Director(spec=spec, topics=[bank_topic(question, spec)])
    state = transcript.state.model_copy(update={"phase": "candidate_questions"})
    text = "What does your team work on day to day?"
    decision = director.decide(
        state=state, assessment=assess(director.topic_of(state), spec, text), elapsed_seconds=900
    )
    scene = scene_for(
        director=director,
        rubric=content.rubrics[question.round],
        decision=decision,
        history=[],
        role="Engineer",
        level="senior",
    )
    reply = OfflineVoice(content.prompts).compose(scene)
    assert decision.move.kind.value == "answer_question"
    assert "practice interviewer" in reply
    assert decision.state.phase == "candidate_questions"


def test_a_challenge_quotes_the_candidate_and_keeps_the_note_hidden(content: Content) -> None:
    question = content.questions["container-with-most-water"]
    transcript = interview(
        content, question.id, ["Pointers at both ends, and then you'd move the taller one inward."]
    )
    said = [line.content for line in transcript.lines if line.role == "interviewer"]
    point = next(k for k in question.key_points if k.id == "two-pointer-ends")
    assert point.challenge in said[1]
    assert "move the taller one inward" in said[1]
    for version in point.wrong:
        assert version.note not in " ".join(said)
    assert not said[1].startswith(("Good", "Right", "Okay", "Thanks"))


def test_a_simpler_wording_is_said_as_a_rephrasing_not_as_the_question_again(
    content: Content,
) -> None:
    transcript = interview(content, "top-k-frequent", ["Can you say it in simpler terms?"])
    said = [line.content for line in transcript.lines if line.role == "interviewer"][1]
    assert content.questions["top-k-frequent"].plain in said
    assert "You may assume" not in said and "The question was" not in said


@pytest.mark.parametrize(
    ("script", "phrasing"),
    [
        (["load balancer, cache, database, sharding, replication, CDN"] * 3, "wrap_up_stuck"),
        (["I don't know"] * 4, "wrap_up_stuck"),
        (["I give up, next question please"], "wrap_up_skipped"),
    ],
)
def test_the_wrap_up_says_why_the_questions_ended(
    content: Content, script: list[str], phrasing: str
) -> None:
    """Answers that went nowhere, or a question given up, are not "we've covered what I
    wanted to cover"."""
    transcript = interview(content, "news-feed", script)
    lines = [(line.role, line.content) for line in transcript.lines]
    first_closing = lines.index(("candidate", NO_QUESTIONS))
    wrap_up = lines[first_closing - 1][1]
    prompts = content.prompts
    spec = content.rounds[content.questions["news-feed"].round]
    count = prompts.phrasing_count(phrasing)
    variants = [prompts.phrase(phrasing, n, round=spec) for n in range(count)]
    assert any(wrap_up.endswith(v) for v in variants), wrap_up


def test_a_dodged_question_asked_again_says_it_comes_back_to_it(content: Content) -> None:
    transcript = interview(
        content,
        "median-data-stream",
        [
            "Two heaps, a max-heap for the lower half and a min-heap for the upper half.",
            "sizes differ by at most 1, and everything in the low heap is <= everything in the "
            "high one. After a push, move the top across if that breaks.",
            "heapq with negated values",
            "O(log n) per add, O(1) per median query, O(n) space.",
            "The simplest is a sorted list with insort, but each insert shifts elements, O(n).",
            "For a window I'd need deletions, so lazy deletion with a hash map of pending "
            "removals; for values 0..100 a count array of 101 buckets.",
        ],
    )
    said = [line.content for line in transcript.lines if line.role == "interviewer"]
    back = next(s for s in said if "even, and when it is odd" in s and s != said[2])
    assert "earlier" in back


@pytest.mark.parametrize(
    ("text", "said", "unsaid"),
    [
        (
            "mutual exclusion, hold and wait, no preemption and circular wait. you need all four",
            ["“mutual exclusion”", "“circular wait”"],
            ["“no preemption”"],
        ),
    ],
)
def test_a_list_is_acknowledged_as_a_whole(
    content: Content, text: str, said: list[str], unsaid: list[str]
) -> None:
    transcript = interview(content, "deadlocks", [text])
    reply = [line.content for line in transcript.lines if line.role == "interviewer"][1]
    assert all(s in reply for s in said), reply
    assert not any(s in reply for s in unsaid), reply


def test_a_roll_call_hears_that_the_pieces_will_be_taken_one_at_a_time(
    content: Content,
) -> None:
    transcript = interview(
        content,
        "url-shortener",
        [
            "Base62 keys from a global counter, a key value store like DynamoDB, a Redis cache in "
            "front of it, 302 redirects for analytics, and Kafka for click events."
        ],
    )
    reply = [line.content for line in transcript.lines if line.role == "interviewer"][1]
    # no "“Base62”: noted" before it: naming it was the problem
    assert "one at a time" in reply or "one by one" in reply
    assert "noted" not in reply and "picture" not in reply
