"""The LLM voice: the same move, worded by a language model and streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator

from app.content.prompts import PromptLibrary
from app.llm.client import LLMClient, LLMError, Usage
from app.voice.context import build_messages
from app.voice.scene import Scene, Spoken, Token, VoiceEvent


class LLMVoice:
    """Streams the interviewer's reply from an OpenAI-compatible model."""

    def __init__(self, client: LLMClient, prompts: PromptLibrary, *, token_budget: int):
        self._client = client
        self._prompts = prompts
        self._budget = token_budget

    async def speak(self, scene: Scene) -> AsyncIterator[VoiceEvent]:
        """Stream tokens as they arrive; end with the whole reply and its usage."""
        messages = build_messages(scene, self._prompts, budget=self._budget)
        pieces: list[str] = []
        usage: Usage | None = None
        async for event in self._client.stream(messages):
            if isinstance(event, Usage):
                usage = event
            else:
                pieces.append(event)
                yield Token(event)
        text = "".join(pieces).strip()
        if not text or usage is None:
            raise LLMError("the language model returned an empty reply", retryable=True)
        yield Spoken(
            text=text,
            model=usage.model,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            latency_ms=usage.latency_ms,
        )
