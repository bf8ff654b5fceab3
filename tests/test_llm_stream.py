"""The raw chunk stream: server-sent events split however the network splits them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx2
import openai
import pytest

from app.llm.stream import ChunkBatches


def _chunk(text: str) -> dict:
    return {"choices": [{"index": 0, "delta": {"content": text}}]}


async def _batches(*reads: bytes) -> list[list[dict]]:
    async def body() -> AsyncIterator[bytes]:
        for read in reads:
            yield read

    request = httpx2.Request("POST", "http://127.0.0.1:9/v1/chat/completions")
    response = httpx2.Response(200, content=body(), request=request)
    async with openai.AsyncOpenAI(api_key="x", base_url="http://127.0.0.1:9/v1") as client:
        stream = ChunkBatches(cast_to=object, response=response, client=client)
        return [batch async for batch in stream]


def _event(payload: object, newline: bytes = b"\n") -> bytes:
    return b"data: " + json.dumps(payload).encode() + newline + newline


async def test_one_read_with_many_events_is_one_batch() -> None:
    body = b"".join(_event(_chunk(word)) for word in ("a", "b", "c")) + b"data: [DONE]\n\n"
    assert await _batches(body) == [[_chunk("a"), _chunk("b"), _chunk("c")]]


async def test_events_split_across_reads_and_crlf_line_ends() -> None:
    body = _event(_chunk("hello"), b"\r\n") + _event(_chunk(" world"), b"\r\n")
    reads = [body[i : i + 7] for i in range(0, len(body), 7)]  # splits inside "\r\n" too
    batches = await _batches(*reads, b"data: [DONE]\r\n\r\n")
    assert [c for batch in batches for c in batch] == [_chunk("hello"), _chunk(" world")]


async def test_comments_and_multi_line_data() -> None:
    payload = json.dumps(_chunk("x"), indent=1).encode().replace(b"\n", b"\ndata: ")
    body = b": keep-alive\n\n" + b"data: " + payload + b"\n\n" + b"data: [DONE]\n\n"
    assert await _batches(body) == [[_chunk("x")]]


async def test_a_crlf_split_between_two_data_lines_of_one_event() -> None:
    lines = json.dumps(_chunk("x"), indent=1).encode().split(b"\n")
    event = b"\r\n".join(b"data: " + line for line in lines) + b"\r\n\r\n"
    cut = event.index(b"\r\n") + 1  # the read ends between CR and LF inside the event
    batches = await _batches(event[:cut], event[cut:], b"data: [DONE]\r\n\r\n")
    assert batches == [[_chunk("x")]]


async def test_nothing_after_done_is_parsed() -> None:
    body = _event(_chunk("a")) + b"data: [DONE]\n\n" + b"data: {not json\n\n"
    assert await _batches(body) == [[_chunk("a")]]


async def test_an_error_event_raises_the_clients_api_error() -> None:
    error = {"error": {"message": "overloaded", "type": "server_error"}}
    with pytest.raises(openai.APIError, match="overloaded"):
        await _batches(_event(_chunk("a")) + _event(error))


async def test_a_broken_event_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        await _batches(b"data: {not json\n\n")
