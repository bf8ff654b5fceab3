"""Slow clients are cut off, over real sockets against a real `onsite serve`."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from app.config import PROJECT_ROOT
from tests.servers import free_port

LIMIT = 1.0  # seconds, for headers and for bodies


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`onsite serve` on loopback with one-second limits and a slowly streaming interviewer."""
    folder = tmp_path_factory.mktemp("slow")
    port = free_port()
    env = {
        **os.environ,
        "ONSITE_DATABASE_URL": f"sqlite:///{folder / 'onsite.db'}",
        "ONSITE_HEADER_TIMEOUT_SECONDS": str(LIMIT),
        "ONSITE_BODY_TIMEOUT_SECONDS": str(LIMIT),
        "ONSITE_OFFLINE_WORD_DELAY_MS": "200",  # a reply streams for longer than the limits
        "ONSITE_CODE_RUNNER": "off",
    }
    onsite = shutil.which("onsite", path=str(Path(sys.executable).parent))
    process = subprocess.Popen(
        [onsite, "serve", "--port", str(port), "--workers", "1"],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "onsite serve exited"
            assert time.monotonic() < deadline, "onsite serve did not start"
            try:
                if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx2.HTTPError:
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def trickle(sock: socket.socket, data: bytes, seconds: float) -> float:
    """Send one byte every 0.1 s until the server closes; the seconds it took."""
    start = time.monotonic()
    for byte in data:
        try:
            sock.sendall(bytes([byte]))
        except OSError:  # closed by the server
            break
        time.sleep(0.1)
        if time.monotonic() - start > seconds:
            break
    return time.monotonic() - start


def test_headers_that_trickle_are_cut_off(server: str) -> None:
    request = b"GET /healthz HTTP/1.1\r\nHost: onsite\r\n" + b"X-Slow: " + b"a" * 200
    with connect(server) as sock:
        start = time.monotonic()
        trickle(sock, request, seconds=4 * LIMIT)
        sock.settimeout(4 * LIMIT)
        assert read_all(sock) == b"", "no request, no answer: the connection is closed"
        assert time.monotonic() - start < 3 * LIMIT


def test_a_silent_connection_is_closed(server: str) -> None:
    with connect(server) as sock:
        start = time.monotonic()
        sock.settimeout(4 * LIMIT)
        assert read_all(sock) == b""
        assert time.monotonic() - start < 3 * LIMIT


def test_a_body_that_trickles_gets_a_json_408(server: str) -> None:
    body = json.dumps({"username": "slowpoke", "password": "correct horse battery"}).encode()
    head = (
        b"POST /api/v1/users HTTP/1.1\r\nHost: onsite\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    with connect(server) as sock:
        sock.sendall(head)
        start = time.monotonic()
        trickle(sock, body, seconds=2 * LIMIT)
        sock.settimeout(4 * LIMIT)
        answer = read_all(sock)
        assert time.monotonic() - start < 3 * LIMIT
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 408 Request Timeout", answer
    assert b"connection: close" in rest.lower()
    assert json.loads(rest.split(b"\r\n\r\n", 1)[1]) == {
        "detail": f"the request body did not arrive within {LIMIT:g} seconds",
        "code": "timeout",
        "retryable": False,
    }


def test_prompt_requests_and_long_streamed_replies_are_not_cut(server: str) -> None:
    with httpx2.Client(base_url=server, timeout=60) as api:  # one keep-alive connection
        user = {"username": "steady", "password": "correct horse battery"}
        assert api.post("/api/v1/users", json=user).status_code == 201
        token = api.post("/api/v1/auth/token", data=user).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        interview = api.post("/api/v1/interviews", json={"round": "ml_theory"}, headers=auth)
        start = time.monotonic()
        with api.stream(
            "POST",
            f"/api/v1/interviews/{interview.json()['id']}/messages",
            json={"content": "I am not sure, could you give me a hint?"},
            headers={**auth, "Accept": "text/event-stream"},
        ) as reply:
            events = [line for line in reply.iter_lines() if line.startswith("event:")]
        assert time.monotonic() - start > LIMIT, "the reply streamed for longer than the limits"
        assert events[-1] == "event: done", events[-3:]
        time.sleep(LIMIT / 2)  # idle, but within the limits: the connection serves again
        assert api.get("/healthz").status_code == 200
