"""The one seam over the openai client: streamed chat and structured (JSON) completions.

Any OpenAI-compatible server works: OpenAI, Ollama, vLLM, llama.cpp, LM Studio.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from app.config import Settings
from app.llm.stream import ChunkBatches

M = TypeVar("M", bound=BaseModel)


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


def _translate(error: Exception) -> LLMError:
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


class LLMClient:
    """Chat completions against one OpenAI-compatible server and model."""

    def __init__(
        self, *, api_key: str, base_url: str | None, model: str, timeout: float, max_retries: int
    ):
        self.model = model
        self._client = openai.AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )
        self._max_retries = max_retries
        self._json_schema_supported = True

    async def aclose(self) -> None:
        """Close the underlying HTTP connections."""
        await self._client.close()

    async def check(self) -> None:
        """Fail with LLMError unless the server answers and knows the model."""
        try:
            models = [m.id async for m in self._client.models.list()]
        except openai.OpenAIError as error:
            raise _translate(error) from error
        if models and self.model not in models:
            raise LLMError(
                f"model {self.model!r} is not served here; available: {', '.join(models[:10])}",
                retryable=False,
            )

    async def stream(self, messages: Sequence[dict[str, str]]) -> AsyncIterator[str | Usage]:
        """Yield the reply's text as it arrives (what one network read brought), then a Usage."""
        started = time.perf_counter()
        usage: Any = None
        body = {
            "model": self.model,
            "messages": list(messages),
            "stream": True,
            "stream_options": {"include_usage": True},
        }
        try:
            # the typed `chat.completions.create` walks every message of the request and builds
            # a model per chunk, which cost more than the rest of a turn: the body goes as it
            # is and the stream is read raw (transport, retries and errors stay the client's)
            stream = await self._client.post(
                "/chat/completions",
                cast_to=object,
                body=body,
                stream=True,
                stream_cls=ChunkBatches,
            )
            async with stream:
                async for batch in stream:
                    texts = []
                    for chunk in batch:
                        usage = _chunk_usage(chunk) or usage
                        texts += _chunk_text(chunk)
                    if texts:
                        yield "".join(texts)
        except (openai.OpenAIError, ValueError) as error:
            raise _translate(error) from error
        yield self._usage(usage, started)

    async def complete_json(
        self,
        messages: Sequence[dict[str, str]],
        schema: type[M],
        *,
        temperature: float | None = None,
        seed: int | None = None,
    ) -> tuple[M, Usage]:
        """A reply parsed into the schema; strict JSON schema first, JSON mode as fallback.

        `temperature` and `seed`, when given, are sent as they are (graders pass 0 and a fixed
        seed so the same transcript gets the same grade as far as the server allows).
        """
        chosen = (("temperature", temperature), ("seed", seed))
        sampling = {name: value for name, value in chosen if value is not None}
        last: Exception | None = None
        for _ in range(self._max_retries + 1):
            started = time.perf_counter()
            try:
                response = await self._create_json(messages, schema, sampling)
            except json.JSONDecodeError as error:  # a 200 whose body is not JSON
                last = error
                continue
            except openai.OpenAIError as error:
                raise _translate(error) from error
            content = response.choices[0].message.content if response.choices else None
            try:
                parsed = schema.model_validate(json.loads(content or ""))
            except (json.JSONDecodeError, ValidationError) as error:
                last = error
                continue
            return parsed, self._usage(response.usage, started)
        raise LLMError(
            f"the language model's reply did not match the schema: {last}", retryable=True
        )

    async def _create_json(
        self, messages: Sequence[dict[str, str]], schema: type[M], sampling: dict[str, Any]
    ) -> Any:
        if self._json_schema_supported:
            response_format: dict[str, Any] = {
                "type": "json_schema",
                "json_schema": {"name": schema.__name__, "schema": _strict(schema), "strict": True},
            }
            try:
                return await self._client.chat.completions.create(
                    model=self.model,
                    messages=list(messages),  # type: ignore[arg-type]
                    response_format=response_format,  # type: ignore[arg-type]
                    **sampling,
                )
            except openai.BadRequestError:
                self._json_schema_supported = False
        schema_hint = {
            "role": "system",
            "content": "Reply with JSON matching this schema: "
            + json.dumps(schema.model_json_schema()),
        }
        return await self._client.chat.completions.create(
            model=self.model,
            messages=[*messages, schema_hint],  # type: ignore[arg-type]
            response_format={"type": "json_object"},
            **sampling,
        )

    def _usage(self, usage: Any, started: float) -> Usage:
        if isinstance(usage, dict):  # a raw stream's usage
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


def _strict(schema: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the strict form: closed objects, every property required."""
    document = schema.model_json_schema()

    def close(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" in node:
                node["additionalProperties"] = False
                node["required"] = list(node["properties"])
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(document)
    return document


def client_from_settings(settings: Settings, **overrides: Any) -> LLMClient:
    """The client for the configured server and model (local servers need no key)."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    options: dict[str, Any] = {
        "api_key": key or "not-needed",
        "base_url": settings.openai_base_url,
        "model": settings.model,
        "timeout": settings.llm_timeout_seconds,
        "max_retries": settings.llm_max_retries,
    }
    return LLMClient(**(options | overrides))
