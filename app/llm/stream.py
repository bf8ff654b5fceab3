"""Reading a chat completion's server-sent events cheaply, a network read at a time.

The `openai` client still sends the request (auth, retries, timeouts, HTTP errors); this
stream class, which the client accepts as `stream_cls`, only replaces how the body is read.
The client's own decoder handles one line and one pydantic object at a time; a thousand
interviews streaming at once spend most of a core there. Here each network read is split into
events at once, and everything it held comes out together, so under load the per-token work
(the leak guard, the SSE frame to the candidate) is paid once per read, not once per token.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx2
import openai

_DATA = b"data:"


def _event_data(block: bytes) -> tuple[bytes | None, bytes]:
    """An event's data (data lines joined) and its name; None when it has no data."""
    name = b""
    data: list[bytes] = []
    for line in block.split(b"\n"):
        if line.startswith(_DATA):
            value = line[5:]
            data.append(value[1:] if value.startswith(b" ") else value)
        elif line.startswith(b"event:"):
            name = line[6:].strip()
    return (b"\n".join(data) if data else None), name


class ChunkBatches(openai.AsyncStream[Any]):
    """Yields, per network read, the list of the chunk objects it completed."""

    async def __stream__(self) -> AsyncIterator[Any]:
        response = self.response
        buffer = b""
        finished = False
        try:
            async for data in response.aiter_bytes():
                buffer += data
                if b"\r" in buffer:  # CRLF or CR line ends; a final CR may be half a CRLF
                    kept = b"\r" if buffer.endswith(b"\r") else b""
                    body = buffer[: len(buffer) - len(kept)]
                    buffer = body.replace(b"\r\n", b"\n").replace(b"\r", b"\n") + kept
                *blocks, buffer = buffer.split(b"\n\n")
                if finished or not blocks:
                    continue  # after [DONE] the rest of the body is read, not parsed
                batch = []
                for block in blocks:
                    payload, name = _event_data(block)
                    if payload is None:
                        continue
                    if payload.startswith(b"[DONE]"):
                        finished = True
                        break
                    chunk = json.loads(payload)
                    if name == b"error" or (isinstance(chunk, dict) and chunk.get("error")):
                        raise _stream_error(chunk, response.request)
                    batch.append(chunk)
                if batch:
                    yield batch
        except httpx2.TimeoutException as error:
            raise openai.APITimeoutError(request=response.request) from error
        except httpx2.RequestError as error:
            raise openai.APIConnectionError(request=response.request) from error
        finally:
            await response.aclose()


def _stream_error(chunk: Any, request: httpx2.Request) -> openai.APIError:
    error = chunk.get("error") if isinstance(chunk, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    if not isinstance(message, str) or not message:
        message = "An error occurred during streaming"
    return openai.APIError(message=message, request=request, body=error)
