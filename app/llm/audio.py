"""The seam over the openai client's audio endpoints: transcription and speech.

Any OpenAI-compatible server: OpenAI, speaches (faster-whisper-server), whisper.cpp's server,
vLLM, LocalAI. Word times are asked for (`verbose_json` with word granularity); a server that
refuses them is asked for plain JSON from then on, and the answer is text without times.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import openai
from pydantic import BaseModel, ValidationError

from app.config import Settings
from app.llm.client import LLMError, as_llm_error
from app.speech.models import TimedWord, Timing, Transcript

log = logging.getLogger(__name__)
# a transcription model writes what it expects to hear: an example with fillers in it keeps
# the "um"s and "uh"s the speaking feedback counts, which Whisper otherwise tidies away
FILLER_PROMPT = "So, um, I think, uh, we could, like, you know, try the simpler one first. Hmm."


class SpeechError(LLMError):
    """The transcription or speech server failed, or answered with something unusable."""


class _VerboseWord(BaseModel):
    word: str
    start: float
    end: float


class _Segment(BaseModel):
    start: float
    end: float
    text: str


class _Reply(BaseModel):
    text: str
    duration: float | None = None
    words: list[_VerboseWord] | None = None
    segments: list[_Segment] | None = None


class AudioClient:
    """Transcription and speech against one OpenAI-compatible server."""

    def __init__(self, *, api_key: str, base_url: str | None, timeout: float, max_retries: int):
        self.base_url = base_url
        self._client = openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )
        self.word_times = True  # until the server refuses verbose_json

    async def aclose(self) -> None:
        """Close the underlying HTTP connections."""
        await self._client.close()

    async def check(self, *, model: str, what: str, seconds: float) -> bool:
        """Whether the server lists the model: True when it does, False when it lists none (a
        one-model server such as whisper.cpp's has no /models), so only its answer is known.
        SpeechError when it cannot be reached, refuses, or lists models without this one."""
        once = self._client.with_options(max_retries=0, timeout=seconds)
        try:
            models = [m.id async for m in once.models.list()]
        except openai.NotFoundError:
            return False
        except openai.OpenAIError as error:
            raise _speech_error(error, what) from error
        if not models:
            return False
        if model not in models:
            raise SpeechError(
                f"the {what} server does not serve the model {model!r}; it serves: "
                + ", ".join(models[:10]),
                retryable=False,
            )
        return True

    async def transcribe(
        self, *, audio: bytes, filename: str, model: str, language: str | None = None
    ) -> Transcript:
        """The recording as text, with word times when the server gives them."""
        while True:
            verbose = self.word_times
            options: dict[str, Any] = {"prompt": FILLER_PROMPT}
            if language:
                options["language"] = language
            if verbose:
                options["timestamp_granularities"] = ["word", "segment"]
            try:
                raw = await self._client.audio.transcriptions.with_raw_response.create(
                    file=(filename, audio),
                    model=model,
                    response_format="verbose_json" if verbose else "json",
                    **options,
                )
            except openai.APIStatusError as error:
                if verbose and _refuses_verbose(error):
                    log.warning("the transcription server refused word times; asking for text")
                    self.word_times = False
                    continue
                raise _speech_error(error, "transcription") from error
            except openai.OpenAIError as error:
                raise _speech_error(error, "transcription") from error
            return parse_transcript(raw.http_response.content, model=model)

    async def speak(
        self, *, text: str, model: str, voice: str, speed: float = 1.0
    ) -> tuple[bytes, str]:
        """The text spoken (MP3), and its media type."""
        try:
            raw = await self._client.audio.speech.with_raw_response.create(
                input=text, model=model, voice=voice, response_format="mp3", speed=speed
            )
        except openai.OpenAIError as error:
            raise _speech_error(error, "speech") from error
        media = raw.http_response.headers.get("content-type", "").split(";")[0].strip()
        data = raw.http_response.content
        if not data or not (media.startswith("audio/") or media == "application/octet-stream"):
            raise SpeechError(
                f"the speech server answered {media or 'no content type'} "
                f"({len(data)} bytes), not audio",
                retryable=False,
            )
        return data, media if media.startswith("audio/") else "audio/mpeg"


def parse_transcript(body: bytes, *, model: str) -> Transcript:
    """A transcription server's JSON reply as a Transcript; SpeechError if it is not one."""
    try:
        reply = _Reply.model_validate(json.loads(body))
    except (ValueError, ValidationError) as error:  # JSONDecodeError is a ValueError
        raise SpeechError(
            f"the transcription server's reply is not a transcript: {body[:120]!r}",
            retryable=False,
        ) from error
    words, timing = _timed_words(reply)
    return Transcript(
        text=reply.text.strip(),
        duration_seconds=reply.duration,
        words=words,
        timing=timing,
        model=model,
    )


def _timed_words(reply: _Reply) -> tuple[list[TimedWord], Timing]:
    """Word times as given; else each segment's words spread evenly over the segment; times
    that make no sense (a word ending before it starts) fall to the next way, then to none."""
    try:
        if reply.words:
            timed = [
                TimedWord(word=w.word.strip()[:100], start=w.start, end=w.end)
                for w in reply.words
                if w.word.strip()
            ]
            return timed, "word"
    except ValidationError:
        log.warning("the transcription server's word times were unusable")
    try:
        if reply.segments:
            return _spread(reply.segments), "segment"
    except ValidationError:
        log.warning("the transcription server's segment times were unusable; kept the text")
    return [], "none"


def _spread(segments: list[_Segment]) -> list[TimedWord]:
    words = []
    for segment in segments:
        said = segment.text.split()
        step = (segment.end - segment.start) / max(len(said), 1)
        for i, word in enumerate(said):
            start = segment.start + i * step
            words.append(TimedWord(word=word[:100], start=start, end=start + step))
    return words


def _refuses_verbose(error: openai.APIStatusError) -> bool:
    text = str(error.message).lower()
    return error.status_code in (400, 422) and any(
        word in text for word in ("response_format", "verbose_json", "timestamp")
    )


def _speech_error(error: openai.OpenAIError, what: str) -> SpeechError:
    general = as_llm_error(error)
    message = (
        str(general)
        .replace("the language model server", f"the {what} server")
        .replace("the language model", f"the {what} server")
    )
    return SpeechError(message, retryable=general.retryable, retry_after=general.retry_after)


def _key(secret: Any) -> str:
    return (secret.get_secret_value() if secret else "") or "not-needed"


def transcriber_from_settings(settings: Settings) -> AudioClient | None:
    """The transcription server's client when ONSITE_STT_MODEL is set."""
    if not settings.stt_model:
        return None
    return AudioClient(
        api_key=_key(settings.stt_api_key or settings.openai_api_key),
        base_url=settings.stt_base_url or settings.openai_base_url,
        timeout=settings.stt_timeout_seconds,
        max_retries=settings.llm_max_retries,
    )


def synthesizer_from_settings(settings: Settings) -> AudioClient | None:
    """The speech server's client when ONSITE_TTS_MODEL is set."""
    if not settings.tts_model:
        return None
    return AudioClient(
        api_key=_key(settings.tts_api_key or settings.openai_api_key),
        base_url=settings.tts_base_url or settings.openai_base_url,
        timeout=settings.llm_timeout_seconds,
        max_retries=settings.llm_max_retries,
    )
