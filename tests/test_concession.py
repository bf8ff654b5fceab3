"""A reply that grants the interviewer's push-back before it says anything else."""

import pytest

from app.engine.concession import concedes


@pytest.mark.parametrize(
    "text",
    [
        "ok fair, going from 10 to 11 nodes almost every key moves",
        "Hmm, ok, thinking about it again, blocking calls release the GIL",
        "yeah my bad, on a timeout you don't know the state",
        "Oh right, it may have gone through.",
        "you're right that the test set leaks",
    ],
)
def test_a_reply_that_grants_the_push_back_concedes(text: str) -> None:
    assert concedes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Fair enough, but I'd still retry, it's usually a blip",
        "True negatives are the rare class here",
        "Right, so we store the row first",
        "Actually no, I take that back, wait, it does reduce bias.",
        "A deep tree has low bias and high variance; regularisation trades bias for variance.",
    ],
)
def test_a_reply_that_keeps_the_claim_or_just_starts_talking_concedes_nothing(text: str) -> None:
    assert not concedes(text)
