"""The scorecard agrees with the interview about what was said: the offline scorer reconciles
its own reading with the assessor's (a paraphrase it credited counts, a wrong claim never does).
"""

from __future__ import annotations

from app.content.loader import Content
from app.evaluation.simulate import interview, score

QUESTION = "container-with-most-water"


def _missed(content: Content, said: list[str]) -> set[str]:
    card = score(content, interview(content, QUESTION, said))
    return {m.key_point_id for m in card.missed_points}


def test_a_wrong_claim_in_the_points_own_words_earns_nothing(content: Content) -> None:
    # "two pointers at the ends" is in the point's words, but moving the taller one is its
    # common wrong version: the assessor found it wrong, so the scorecard credits nothing
    said = [
        "Two pointers at the ends. I'd always move the pointer at the taller line inward, "
        "because the taller line is the bottleneck for the area."
    ]
    assert "two-pointer-ends" in _missed(content, said)


def test_a_paraphrase_the_assessor_credited_is_not_missed(content: Content) -> None:
    # none of the point's short phrases, only one of its paraphrases
    said = [
        "Start with a pointer at each end of the array and step the one at the shorter line "
        "inward. The shorter line can never be part of a better answer."
    ]
    assert "why-shorter-moves" not in _missed(content, said)
