"""Tests for tests/fake_llm.py, driven through the real ``openai.AsyncOpenAI`` client."""

from __future__ import annotations

import json
import math
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx2
import openai
import pytest

from tests.fake_llm import (
    INVALID_JSON_ONCE,
    JSON_MODE_ONLY,
    LLAMA_CPP_PYTHON,
    REJECTS_SEED,
    BreakStream,
    Fail,
    FakeLLM,
    Hang,
    Malformed,
    Reply,
    split_pieces,
)

MESSAGES: list[Any] = [
    {"role": "system", "content": "You are an interviewer."},
    {"role": "user", "content": "Explain gradient descent in simple terms please"},
]
PROMPT_TOKENS = math.ceil(sum(len(m["content"]) for m in MESSAGES) / 4)
LONG_REPLY = "one two three four five six seven eight nine ten"
SCHEMA_FORMAT: Any = {
    "type": "json_schema",
    "json_schema": {
        "name": "grade",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {"score": {"type": "integer"}},
            "required": ["score"],
            "additionalProperties": False,
        },
    },
}


@pytest.fixture
def fake() -> Iterator[FakeLLM]:
    with FakeLLM() as server:
        yield server


@pytest.fixture
async def client(fake: FakeLLM) -> AsyncIterator[openai.AsyncOpenAI]:
    async with openai.AsyncOpenAI(api_key="test", base_url=fake.base_url, max_retries=0) as c:
        yield c


async def create(client: openai.AsyncOpenAI, **kwargs: Any) -> Any:
    return await client.chat.completions.create(model="fake-model", messages=MESSAGES, **kwargs)


async def test_models_list(client: openai.AsyncOpenAI) -> None:
    models = await client.models.list()
    assert [m.id for m in models.data] == ["fake-model"]


async def test_non_streaming_reply_and_usage(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    completion = await create(client)

    text = completion.choices[0].message.content
    assert text == "This is a fake reply to: Explain gradient descent in simple."
    assert completion.choices[0].finish_reason == "stop"
    assert completion.object == "chat.completion"
    assert completion.usage is not None
    assert completion.usage.prompt_tokens == PROMPT_TOKENS
    assert completion.usage.completion_tokens == len(split_pieces(text))
    assert completion.usage.total_tokens == PROMPT_TOKENS + len(split_pieces(text))


async def test_streaming_concatenates_and_reports_usage(
    fake: FakeLLM, client: openai.AsyncOpenAI
) -> None:
    fake.responder = lambda body: LONG_REPLY
    stream = await create(client, stream=True, stream_options={"include_usage": True})

    chunks = [chunk async for chunk in stream]

    assert chunks[0].choices[0].delta.role == "assistant"
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == LONG_REPLY
    finish = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finish[-1] == "stop"
    assert all(reason is None for reason in finish[:-1])
    assert chunks[-1].choices == []
    usage = chunks[-1].usage
    assert usage is not None
    assert usage.prompt_tokens == PROMPT_TOKENS
    assert usage.completion_tokens == len(LONG_REPLY.split())


async def test_streaming_without_usage(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    stream = await create(client, stream=True)
    chunks = [chunk async for chunk in stream]
    assert all(chunk.choices and chunk.usage is None for chunk in chunks)


async def test_reply_behaviour_streaming_and_not(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.script(Reply("  exact  text\n"), Reply("streamed  exact "))

    completion = await create(client)
    stream = await create(client, stream=True)
    streamed = "".join([c.choices[0].delta.content or "" async for c in stream])

    assert completion.choices[0].message.content == "  exact  text\n"
    assert streamed == "streamed  exact "
    # The script is consumed; the next request gets the default responder again.
    assert (await create(client)).choices[0].message.content.startswith("This is a fake reply")


async def test_json_schema_uses_json_responder(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.json_responder = lambda body: {"score": 4, "name": body["response_format"]["type"]}

    completion = await create(client, response_format=SCHEMA_FORMAT)

    assert json.loads(completion.choices[0].message.content) == {
        "score": 4,
        "name": "json_schema",
    }


async def test_json_object_default_and_streamed(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    completion = await create(client, response_format={"type": "json_object"})
    assert json.loads(completion.choices[0].message.content) == {}

    fake.json_responder = lambda body: {"a": [1, 2, 3], "b": "x y"}
    stream = await create(client, response_format={"type": "json_object"}, stream=True)
    text = "".join([c.choices[0].delta.content or "" async for c in stream])
    assert json.loads(text) == {"a": [1, 2, 3], "b": "x y"}


async def test_json_mode_only_refuses_json_schema_with_a_400(
    fake: FakeLLM, client: openai.AsyncOpenAI
) -> None:
    fake.profile = JSON_MODE_ONLY

    with pytest.raises(openai.BadRequestError) as info:
        await create(client, response_format=SCHEMA_FORMAT)
    assert info.value.status_code == 400
    assert info.value.param == "response_format"
    assert info.value.type == "invalid_request_error"

    # json_object still works on such servers.
    completion = await create(client, response_format={"type": "json_object"})
    assert json.loads(completion.choices[0].message.content) == {}


async def test_llama_cpp_python_refuses_json_schema_with_a_500(
    fake: FakeLLM, client: openai.AsyncOpenAI
) -> None:
    fake.profile = LLAMA_CPP_PYTHON
    with pytest.raises(openai.InternalServerError) as info:
        await create(client, response_format=SCHEMA_FORMAT)
    assert "'response_format', 'type'" in info.value.message
    schema = SCHEMA_FORMAT["json_schema"]["schema"]
    fake.json_responder = lambda body: {"score": 2}
    completion = await create(client, response_format={"type": "json_object", "schema": schema})
    assert json.loads(completion.choices[0].message.content) == {"score": 2}


async def test_a_rejected_parameter_is_a_400_naming_it(
    fake: FakeLLM, client: openai.AsyncOpenAI
) -> None:
    fake.profile = REJECTS_SEED
    with pytest.raises(openai.BadRequestError) as info:
        await create(client, seed=7)
    assert info.value.param == "seed" and "seed" in info.value.message
    assert (await create(client, temperature=0)).choices[0].message.content


async def test_invalid_json_once_then_good(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.profile = INVALID_JSON_ONCE
    fake.json_responder = lambda body: {"score": 3}
    first, second = [
        (await create(client, response_format={"type": "json_object"})).choices[0].message.content
        for _ in range(2)
    ]
    with pytest.raises(ValueError):
        json.loads(first)
    assert json.loads(second) == {"score": 3}


async def test_a_json_request_in_words_gets_json(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.json_responder = lambda body: {"score": 1}
    messages: list[Any] = [{"role": "system", "content": "Reply with one JSON object, please."}]
    completion = await client.chat.completions.create(model="fake-model", messages=messages)
    assert json.loads(completion.choices[0].message.content) == {"score": 1}


async def test_fail_429_is_rate_limit_error(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.script(Fail(429, retry_after=0))

    with pytest.raises(openai.RateLimitError) as info:
        await create(client)
    assert info.value.response.headers["retry-after"] == "0"
    assert info.value.code == "rate_limit_exceeded"
    assert fake.calls == 1
    # Next request is served normally.
    assert (await create(client)).choices[0].message.content
    assert fake.calls == 2


@pytest.mark.parametrize("status", [500, 503])
async def test_fail_5xx_is_internal_server_error(
    fake: FakeLLM, client: openai.AsyncOpenAI, status: int
) -> None:
    fake.script(Fail(status, message="boom"))

    with pytest.raises(openai.InternalServerError) as info:
        await create(client)
    assert info.value.status_code == status
    assert "boom" in info.value.message
    assert "retry-after" not in info.value.response.headers


async def test_client_retries_honour_fractional_retry_after(fake: FakeLLM) -> None:
    fake.script(Fail(429, retry_after=0.05), Fail(503, retry_after=0.05), Reply("finally"))
    async with openai.AsyncOpenAI(api_key="test", base_url=fake.base_url, max_retries=2) as c:
        started = time.monotonic()
        completion = await create(c)
        elapsed = time.monotonic() - started

    assert completion.choices[0].message.content == "finally"
    assert fake.calls == 3
    # Retry-After: 0.05 is honoured (default backoff would be >= 0.375 s + 0.75 s).
    assert elapsed < 1.0


async def test_hang_triggers_client_timeout(fake: FakeLLM) -> None:
    fake.script(Hang(2))
    async with openai.AsyncOpenAI(
        api_key="test", base_url=fake.base_url, max_retries=0, timeout=0.3
    ) as c:
        started = time.monotonic()
        with pytest.raises(openai.APITimeoutError):
            await create(c)
        assert time.monotonic() - started < 1.5
        # The server survives the client disconnect and keeps answering.
        assert (await create(c)).choices[0].message.content


async def test_malformed_json_mode_content(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.script(Malformed())

    completion = await create(client, response_format={"type": "json_object"})

    with pytest.raises(json.JSONDecodeError):
        json.loads(completion.choices[0].message.content)


async def test_malformed_plain_body(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.script(Malformed())
    # openai 3.x lets the raw JSONDecodeError escape (not wrapped in an openai error).
    with pytest.raises(json.JSONDecodeError):
        await create(client)


async def test_break_stream(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.responder = lambda body: LONG_REPLY
    fake.script(BreakStream(after=3))
    received: list[str] = []

    stream = await create(client, stream=True)
    with pytest.raises(openai.APIConnectionError) as info:
        async for chunk in stream:
            received.append(chunk.choices[0].delta.content or "")

    assert isinstance(info.value.__cause__, httpx2.RemoteProtocolError)
    assert "".join(received) == "one two three"
    assert len(received) < len(split_pieces(LONG_REPLY))


async def test_break_stream_non_streaming(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.script(BreakStream())
    with pytest.raises(openai.APIConnectionError) as info:
        await create(client)
    assert isinstance(info.value.__cause__, httpx2.RemoteProtocolError)


async def test_requests_are_recorded(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.script(Fail(500))
    with pytest.raises(openai.InternalServerError):
        await create(client, temperature=0.5)
    await create(client, stream=True, stream_options={"include_usage": True})

    requests = fake.requests
    assert fake.calls == 2
    assert [r["messages"] for r in requests] == [MESSAGES, MESSAGES]
    assert requests[0]["temperature"] == 0.5
    assert requests[0]["model"] == "fake-model"
    assert requests[1]["stream"] is True
    assert requests[1]["stream_options"] == {"include_usage": True}


async def test_pacing(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    fake.responder = lambda body: LONG_REPLY  # 10 pieces
    fake.ttft = 0.1
    fake.tokens_per_second = 100

    started = time.monotonic()
    stream = await create(client, stream=True)
    arrivals: list[float] = []
    async for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            arrivals.append(time.monotonic() - started)

    assert len(arrivals) == 10
    assert arrivals[0] >= 0.1
    assert arrivals[-1] - arrivals[0] >= 0.05  # server waits 9 x 10 ms


async def test_responder_error_is_reported(fake: FakeLLM, client: openai.AsyncOpenAI) -> None:
    def broken(body: dict[str, Any]) -> str:
        raise RuntimeError("bug in test responder")

    fake.responder = broken
    with pytest.raises(openai.InternalServerError, match="bug in test responder"):
        await create(client)
    assert len(fake.errors) == 1


def test_split_pieces_round_trip() -> None:
    for text in ["", " ", "a", "  lead and trail  ", "x\n\ny  z", '{"a": 1, "b": [2, 3]}']:
        assert "".join(split_pieces(text)) == text


async def test_close_wakes_hanging_handlers_and_is_idempotent() -> None:
    fake = FakeLLM()
    fake.script(Hang(30))
    async with openai.AsyncOpenAI(
        api_key="test", base_url=fake.base_url, max_retries=0, timeout=0.2
    ) as c:
        with pytest.raises(openai.APITimeoutError):
            await create(c)
        await create(c)  # leaves an idle keep-alive connection open
        started = time.monotonic()
        fake.close()
        assert time.monotonic() - started < 1.0
        fake.close()
        with pytest.raises(openai.APIConnectionError):
            await create(c)
