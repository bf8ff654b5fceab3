"""The leak guard catches hidden runs of words however the stream splits them into tokens."""

from __future__ import annotations

from app.voice.guard import LeakGuard, _secret_runs

HIDDEN = "the variance of the estimator shrinks as one over the square root of n"
PUBLIC = "How does the variance of an estimator change with the sample size?"


def _guard(said: tuple[str, ...] = ()) -> LeakGuard:
    return LeakGuard(_secret_runs((HIDDEN,), (PUBLIC,)), said)


def _first_leak(guard: LeakGuard, tokens: list[str]) -> int | None:
    for index, token in enumerate(tokens):
        if guard.feed(token):
            return index
    return None


def test_a_hidden_run_is_caught_token_by_token_in_any_split() -> None:
    reply = "Good point. In short, " + HIDDEN + ", as you said."
    for size in (1, 3, 7, 40):
        tokens = [reply[i : i + size] for i in range(0, len(reply), size)]
        caught = _first_leak(_guard(), tokens)
        assert caught is not None, size
        # caught once the first six hidden words are out, long before the rest of the text
        streamed = "".join(tokens[: caught + 1])
        assert "the variance of the estimator shrinks" in streamed
        assert "square root" not in streamed


def test_a_hidden_run_inside_one_long_batch_is_caught() -> None:
    # under load one network read can bring hundreds of words at once
    filler = " ".join(f"word{n}" for n in range(300))
    assert _guard().feed(f"{filler} {HIDDEN} {filler}")


def test_a_long_reply_far_from_the_hidden_text_is_not_a_leak() -> None:
    reply = " ".join(f"word{n}" for n in range(2000)) + " variance of the estimator shrinks"
    assert _first_leak(_guard(), reply.split(" ")) is None


def test_a_run_the_candidate_already_said_is_no_leak() -> None:
    guard = _guard(said=(f"I think {HIDDEN}.",))
    assert _first_leak(guard, ("Right: " + HIDDEN).split(" ")) is None
