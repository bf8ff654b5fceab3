"""A fake OpenAI-compatible transcription and speech server on loopback, for tests.

    with FakeSpeech() as fake:
        fake.transcript = words_at("so um I would start", step=0.4)
        fake.script(Fail(503), Hang(5), Garbage())   # one behaviour per audio request

``POST /v1/audio/transcriptions`` (multipart: ``file``, ``model``, ``response_format``,
``timestamp_granularities[]``...) answers ``fake.transcript`` as ``verbose_json`` (text,
duration, words and segments) or ``json`` (text only); with ``fake.refuse_verbose`` a
verbose request is refused with a 400 naming ``response_format``, as gpt-4o-transcribe does.
``POST /v1/audio/speech`` answers a small MP3-looking body. ``GET /v1/models`` lists
``fake.models`` (None: a 404, as a one-model server without /models answers). ``fake.requests``
keeps what came.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler
from typing import Any, cast

from tests.fake_llm import Fail, Hang, LoopbackServer, _Server, error_body

SPOKEN_MP3 = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" * 64


@dataclass(frozen=True)
class Garbage:
    """A 200 whose body is not a transcript (or, for speech, not audio)."""


@dataclass(frozen=True)
class Said:
    """What the fake transcriber heard: text, the recording's duration, each word's times."""

    text: str
    duration: float
    words: list[tuple[str, float, float]] = field(default_factory=list)

    def verbose(self) -> dict[str, Any]:
        words = [{"word": w, "start": s, "end": e} for w, s, e in self.words]
        segments = [{"id": 0, "start": 0.0, "end": self.duration, "text": self.text}]
        return {
            "task": "transcribe",
            "language": "english",
            "duration": self.duration,
            "text": self.text,
            "words": words,
            "segments": segments,
        }


def words_at(
    text: str, *, step: float = 0.4, start: float = 0.5, gaps: dict[int, float] | None = None
) -> Said:
    """Said: a word every `step` seconds from `start`; `gaps[i]` is silence before word i."""
    timed, clock = [], start
    for index, word in enumerate(text.split()):
        clock += (gaps or {}).get(index, 0.0)
        timed.append((word, round(clock, 3), round(clock + step * 0.8, 3)))
        clock += step
    return Said(text=text, duration=round(clock + 0.5, 3), words=timed)


Behaviour = Fail | Hang | Garbage | Said


class FakeSpeech(LoopbackServer):
    """A loopback transcription and speech server; see the module docstring."""

    def __init__(self) -> None:
        self.transcript: Said = words_at("I would start with a baseline and measure it")
        self.refuse_verbose = False
        self.models: list[str] | None = ["fake-whisper", "fake-tts"]
        self._script: list[Behaviour] = []
        self._requests: list[dict[str, Any]] = []
        super().__init__(_Handler)

    def script(self, *behaviours: Behaviour) -> None:
        """Queue behaviours, one per audio request, in order."""
        with self._lock:
            self._script.extend(behaviours)

    @property
    def requests(self) -> list[dict[str, Any]]:
        """What each request carried: path, form fields (or JSON), the file's size."""
        with self._lock:
            return list(self._requests)

    def _next(self, request: dict[str, Any]) -> Behaviour | None:
        with self._lock:
            self._requests.append(request)
            return self._script.pop(0) if self._script else None

    def _wait(self, seconds: float) -> bool:
        return not self._closing.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    @property
    def fake(self) -> FakeSpeech:
        return cast(FakeSpeech, cast(_Server, self.server).fake)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        models = self.fake.models
        if self.path.rstrip("/") != "/v1/models" or models is None:
            self._json(404, error_body(404, f"Unknown path {self.path}"))
            return
        listed = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in models]
        self._json(200, {"object": "list", "data": listed})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.rstrip("/")
        if path == "/v1/audio/transcriptions":
            self._transcribe(body)
        elif path == "/v1/audio/speech":
            self._speak(body)
        else:
            self._json(404, error_body(404, f"Unknown path {self.path}"))

    def _transcribe(self, body: bytes) -> None:
        head = f"Content-Type: {self.headers.get('Content-Type')}\r\n\r\n".encode()
        message = BytesParser(policy=HTTP).parsebytes(head + body)
        fields: dict[str, Any] = {}
        size, filename = 0, None
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename():
                size, filename = len(payload), part.get_filename()
            else:
                fields.setdefault(str(name), []).append(payload.decode())
        flat = {k: v[0] if len(v) == 1 else v for k, v in fields.items()}
        behaviour = self.fake._next(
            {"path": "transcriptions", "fields": flat, "size": size, "filename": filename}
        )
        if not self._behave(behaviour):
            return
        verbose = flat.get("response_format") == "verbose_json"
        if verbose and self.fake.refuse_verbose:
            message_ = "response_format 'verbose_json' is not compatible with this model"
            self._json(400, error_body(400, message_, param="response_format"))
            return
        if isinstance(behaviour, Garbage):
            self._send(200, b"<html>upstream proxy error</html>", "application/json")
            return
        said = behaviour if isinstance(behaviour, Said) else self.fake.transcript
        self._json(200, said.verbose() if verbose else {"text": said.text})

    def _speak(self, body: bytes) -> None:
        behaviour = self.fake._next({"path": "speech", "json": json.loads(body or b"{}")})
        if not self._behave(behaviour):
            return
        if isinstance(behaviour, Garbage):
            self._send(200, b'{"ok": true}', "application/json")
            return
        self._send(200, SPOKEN_MP3, "audio/mpeg")

    def _behave(self, behaviour: Behaviour | None) -> bool:
        """Act out a failure or a hang; False when the request has been answered (or dropped)."""
        if isinstance(behaviour, Fail):
            self._json(behaviour.status, error_body(behaviour.status, behaviour.message))
            return False
        if isinstance(behaviour, Hang) and not self.fake._wait(behaviour.seconds):
            self.close_connection = True
            return False
        return True

    def _json(self, status: int, payload: Any) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json")

    def _send(self, status: int, data: bytes, media: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
