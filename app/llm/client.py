"""The one seam over the openai client: streamed chat and structured (JSON) completions.

Any OpenAI-compatible server works: OpenAI, Ollama, vLLM, llama.cpp, LM Studio.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncGenerator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import openai
from pydantic import BaseModel

from app.config import Settings
from app.llm.capabilities import Capabilities
from app.llm.formats import next_format, parse_reply, response_format, with_schema_prompt
from app.llm.refusals import refused_param, refuses_format
from app.llm.sampling import SAMPLING_PARAMS, Purpose, Sampling, sampling_from_settings
from app.llm.stream import ChunkBatches

M = TypeVar("M", bound=BaseModel)
log = logging.getLogger(__name__)


class LLMError(Exception):
    """The language model could not produce a usable reply."""

    def __init__(self, message: str, *, retryable: bool, retry_after: float | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after


@dataclass(frozen=True)
class Usage:
    """What one call cost and how long it took."""

    model: str
    prompt_tokens: int | None
    completion_tokens: int | None
    latency_ms: int


def as_llm_error(error: Exception) -> LLMError:
    """The LLMError that tells the caller what failed and whether a retry may help."""
    if isinstance(error, openai.APITimeoutError):
        return LLMError("the language model timed out", retryable=True)
    if isinstance(error, openai.APIConnectionError):
        return LLMError("the language model server is unreachable", retryable=True)
    if isinstance(error, openai.RateLimitError):
        retry_after = error.response.headers.get("retry-after")
        seconds = float(retry_after) if retry_after and retry_after.isdigit() else None
        return LLMError("the language model is rate limited", retryable=True, retry_after=seconds)
    if isinstance(error, openai.APIStatusError) and error.status_code >= 500:
        return LLMError(f"the language model server failed ({error.status_code})", retryable=True)
    if isinstance(error, openai.APIStatusError):
        return LLMError(
            f"the language model refused the request ({error.status_code}): {error.message}",
            retryable=False,
        )
    return LLMError(f"the language model stream broke: {error}", retryable=True)


class StructuredOutputError(LLMError):
    """The model's structured reply was invalid twice: the caller falls back to offline."""

    def __init__(self, message: str):
        super().__init__(message, retryable=False)


class LLMClient:
    """Chat completions against one OpenAI-compatible server and model."""

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None,
        model: str,
        timeout: float,
        max_retries: int,
        sampling: Mapping[Purpose, Sampling] | None = None,
        capabilities: Capabilities | None = None,
    ):
        self.model = model
        self._client = openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )
        # the same connections without the client's retries: a 5xx is not always transient
        self._once = self._client.with_options(max_retries=0)
        self.sampling: Mapping[Purpose, Sampling] = sampling or {}
        self.capabilities = capabilities or Capabilities()

    async def aclose(self) -> None:
        """Close the underlying HTTP connections."""
        await self._client.close()

    async def check(self) -> None:
        """Fail with LLMError unless the server answers and knows the model."""
        try:
            models = [m.id async for m in self._client.models.list()]
        except openai.OpenAIError as error:
            raise as_llm_error(error) from error
        if models and self.model not in models:
            raise LLMError(
                f"model {self.model!r} is not served here; available: {', '.join(models[:10])}",
                retryable=False,
            )

    async def stream(
        self, messages: Sequence[dict[str, str]], *, purpose: Purpose = "voice"
    ) -> AsyncGenerator[str | Usage, None]:
        """Yield the reply's text as it arrives (what one network read brought), then a Usage."""
        started = time.perf_counter()
        usage: Any = None
        body = {
            "model": self.model,
            "messages": list(messages),
            **self._sampling(purpose),
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        try:
            # the typed `chat.completions.create` walks every message of the request and builds
            # a model per chunk, which cost more than the rest of a turn: the body goes as it
            # is and the stream is read raw (transport, retries and errors stay the client's)
            stream = await self._post(body, stream=True)
            async with stream:
                async for batch in stream:
                    texts = []
                    for chunk in batch:
                        usage = _chunk_usage(chunk) or usage
                        texts += _chunk_text(chunk)
                    if texts:
                        yield "".join(texts)
        except (openai.OpenAIError, ValueError) as error:
            raise as_llm_error(error) from error
        yield self._usage(usage, started)

    async def structured(
        self,
        messages: Sequence[dict[str, str]],
        model_cls: type[M],
        *,
        purpose: Purpose,
        model: str | None = None,
    ) -> tuple[M, Usage]:
        """A reply parsed and validated into model_cls, in the best format the server takes.

        A refused format steps down to the next (remembered for later calls); an invalid
        reply is asked for once more, then StructuredOutputError, on which the caller does
        that step offline. Transport failures are LLMError, as for any call. `model` overrides
        the client's model for this call (e.g. a cheaper one for assessments).
        """
        problem = ""
        for _ in range(2):
            started = time.perf_counter()
            try:
                reply = await self._structured_reply(
                    messages, model_cls, purpose, model or self.model
                )
            except ValueError as error:  # a 200 whose body is not JSON
                problem = f"the response was not JSON ({error})"
                continue
            except openai.OpenAIError as error:
                raise as_llm_error(error) from error
            try:
                parsed = parse_reply(_reply_content(reply), model_cls)
            except ValueError as error:  # pydantic's ValidationError included
                problem = str(error)[:500]
                log.warning("the LLM's %s reply was invalid: %s", model_cls.__name__, problem)
                continue
            self.capabilities.confirmed = True
            return parsed, self._usage(reply.get("usage"), started)
        raise StructuredOutputError(
            f"the language model's reply did not match {model_cls.__name__} twice "
            f"({self.capabilities.structured} format): {problem}"
        )

    async def _structured_reply(
        self,
        messages: Sequence[dict[str, str]],
        model_cls: type[BaseModel],
        purpose: Purpose,
        model: str,
    ) -> dict[str, Any]:
        # each refusal steps down once, to the next format, which is remembered; a format is
        # never asked for again after a refusal, so this ends (plain text cannot be refused)
        while True:
            fmt = self.capabilities.structured
            body: dict[str, Any] = {
                "model": model,
                "messages": with_schema_prompt(fmt, model_cls, messages),
                **self._sampling(purpose),
            }
            wanted = response_format(fmt, model_cls)
            if wanted is not None:
                body["response_format"] = wanted
            try:
                reply = await self._post(body, retries=self.capabilities.confirmed)
            except openai.APIStatusError as error:
                lower = next_format(fmt)
                if wanted is None or lower is None or not refuses_format(error):
                    raise
                log.warning(
                    "the LLM server refused structured output %s (%s); using %s from now on",
                    fmt,
                    error.status_code,
                    lower,
                )
                self.capabilities.structured, self.capabilities.confirmed = lower, False
                continue
            if not isinstance(reply, dict):
                raise ValueError(f"a completion that is not an object: {reply!r:.200}")
            return reply

    async def _post(self, body: dict[str, Any], *, stream: bool = False, retries: bool = True):
        """Send one chat completion; a refused sampling parameter is dropped (for good) and
        the request sent once more without it."""
        sent = [p for p in SAMPLING_PARAMS if p in body]
        client = self._client if retries else self._once
        try:
            return await self._send(client, body, stream=stream)
        except openai.APIStatusError as error:
            param = refused_param(error, sent)
            if param is None or (
                "response_format" in body and refuses_format(error)
            ):  # a format refusal is the caller's to handle
                raise
            log.warning("the LLM server refused %s; it is not sent from now on", param)
            self.capabilities.rejected.add(param)
            without = {k: v for k, v in body.items() if k != param}
            return await self._send(client, without, stream=stream)

    @staticmethod
    async def _send(client: openai.AsyncOpenAI, body: dict[str, Any], *, stream: bool) -> Any:
        if stream:
            return await client.post(
                "/chat/completions",
                cast_to=object,
                body=body,
                stream=True,
                stream_cls=ChunkBatches,
            )
        return await client.post("/chat/completions", cast_to=object, body=body)

    async def send_raw(self, body: dict[str, Any]) -> Any:
        """One chat completion as sent, without retries or fallbacks (for probing)."""
        return await self._send(self._once, {"model": self.model, **body}, stream=False)

    def _sampling(self, purpose: Purpose) -> dict[str, Any]:
        sampling = self.sampling.get(purpose)
        return sampling.params(self.capabilities.rejected) if sampling else {}

    def _usage(self, usage: Any, started: float) -> Usage:
        if isinstance(usage, dict):  # a raw reply's usage
            prompt, completion = usage.get("prompt_tokens"), usage.get("completion_tokens")
        else:
            prompt = getattr(usage, "prompt_tokens", None)
            completion = getattr(usage, "completion_tokens", None)
        return Usage(
            model=self.model,
            prompt_tokens=prompt if isinstance(prompt, int) else None,
            completion_tokens=completion if isinstance(completion, int) else None,
            latency_ms=round((time.perf_counter() - started) * 1000),
        )


def _reply_content(reply: dict[str, Any]) -> str:
    """The first choice's message text; ValueError if the reply has none."""
    choices = reply.get("choices")
    first = choices[0] if isinstance(choices, list) and choices else None
    message = first.get("message") if isinstance(first, dict) else None
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        raise ValueError(f"a completion without message content: {reply!r:.200}")
    return content


def _chunk_text(chunk: object) -> list[str]:
    """The text deltas of one raw stream chunk; ValueError if it is not a chunk."""
    if not isinstance(chunk, dict):
        raise ValueError(f"a stream chunk that is not an object: {chunk!r:.200}")
    texts = []
    for choice in chunk.get("choices") or ():
        delta = choice.get("delta") if isinstance(choice, dict) else None
        content = delta.get("content") if isinstance(delta, dict) else None
        if isinstance(content, str) and content:
            texts.append(content)
    return texts


def _chunk_usage(chunk: object) -> dict[str, Any] | None:
    usage = chunk.get("usage") if isinstance(chunk, dict) else None
    return usage if isinstance(usage, dict) else None


def client_from_settings(settings: Settings, **overrides: Any) -> LLMClient:
    """The client for the configured server and model (local servers need no key)."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    options: dict[str, Any] = {
        "api_key": key or "not-needed",
        "base_url": settings.openai_base_url,
        "model": settings.model,
        "timeout": settings.llm_timeout_seconds,
        "max_retries": settings.llm_max_retries,
        "sampling": sampling_from_settings(settings),
        "capabilities": Capabilities.from_settings(settings),
    }
    return LLMClient(**(options | overrides))
