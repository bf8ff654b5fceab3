"""The LLM voice: the same move, worded by a language model and streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator

from app.content.prompts import PromptLibrary
from app.llm.client import LLMClient, LLMError, Usage
from app.voice.context import build_messages
from app.voice.guard import LeakGuard
from app.voice.offline import OfflineVoice
from app.voice.scene import Scene, Spoken, Token, VoiceEvent


class LLMVoice:
    """Streams the interviewer's reply from an OpenAI-compatible model, guarded against leaks."""

    def __init__(
        self,
        client: LLMClient,
        prompts: PromptLibrary,
        *,
        token_budget: int,
        fallback: OfflineVoice,
    ):
        self._client = client
        self._prompts = prompts
        self._budget = token_budget
        self._fallback = fallback

    async def speak(self, scene: Scene) -> AsyncIterator[VoiceEvent]:
        """Stream tokens as they arrive; end with the whole reply and its usage.

        If the reply starts repeating hidden material, streaming stops and the turn is voiced
        by the offline interviewer; the final Spoken event carries the text that is stored.
        """
        messages = build_messages(scene, self._prompts, budget=self._budget)
        guard = LeakGuard.for_scene(scene, messages[0]["content"])
        pieces: list[str] = []
        usage: Usage | None = None
        stream = self._client.stream(messages, purpose="voice")
        async for event in stream:
            if isinstance(event, Usage):
                usage = event
                continue
            pieces.append(event)
            if guard.feed(event):
                await stream.aclose()
                yield Spoken(
                    text=self._fallback.compose(scene),
                    model=f"{self._client.model} (replaced: it repeated hidden material)",
                )
                return
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
