"""What an experienced interviewer does with what the candidate said, on the real content:
hints aimed at the stated gap, wrong figures challenged, hypotheticals not credited, and a
scorecard whose rationales never contradict themselves."""

from __future__ import annotations

from app.content.loader import Content
from app.engine.assessment import Assessment
from app.engine.assessor import assess
from app.engine.text import units
from app.engine.topics import bank_topic
from app.scoring.answers import group_answers
from app.scoring.evidence import CandidateMessage
from app.scoring.offline import score_offline
from app.scoring.models import ScoreResult
from app.engine.state import InterviewState


def assessed(content: Content, question_id: str, text: str) -> Assessment:
    question = content.questions[question_id]
    spec = content.rounds[question.round]
    return assess(bank_topic(question, spec), spec, text)


def scored(content: Content, question_id: str, said: list[str], outcome: str = "limit") -> ScoreResult:
    question = content.questions[question_id]
    spec = content.rounds[question.round]
    topic = bank_topic(question, spec)
    state = InterviewState(
        round=question.round,
        plan=[topic.id],
        budget_seconds=3600,
        progress=[{"topic_id": topic.id, "outcome": outcome}],
    )
    messages = [CandidateMessage(seq=2 * n, content=t) for n, t in enumerate(said, start=1)]
    groups = group_answers(messages, state, [topic], spec)
    return score_offline(groups=groups, rubric=content.rubrics[question.round], spec=spec)


def criterion(result: ScoreResult, criterion_id: str):
    return next(c for c in result.criteria if c.criterion_id == criterion_id)


# ----------------------------------------------------------------- prose is not code


def test_a_sentence_with_a_complexity_in_it_is_prose_and_can_be_a_wrong_claim(
    content: Content,
) -> None:
    assert [u.kind for u in units("So the lookup is O(n) (one scan).")] == ["prose"]
    assert [u.kind for u in units("return seen[target - x]")] == ["code"]
    a = assessed(content, "two-sum", "A dictionary lookup is O(n) in the size of the map.")
    assert [c.key_point for c in a.claims] == ["hash-complement"]


def test_prose_about_returning_a_value_is_not_code_written(content: Content) -> None:
    said = [
        "I scan once with a dictionary of seen values and their indices, and if nothing adds "
        "up I return -1 to the caller."
    ]
    result = scored(content, "two-sum", said)
    assert "Code written in 0 of 1 answers" in criterion(result, "code_quality").rationale


# ----------------------------------------------------------------- rationales


def test_a_rationale_never_counts_a_part_missing_that_its_key_point_covers(
    content: Content,
) -> None:
    said = ["I'd test an empty list, a single element, and a list where no valid pair exists."]
    result = scored(content, "two-sum", said)
    testing = criterion(result, "testing").rationale
    assert "(Testing)" in testing and "not addressed" not in testing.lower(), testing
    for item in result.criteria:
        sentences = item.rationale.split(". ")
        for sentence in sentences:
            _, _, missing = sentence.lower().partition("not addressed: ")
            assert not missing or "covered" not in missing, item.rationale
