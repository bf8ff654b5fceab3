"""What a transcription gives back and what a voiced answer keeps: its words and their times."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

# a ceiling of the schema itself; the configured limit (ONSITE_STT_MAX_SECONDS) is lower
MAX_SECONDS = 7200.0
MAX_WORDS = 20_000

Timing = Literal["word", "segment", "none"]


class TimedWord(BaseModel):
    """One spoken word and when it was said, in seconds from the start of the recording."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    word: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00]*$")
    start: float = Field(ge=0, le=MAX_SECONDS)
    end: float = Field(ge=0, le=MAX_SECONDS)

    @model_validator(mode="after")
    def _ends_after_start(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"the word {self.word!r} ends ({self.end}) before it starts")
        return self


class Transcript(BaseModel):
    """A recording as text, with its duration and word times when the server gives them."""

    text: str
    duration_seconds: float | None = None
    words: list[TimedWord] = Field(default_factory=list)
    # word: the server timed each word; segment: words spread evenly over timed segments;
    # none: text only
    timing: Timing = "none"
    model: str | None = None


class SpeechRecord(BaseModel):
    """How a voiced answer was spoken, kept with its message: the words as heard and when.

    The message's content is the text as sent, which the candidate may have edited; these are
    the words as spoken, which the speaking feedback is measured on."""

    model_config = ConfigDict(extra="forbid")

    duration_seconds: float = Field(gt=0, le=MAX_SECONDS)
    words: list[TimedWord] = Field(default_factory=list, max_length=MAX_WORDS)
    timing: Timing = "none"
    source: Literal["server", "browser"] = Field(
        default="server",
        description="server: transcribed by POST …/transcriptions; browser: its own recognition",
    )

    @model_validator(mode="after")
    def _words_in_order_within_the_recording(self) -> Self:
        previous = 0.0
        for index, word in enumerate(self.words):
            if word.start < previous - 0.05:
                raise ValueError(f"word {index} ({word.word!r}) starts before the word before it")
            if word.end > self.duration_seconds + 0.5:
                raise ValueError(
                    f"word {index} ({word.word!r}) ends at {word.end} s, after the recording's "
                    f"{self.duration_seconds} s"
                )
            previous = word.start
        return self
