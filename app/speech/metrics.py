"""How an answer was spoken: pace, filler words, pauses and length against the round's norm.

Pure functions of a speech record (its words and their times); nothing here does I/O. The
notes say something only when a figure is far from what interviewers find easy to follow.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Literal

from pydantic import BaseModel, Field

from app.content.models import RoundType
from app.speech.models import SpeechRecord, TimedWord

# a comfortable pace for an explanation; outside FAST/SLOW a note says so
PACE = (110.0, 170.0)
FAST, SLOW = 185.0, 95.0
FILLERS_PER_MINUTE_NOTE = 4.0
LONG_PAUSE_SECONDS = 5.0
# pace and filler rate say little about a few seconds of speech
MIN_SECONDS_FOR_RATES = 10.0

# how long a spoken answer to one question usually runs in each round, in seconds: a STAR
# story is about two minutes; a design step takes longer than a definition
ANSWER_SECONDS: dict[RoundType, tuple[float, float]] = {
    RoundType.behavioral: (60, 180),
    RoundType.coding: (20, 150),
    RoundType.ml_coding: (20, 150),
    RoundType.ml_theory: (30, 150),
    RoundType.ml_system_design: (45, 240),
    RoundType.system_design: (45, 240),
    RoundType.research: (45, 180),
    RoundType.cs_fundamentals: (20, 120),
}

# always fillers, wherever they come
_SOUNDS = frozenset({"um", "umm", "uh", "uhh", "uhm", "erm", "er", "hmm", "mm", "ah", "eh"})
# fillers only when set off by a comma or a pause ("it was, like, slow"; "you know, the
# cache"); otherwise words ("I like it", "do you know the answer", "I mean what I say")
_SET_OFF = (("like",), ("you", "know"), ("i", "mean"), ("basically",), ("so",))
_SET_OFF_PAUSE = 0.3
_WORD = re.compile(r"[^\w']+")

Length = Literal["short", "within", "long"]


class AnswerSpeaking(BaseModel):
    """The speaking feedback of one voiced answer."""

    seq: int | None = None
    words: int
    duration_seconds: float
    words_per_minute: float | None = Field(description="words over the time from first to last")
    fillers: int
    fillers_per_minute: float | None
    filler_words: list[str] = Field(description="the fillers heard, most frequent first")
    longest_pause_seconds: float | None = Field(description="null when words were not timed")
    length: Length | None = Field(description="against the round's norm; null when not judged")
    norm_seconds: tuple[float, float]
    notes: list[str]


class InterviewSpeaking(BaseModel):
    """An interview's voiced answers taken together."""

    answers: int
    words_per_minute: float | None
    fillers_per_minute: float | None
    longest_pause_seconds: float | None
    within_norm: int = Field(description="answers whose length was within the round's norm")
    judged: int = Field(description="answers whose length was judged")


def measure(
    record: SpeechRecord,
    *,
    round_type: RoundType,
    judge_length: bool = True,
    seq: int | None = None,
) -> AnswerSpeaking:
    """The pace, fillers, pauses and length of one voiced answer, with notes on what is far off."""
    words = record.words
    spoken = _spoken_seconds(record)
    count = len(words)
    fillers = filler_words(words)
    rated = spoken >= MIN_SECONDS_FOR_RATES and count > 0
    wpm = round(count / (spoken / 60), 1) if rated else None
    fpm = round(len(fillers) / (record.duration_seconds / 60), 1) if rated else None
    pause = longest_pause(words) if record.timing != "none" else None
    norm = ANSWER_SECONDS[round_type]
    length = _length(record.duration_seconds, norm) if judge_length else None
    return AnswerSpeaking(
        seq=seq,
        words=count,
        duration_seconds=round(record.duration_seconds, 1),
        words_per_minute=wpm,
        fillers=len(fillers),
        fillers_per_minute=fpm,
        filler_words=_by_frequency(fillers),
        longest_pause_seconds=pause,
        length=length,
        norm_seconds=norm,
        notes=_notes(wpm, fpm, fillers, pause, length, record.duration_seconds, norm),
    )


def summarise(answers: Sequence[AnswerSpeaking]) -> InterviewSpeaking | None:
    """The interview's voiced answers together: pace and filler rate over all their time."""
    if not answers:
        return None
    rated = [a for a in answers if a.words_per_minute]
    minutes = sum(a.words / a.words_per_minute for a in rated if a.words_per_minute)
    total = sum(a.duration_seconds for a in rated) / 60
    pauses = [a.longest_pause_seconds for a in answers if a.longest_pause_seconds is not None]
    judged = [a for a in answers if a.length is not None]
    return InterviewSpeaking(
        answers=len(answers),
        words_per_minute=round(sum(a.words for a in rated) / minutes, 1) if minutes else None,
        fillers_per_minute=round(sum(a.fillers for a in rated) / total, 1) if total else None,
        longest_pause_seconds=max(pauses) if pauses else None,
        within_norm=sum(1 for a in judged if a.length == "within"),
        judged=len(judged),
    )


def filler_words(words: Sequence[TimedWord]) -> list[str]:
    """The filler words and phrases in the order heard."""
    plain = [_plain(w.word) for w in words]
    found: list[str] = []
    i = 0
    while i < len(words):
        if plain[i] in _SOUNDS:
            found.append(plain[i])
            i += 1
            continue
        phrase = next((p for p in _SET_OFF if tuple(plain[i : i + len(p)]) == p), None)
        if phrase is not None and _set_off(words, i, len(phrase)):
            found.append(" ".join(phrase))
            i += len(phrase)
            continue
        i += 1
    return found


def longest_pause(words: Sequence[TimedWord]) -> float:
    """The longest silence between two words, in seconds (0 for fewer than two words)."""
    gaps = [max(0.0, b.start - a.end) for a, b in pairwise(words)]
    return round(max(gaps, default=0.0), 1)


def _set_off(words: Sequence[TimedWord], start: int, size: int) -> bool:
    """True when words[start:start+size] stand apart: a comma or a pause before or after,
    or the start or end of the answer ("So, ..." opens; "so" inside a sentence joins)."""
    end = start + size - 1
    before = words[start - 1] if start > 0 else None
    after = words[end + 1] if end + 1 < len(words) else None
    comma_before = before is None or before.word.rstrip().endswith((",", ".", "?", "!", "…"))
    comma_after = words[end].word.rstrip().endswith((",", "…")) or after is None
    pause_before = before is not None and words[start].start - before.end >= _SET_OFF_PAUSE
    pause_after = after is not None and after.start - words[end].end >= _SET_OFF_PAUSE
    if words[start].word.lower().strip(",. ") == "so":
        return comma_after  # "So, ..." but not "so the cache ..."
    return (comma_before or pause_before) and (comma_after or pause_after)


def _plain(word: str) -> str:
    return _WORD.sub("", word.lower())


def _spoken_seconds(record: SpeechRecord) -> float:
    """From the first word's start to the last word's end; the whole recording if untimed."""
    if record.timing == "none" or not record.words:
        return record.duration_seconds
    return max(record.words[-1].end - record.words[0].start, 0.0)


def _length(seconds: float, norm: tuple[float, float]) -> Length:
    low, high = norm
    return "short" if seconds < low else "long" if seconds > high else "within"


def _by_frequency(fillers: list[str]) -> list[str]:
    return sorted(set(fillers), key=lambda f: (-fillers.count(f), fillers.index(f)))


def _notes(
    wpm: float | None,
    fpm: float | None,
    fillers: list[str],
    pause: float | None,
    length: Length | None,
    seconds: float,
    norm: tuple[float, float],
) -> list[str]:
    notes = []
    if wpm is not None and wpm > FAST:
        notes.append(
            f"Fast: {wpm:.0f} words a minute. Around {PACE[0]:.0f}-{PACE[1]:.0f} is easier to "
            "follow; pause after each point."
        )
    elif wpm is not None and wpm < SLOW:
        notes.append(
            f"Slow: {wpm:.0f} words a minute. Around {PACE[0]:.0f}-{PACE[1]:.0f} keeps the "
            "interviewer with you; say the point first, then the detail."
        )
    if fpm is not None and fpm > FILLERS_PER_MINUTE_NOTE:
        common = ", ".join(f'"{f}"' for f in _by_frequency(fillers)[:3])
        notes.append(
            f"Many fillers: {fpm:.1f} a minute ({common}). A silent pause reads as thinking; "
            "a filler reads as hesitation."
        )
    if pause is not None and pause > LONG_PAUSE_SECONDS:
        notes.append(
            f"A {pause:.0f}-second silence. When you need time, say so: "
            '"let me think about that for a moment".'
        )
    if length == "short":
        notes.append(
            f"Short: {seconds:.0f} s where answers here usually take {norm[0]:.0f}-{norm[1]:.0f} "
            "s. Add the why, an example or a trade-off."
        )
    elif length == "long":
        notes.append(
            f"Long: {seconds / 60:.1f} minutes where answers here usually take at most "
            f"{norm[1] / 60:g} minutes. Lead with the answer, then offer detail."
        )
    return notes


class SpeakingFeedback(BaseModel):
    """An interview's speaking feedback: each voiced answer, and all of them together."""

    summary: InterviewSpeaking | None = Field(description="null when no answer was voiced")
    answers: list[AnswerSpeaking]
