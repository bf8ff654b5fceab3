"""A fake OpenAI-compatible HTTP server for tests.

The ``openai`` 3.x client talks through ``httpx2``, so transport-level mocking is not an
option; instead ``FakeLLM`` runs a real ``ThreadingHTTPServer`` on a loopback port::

    with FakeLLM() as fake:
        client = openai.AsyncOpenAI(api_key="test", base_url=fake.base_url, max_retries=0)
        fake.script(Fail(429, retry_after=0), Reply("hello"))
        ...

Endpoints: ``GET /v1/models`` and ``POST /v1/chat/completions`` (plain, streamed as SSE over
chunked transfer encoding, and JSON mode via ``response_format``).  Replies come from
``fake.responder`` / ``fake.json_responder``; ``fake.script(...)`` queues one-shot behaviours
(:class:`Fail`, :class:`Hang`, :class:`Malformed`, :class:`BreakStream`, :class:`Reply`),
consumed one per chat completion request. ``fake.profile`` mimics a real server's refusals of
structured formats and sampling parameters (:data:`LLAMA_CPP_PYTHON`, :data:`JSON_MODE_ONLY`,
:data:`REJECTS_SEED`, :data:`INVALID_JSON_ONCE`; :data:`OPENAI`, accepting all, by default).
"""

from __future__ import annotations

import contextlib
import json
import math
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self, cast

JSONBody = dict[str, Any]

MODEL_ID = "fake-model"
_JOIN_TIMEOUT = 5.0
_PIECE_RE = re.compile(r"\s*\S+|\s+")


# --------------------------------------------------------------------------- behaviours


@dataclass(frozen=True)
class Fail:
    """Answer with HTTP ``status`` and an OpenAI-style error body."""

    status: int
    retry_after: float | None = None
    message: str = "Scripted failure from FakeLLM"


@dataclass(frozen=True)
class Hang:
    """Wait ``seconds`` before answering normally (lets a client timeout fire)."""

    seconds: float


@dataclass(frozen=True)
class Malformed:
    """Non-JSON body (plain requests) or non-JSON content (JSON-mode requests)."""


@dataclass(frozen=True)
class BreakStream:
    """Stream ``after`` content chunks, then drop the connection (non-stream: no response)."""

    after: int = 2


@dataclass(frozen=True)
class Reply:
    """Reply with exactly ``text`` as the message content."""

    text: str


Behaviour = Fail | Hang | Malformed | BreakStream | Reply


# --------------------------------------------------------------------------- server profiles


@dataclass(frozen=True)
class Profile:
    """How a real server treats structured output and sampling parameters.

    ``formats``: the structured formats it accepts (app/llm/formats.py's names; ``text`` is a
    request without ``response_format``); another is refused with ``refusal_status`` and
    ``refusal_message``. ``rejects``: request fields refused with a 400 naming them.
    ``invalid_json``: how many JSON replies come out invalid (truncated) before good ones.
    """

    name: str
    formats: frozenset[str] = frozenset(
        {"json_schema", "json_object_schema", "json_object", "text"}
    )
    refusal_status: int = 400
    refusal_message: str = "response_format of type {type!r} is not supported by this model"
    rejects: frozenset[str] = frozenset()
    invalid_json: int = 0
    # a schema with a string maxLength above this drops the connection without an answer
    max_string_length: int | None = None


OPENAI = Profile("openai")
# llama-cpp-python 0.3's server: `text` and `json_object` (optionally with a `schema`, made
# into a grammar); a `json_schema` request fails its request validation, answered with a 500
LLAMA_CPP_PYTHON = Profile(
    "llama-cpp-python",
    formats=frozenset({"json_object_schema", "json_object", "text"}),
    refusal_status=500,
    refusal_message=(
        "1 validation error:\n  {{'type': 'literal_error', 'loc': ('body', 'response_format', "
        "'type'), 'msg': \"Input should be 'text' or 'json_object'\", 'input': {type!r}}}"
    ),
    # its grammar has a rule per allowed character: a long maxLength fails to parse and the
    # server process dies (here: the connection is dropped)
    max_string_length=100,
)
# a server with JSON mode only, refusing anything else in response_format with a 400
JSON_MODE_ONLY = Profile(
    "json-mode-only",
    formats=frozenset({"json_object", "text"}),
    refusal_message="response_format: {type!r} (or its schema) is not supported",
)
# OpenAI's wording for a parameter a model does not take
REJECTS_SEED = Profile("rejects-seed", rejects=frozenset({"seed"}))
# a JSON reply cut short once (a length limit, a flaky model), then good ones
INVALID_JSON_ONCE = Profile("invalid-json-once", invalid_json=1)
PROFILES = (OPENAI, LLAMA_CPP_PYTHON, JSON_MODE_ONLY, REJECTS_SEED, INVALID_JSON_ONCE)


# --------------------------------------------------------------------------- helpers


def split_pieces(text: str) -> list[str]:
    """Split ``text`` into word pieces that keep whitespace: ``"".join(pieces) == text``."""
    return _PIECE_RE.findall(text)


def estimate_prompt_tokens(body: JSONBody) -> int:
    """ceil(total characters of all message contents / 4)."""
    chars = 0
    for message in body.get("messages") or []:
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            chars += len(content)
        elif isinstance(content, list):
            chars += sum(len(part.get("text") or "") for part in content if isinstance(part, dict))
    return math.ceil(chars / 4)


def response_format_type(body: JSONBody) -> str | None:
    fmt = body.get("response_format")
    return fmt.get("type") if isinstance(fmt, dict) else None


def structured_format(body: JSONBody) -> str:
    """The request's structured format, in app/llm/formats.py's names."""
    fmt = body.get("response_format")
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    if kind == "json_object" and isinstance(fmt, dict) and "schema" in fmt:
        return "json_object_schema"
    return kind if isinstance(kind, str) and kind != "text" else "text"


def schema_name(body: JSONBody) -> str | None:
    """The name of the schema a `json_schema` request asks for (the pydantic model's name)."""
    fmt = body.get("response_format")
    if isinstance(fmt, dict) and isinstance(fmt.get("json_schema"), dict):
        name = fmt["json_schema"].get("name")
        return name if isinstance(name, str) else None
    return None


def is_json_mode(body: JSONBody) -> bool:
    """JSON asked for: by response_format, or (a model that follows its prompt) in words."""
    if response_format_type(body) in ("json_schema", "json_object"):
        return True
    return any(
        isinstance(m, dict) and "Reply with one JSON object" in str(m.get("content"))
        for m in body.get("messages") or []
    )


def last_user_text(body: JSONBody) -> str:
    for message in reversed(body.get("messages") or []):
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                parts = [p.get("text") or "" for p in content if isinstance(p, dict)]
                return " ".join(parts)
            return content if isinstance(content, str) else ""
    return ""


def default_responder(body: JSONBody) -> str:
    words = last_user_text(body).split()[:5]
    if not words:
        return "This is a fake reply."
    return f"This is a fake reply to: {' '.join(words)}."


def default_json_responder(body: JSONBody) -> JSONBody | str:
    return {}


def error_body(status: int, message: str, param: str | None = None) -> JSONBody:
    if status == 429:
        kind, code = "requests", "rate_limit_exceeded"
    elif status >= 500:
        kind, code = "server_error", None
    else:
        kind, code = "invalid_request_error", None
    return {"error": {"message": message, "type": kind, "param": param, "code": code}}


def _format_seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# --------------------------------------------------------------------------- server


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that tracks live connections so ``close()`` can end them."""

    daemon_threads = True
    request_queue_size = 2048  # benchmarks open a thousand connections at once

    def __init__(self, fake: Any, handler: type[BaseHTTPRequestHandler]) -> None:
        self.fake = fake
        self._lock = threading.Lock()
        self._active: dict[threading.Thread, socket.socket] = {}
        super().__init__(("127.0.0.1", 0), handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self.process_request_thread,
            args=(request, client_address),
            name="FakeLLM-conn",
            daemon=True,
        )
        with self._lock:
            self._active[thread] = request
        thread.start()

    def shutdown_request(self, request: Any) -> None:
        super().shutdown_request(request)
        with self._lock:
            self._active.pop(threading.current_thread(), None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Never print tracebacks to stderr; client disconnects are expected.
        pass

    def drop_connections(self) -> None:
        with self._lock:
            active = dict(self._active)
        for sock in active.values():
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in active:
            thread.join(_JOIN_TIMEOUT)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "FakeLLM/1.0"
    sys_version = ""

    @property
    def fake(self) -> FakeLLM:
        return cast(_Server, self.server).fake

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True

    # ---- routing

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v1/models":
            model = {"id": MODEL_ID, "object": "model", "created": 0, "owned_by": "fake"}
            self._send_json(200, {"object": "list", "data": [model]})
        elif self.path.rstrip("/") == "/_stats":  # for benchmarks running the fake elsewhere
            bodies = self.fake.requests
            self._send_json(
                200,
                {
                    "calls": self.fake.calls,
                    "prompt_tokens": [estimate_prompt_tokens(b) for b in bodies],
                    "json_calls": sum(1 for b in bodies if is_json_mode(b)),
                },
            )
        else:
            self._discard_body()
            self._send_json(404, error_body(404, f"Unknown path {self.path}"))

    def do_POST(self) -> None:
        if self.path.rstrip("/") == "/v1/chat/completions":
            self._chat_completions()
        else:
            self._discard_body()
            self._send_json(404, error_body(404, f"Unknown path {self.path}"))

    # ---- chat completions

    def _chat_completions(self) -> None:
        fake = self.fake
        raw = self._read_body()
        try:
            body = json.loads(raw)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            fake._count_call(None)
            self._send_json(400, error_body(400, "Request body is not a JSON object"))
            return
        behaviour = fake._count_call(body)
        stream = bool(body.get("stream"))

        if isinstance(behaviour, Fail):
            self._send_json(
                behaviour.status,
                error_body(behaviour.status, behaviour.message),
                retry_after=behaviour.retry_after,
            )
            return
        if isinstance(behaviour, Hang) and not fake._wait(behaviour.seconds):
            self.close_connection = True
            return
        if isinstance(behaviour, BreakStream) and not stream:
            self.close_connection = True
            return
        refusal = fake._refusal(body)
        if refusal is not None:
            self._send_json(refusal[0], refusal[1])
            return
        if fake._grammar_fails(body):
            self.close_connection = True
            return

        try:
            text = fake._reply_text(body, behaviour)
        except Exception as exc:
            fake._record_error(exc)
            self._send_json(500, error_body(500, f"FakeLLM responder raised {exc!r}"))
            return
        broken_json = isinstance(behaviour, Malformed) and not is_json_mode(body)
        if stream:
            cut = behaviour.after if isinstance(behaviour, BreakStream) else None
            self._stream(body, text, broken_json=broken_json, cut_after=cut)
        else:
            self._complete(body, text, broken_json=broken_json)

    def _complete(self, body: JSONBody, text: str, *, broken_json: bool) -> None:
        fake = self.fake
        pieces = split_pieces(text)
        if not fake._wait(fake.ttft + fake._generation_time(len(pieces))):
            self.close_connection = True
            return
        if broken_json:
            self._send_bytes(200, b'{"id": "chatcmpl-broken", "choices": [', "application/json")
            return
        completion = {
            **fake._envelope(body, "chat.completion"),
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": text, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": fake._usage(body, len(pieces)),
        }
        self._send_json(200, completion)

    def _stream(
        self, body: JSONBody, text: str, *, broken_json: bool, cut_after: int | None
    ) -> None:
        fake = self.fake
        include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
        envelope = fake._envelope(body, "chat.completion.chunk")
        if include_usage:
            envelope["usage"] = None

        def chunk(delta: JSONBody, finish_reason: str | None = None) -> JSONBody:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            return {**envelope, "choices": [choice]}

        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        if not fake._wait(fake.ttft):
            self.close_connection = True
            return
        if broken_json:
            self._write_chunk(b"data: {not json\n\n")
            self._finish_stream()
            return
        self._write_event(chunk({"role": "assistant", "content": "", "refusal": None}))
        pieces = split_pieces(text)
        for index, piece in enumerate(pieces):
            if cut_after is not None and index >= cut_after:
                self.close_connection = True  # no terminating chunk: the body is truncated
                return
            if index and not fake._wait(fake._piece_interval()):
                self.close_connection = True
                return
            self._write_event(chunk({"content": piece}))
        if cut_after is not None:
            self.close_connection = True
            return
        self._write_event(chunk({}, "stop"))
        if include_usage:
            self._write_event({**envelope, "choices": [], "usage": fake._usage(body, len(pieces))})
        self._finish_stream()

    # ---- low-level I/O

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _discard_body(self) -> None:
        self._read_body()

    def _send_json(self, status: int, payload: Any, *, retry_after: float | None = None) -> None:
        data = json.dumps(payload).encode()
        headers = {} if retry_after is None else {"Retry-After": _format_seconds(retry_after)}
        self._send_bytes(status, data, "application/json", headers)

    def _send_bytes(
        self,
        status: int,
        data: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%X\r\n%s\r\n" % (len(data), data))

    def _write_event(self, payload: JSONBody) -> None:
        self._write_chunk(b"data: " + json.dumps(payload).encode() + b"\n\n")

    def _finish_stream(self) -> None:
        self._write_chunk(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")


# --------------------------------------------------------------------------- public API


class LoopbackServer:
    """A fake server on 127.0.0.1 in a thread of its own, stopped by `close()` or `with`."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._server = _Server(self, handler)
        port = self._server.server_address[1]
        self.base_url = f"http://127.0.0.1:{port}/v1"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=type(self).__name__,
            daemon=True,
        )
        self._thread.start()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop serving, drop open connections and wake any hanging handlers. Idempotent."""
        if self._closing.is_set():
            return
        self._closing.set()
        self._server.shutdown()
        self._server.drop_connections()
        self._server.server_close()
        self._thread.join(_JOIN_TIMEOUT)


class FakeLLM(LoopbackServer):
    """A loopback OpenAI-compatible server; see the module docstring."""

    def __init__(self) -> None:
        self.responder: Callable[[JSONBody], str] = default_responder
        self.json_responder: Callable[[JSONBody], JSONBody | str] = default_json_responder
        self.profile: Profile = OPENAI
        self.ttft: float = 0.0
        self.tokens_per_second: float | None = None
        self._requests: list[JSONBody] = []
        self._errors: list[BaseException] = []
        self._script: deque[Behaviour] = deque()
        self._calls = 0
        self._ids = 0
        self._invalid_json_sent = 0
        super().__init__(_Handler)

    # ---- inspection and scripting

    @property
    def requests(self) -> list[JSONBody]:
        """Snapshot of the JSON bodies of chat completion requests received so far."""
        with self._lock:
            return list(self._requests)

    @property
    def calls(self) -> int:
        """Number of chat completion requests received (including failed ones)."""
        with self._lock:
            return self._calls

    @property
    def errors(self) -> list[BaseException]:
        """Exceptions raised by ``responder`` / ``json_responder`` (answered with a 500)."""
        with self._lock:
            return list(self._errors)

    def script(self, *behaviours: Behaviour) -> None:
        """Queue behaviours, consumed one per chat completion request, in order."""
        with self._lock:
            self._script.extend(behaviours)

    # ---- used by the handler

    def _count_call(self, body: JSONBody | None) -> Behaviour | None:
        with self._lock:
            self._calls += 1
            if body is None:
                return None
            self._requests.append(body)
            return self._script.popleft() if self._script else None

    def _record_error(self, exc: BaseException) -> None:
        with self._lock:
            self._errors.append(exc)

    def _wait(self, seconds: float) -> bool:
        """Sleep ``seconds``; return False if the server is closing meanwhile."""
        if seconds <= 0:
            return not self._closing.is_set()
        return not self._closing.wait(seconds)

    def _piece_interval(self) -> float:
        tps = self.tokens_per_second
        return 1.0 / tps if tps else 0.0

    def _generation_time(self, pieces: int) -> float:
        """Time to emit ``pieces`` pieces after the first token (which comes at ``ttft``)."""
        return max(pieces - 1, 0) * self._piece_interval()

    def _refusal(self, body: JSONBody) -> tuple[int, JSONBody] | None:
        """The profile's refusal of this request, if it refuses it."""
        profile = self.profile
        for field in sorted(profile.rejects):
            if field in body:
                message = f"Unrecognized request argument supplied: {field}"
                return 400, error_body(400, message, param=field)
        fmt = structured_format(body)
        if fmt not in profile.formats:
            status = profile.refusal_status
            message = profile.refusal_message.format(type=response_format_type(body))
            return status, error_body(status, message, param="response_format")
        return None

    def _grammar_fails(self, body: JSONBody) -> bool:
        limit = self.profile.max_string_length
        if limit is None or not isinstance(body.get("response_format"), dict):
            return False
        lengths = re.findall(r'"maxLength": (\d+)', json.dumps(body["response_format"]))
        return any(int(n) > limit for n in lengths)

    def _reply_text(self, body: JSONBody, behaviour: Behaviour | None) -> str:
        if isinstance(behaviour, Reply):
            return behaviour.text
        if not is_json_mode(body):
            return self.responder(body)
        if isinstance(behaviour, Malformed):
            return "{not json"
        with self._lock:
            invalid = self._invalid_json_sent < self.profile.invalid_json
            self._invalid_json_sent += invalid
        if invalid:
            return '{"criteria": [{"criterion_id": "cut sho'
        result = self.json_responder(body)
        return result if isinstance(result, str) else json.dumps(result)

    def _envelope(self, body: JSONBody, kind: str) -> JSONBody:
        with self._lock:
            self._ids += 1
            ident = self._ids
        return {
            "id": f"chatcmpl-fake{ident}",
            "object": kind,
            "created": int(time.time()),
            "model": body.get("model") or MODEL_ID,
            "system_fingerprint": None,
        }

    @staticmethod
    def _usage(body: JSONBody, completion_tokens: int) -> JSONBody:
        prompt_tokens = estimate_prompt_tokens(body)
        return {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        }


CANDIDATE = re.compile(r'<candidate seq="(\d+)">\n(.*?)\n</candidate>', re.S)
CRITERION = re.compile(r'- id "([a-z0-9_-]+)"')


REVIEWED = re.compile(r'^Criterion "([a-z0-9_-]+)"', re.M)
Decision = Callable[[str], tuple[str, int | None]]


def grader(
    score_for: Callable[[str], int] | None = None, review: Decision | None = None
) -> Callable[[JSONBody], JSONBody]:
    """A fake grader: quotes one real sentence and one invented one, scores every criterion.

    The sceptical second look (a request whose only message asks to review extreme grades) is
    answered by `review(criterion_id) -> (decision, lowered score)`, by default "keep".
    """

    def respond(body: dict[str, Any]) -> dict[str, Any]:
        if schema_name(body) == "Reading":  # the assessment of one answer, not a grading
            return {"intents": ["answer"], "key_points": [], "sections": [], "claims": []}
        if len(body["messages"]) == 1 or "sceptical grader" in body["messages"][0]["content"]:
            return second_look(body)
        system, user = body["messages"][0]["content"], body["messages"][1]["content"]
        candidates = CANDIDATE.findall(user)
        seq, text = candidates[0] if candidates else ("1", "")
        real = text.split("\n")[0][:80]
        score = score_for(user) if score_for else 3
        return {
            "criteria": [
                {
                    "criterion_id": cid,
                    "evidence": [
                        {"quote": real, "message_seq": int(seq)},
                        {"quote": "words the candidate never said", "message_seq": 2},
                    ],
                    "rationale": f"Graded {cid}.",
                    "assessment": "graded",
                    "score": score,
                }
                for cid in CRITERION.findall(system)
            ],
            "missed_key_points": [],
            "summary": "A fair performance.",
        }

    def second_look(body: dict[str, Any]) -> dict[str, Any]:
        prompt = body["messages"][0]["content"]
        reviews = []
        for cid in REVIEWED.findall(prompt):
            decision, lowered = review(cid) if review else ("keep", None)
            reviews.append(
                {
                    "criterion_id": cid,
                    "reason": f"Reviewed {cid}.",
                    "decision": decision,
                    "lowered_score": lowered,
                }
            )
        return {"reviews": reviews}

    return respond


def main() -> None:
    """Run a fake server in its own process: `python -m tests.fake_llm TTFT TOKENS_PER_SECOND`.

    Prints the base URL on the first line, then serves until killed.
    """
    import sys

    fake = FakeLLM()
    fake.ttft = float(sys.argv[1]) if len(sys.argv) > 1 else 0.0
    rate = float(sys.argv[2]) if len(sys.argv) > 2 else 0.0
    fake.tokens_per_second = rate or None
    words = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    reply = " ".join(["word"] * words) + "."
    fake.responder = lambda body: reply
    fake.json_responder = grader()
    print(fake.base_url, flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
