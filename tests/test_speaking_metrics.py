"""Speaking feedback measured on transcripts whose word times are known."""

from __future__ import annotations

import pytest

from app.content.models import RoundType
from app.speech.metrics import ANSWER_SECONDS, filler_words, longest_pause, measure, summarise
from app.speech.models import SpeechRecord, TimedWord


def timed(text: str, *, step: float, start: float = 0.0, gaps: dict[int, float] | None = None):
    """A word every `step` seconds (each lasting 80% of it); gaps[i] is silence before word i."""
    words, clock = [], start
    for index, word in enumerate(text.split()):
        clock += (gaps or {}).get(index, 0.0)
        words.append(TimedWord(word=word, start=round(clock, 3), end=round(clock + step * 0.8, 3)))
        clock += step
    return words


def record(words: list[TimedWord], *, tail: float = 0.0, timing: str = "word") -> SpeechRecord:
    return SpeechRecord(
        duration_seconds=words[-1].end + tail,
        words=words,
        timing=timing,  # type: ignore[arg-type]
    )


SENTENCE = "I would shard the table by user id and keep a small cache in front of it. "


def test_a_steady_answer_has_its_pace_and_no_notes() -> None:
    # 136 words, one every 0.4 s: ~150 words a minute over the 54.32 s from first to last
    words = timed(SENTENCE * 8, step=0.4)
    assert len(words) == 136
    spoken = measure(record(words), round_type=RoundType.system_design)
    assert spoken.words == 136
    assert spoken.words_per_minute == pytest.approx(136 / (54.32 / 60), abs=0.1)
    assert spoken.fillers == 0 and spoken.filler_words == []
    assert spoken.longest_pause_seconds == pytest.approx(0.1)
    assert spoken.length == "within"
    assert spoken.notes == []


def test_a_rushed_answer_is_called_fast() -> None:
    words = timed(SENTENCE * 4, step=0.25)  # 240 a minute
    spoken = measure(record(words), round_type=RoundType.ml_theory)
    assert spoken.words_per_minute is not None and spoken.words_per_minute > 230
    assert spoken.notes[0].startswith("Fast: 24")


def test_a_slow_answer_is_called_slow() -> None:
    words = timed(SENTENCE * 2, step=0.8)  # 75 a minute
    spoken = measure(record(words), round_type=RoundType.ml_theory)
    assert spoken.notes[0].startswith("Slow: 7")


def test_fillers_are_counted_per_minute_and_named() -> None:
    text = (
        "So, um, I think, uh, the cache, like, helps. Um the writes go, you know, to the log. "
        "Uh and then I mean the reader, um, catches up. "
    ) * 3
    words = timed(text, step=0.4)
    spoken = measure(record(words), round_type=RoundType.system_design)
    # per repetition: So, um, uh, like, Um, you know, Uh, um (8; "I mean" runs on)
    assert spoken.fillers == 24
    assert spoken.filler_words[:2] == ["um", "uh"]
    minutes = words[-1].end / 60
    assert spoken.fillers_per_minute == pytest.approx(round(24 / minutes, 1))
    assert any(n.startswith("Many fillers") and '"um"' in n for n in spoken.notes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I like this design because it is simple", []),
        ("Do you know the size of the table?", []),
        ("I mean what I say about latency", []),
        ("It was, like, very slow", ["like"]),
        ("It is, you know, the usual trade-off", ["you know"]),
        ("So the cache fills up", []),
        ("So, the cache fills up", ["so"]),
        ("Hmm. Let me think. Erm, yes", ["hmm", "erm"]),
    ],
)
def test_words_that_are_fillers_only_when_set_off(text: str, expected: list[str]) -> None:
    assert filler_words(timed(text, step=0.2)) == expected


def test_a_pause_sets_a_like_off_as_a_filler() -> None:
    words = timed("it was like slow", step=0.2, gaps={2: 0.5, 3: 0.5})
    assert filler_words(words) == ["like"]


def test_the_longest_silence_is_found_and_noted() -> None:
    words = timed(SENTENCE * 2, step=0.4, gaps={5: 2.0, 20: 7.5})
    assert longest_pause(words) == pytest.approx(7.6)
    spoken = measure(record(words), round_type=RoundType.ml_theory)
    assert spoken.longest_pause_seconds == pytest.approx(7.6)
    assert any(n.startswith("A 8-second silence") for n in spoken.notes)


def test_answer_length_is_judged_against_the_rounds_norm() -> None:
    low, high = ANSWER_SECONDS[RoundType.behavioral]
    short = timed(SENTENCE, step=0.4)  # ~7 s
    long = timed(SENTENCE * 30, step=0.4)  # ~204 s
    assert long[-1].end > high
    s = measure(record(short), round_type=RoundType.behavioral)
    ll = measure(record(long), round_type=RoundType.behavioral)
    assert (s.length, ll.length) == ("short", "long")
    assert any(n.startswith("Short: 7 s") and f"{low:.0f}-{high:.0f}" in n for n in s.notes)
    assert any(n.startswith("Long: 3.4 minutes") for n in ll.notes)
    # a request for a hint is not an answer: its length is not judged
    asked = measure(record(short), round_type=RoundType.behavioral, judge_length=False)
    assert asked.length is None and asked.notes == []


def test_a_few_seconds_have_no_rates() -> None:
    spoken = measure(record(timed("um yes", step=0.4)), round_type=RoundType.coding)
    assert spoken.words_per_minute is None and spoken.fillers_per_minute is None
    assert spoken.fillers == 1


def test_untimed_words_use_the_recording_and_have_no_pauses() -> None:
    words = timed(SENTENCE * 2, step=0.4)
    untimed = SpeechRecord(duration_seconds=30.0, words=words, timing="none")
    spoken = measure(untimed, round_type=RoundType.coding)
    assert spoken.words_per_minute == pytest.approx(34 / 0.5)
    assert spoken.longest_pause_seconds is None


def test_every_round_has_a_norm() -> None:
    assert set(ANSWER_SECONDS) == set(RoundType)
    assert all(0 < low < high for low, high in ANSWER_SECONDS.values())


def test_an_interview_summary_weighs_answers_by_their_time() -> None:
    fast = measure(record(timed(SENTENCE * 4, step=0.25)), round_type=RoundType.coding)
    slow = measure(record(timed(SENTENCE * 4, step=0.5)), round_type=RoundType.coding)
    summary = summarise([fast, slow])
    assert summary is not None and summary.answers == 2
    words = fast.words + slow.words
    minutes = fast.words / fast.words_per_minute + slow.words / slow.words_per_minute  # type: ignore[operator]
    assert summary.words_per_minute == pytest.approx(words / minutes, abs=0.1)
    assert summary.judged == 2 and summary.within_norm == 1  # the fast one is 17 s
    assert summarise([]) is None
