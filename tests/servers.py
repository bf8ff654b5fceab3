"""The app as it is deployed, for tests: `uvicorn app.main:create_app` in a subprocess."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx2

from app.cli import WORKER_START_SECONDS
from app.config import PROJECT_ROOT


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# a busy two-core machine has taken over 30 s to start two workers (uvicorn then killed workers
# still importing after 5 s; see WORKER_START_SECONDS)
START_SECONDS = 60


@dataclass
class Server:
    """A running server process and its base URL."""

    process: subprocess.Popen
    base: str

    def kill(self) -> None:
        """SIGKILL: no shutdown, no cleanup, as a crash would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """A graceful stop."""
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)


def serve(database_url: str, *, port: int | None = None, workers: int = 1, **env: str) -> Server:
    """Start a server on loopback against the database (already migrated) and wait for it."""
    port = port or free_port()
    environment = {
        **os.environ,
        "ONSITE_DATABASE_URL": database_url,
        "ONSITE_LLM": "offline",
        "ONSITE_MAX_LLM_CALLS_PER_MINUTE": "100000",
        **env,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "app.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--workers",
            str(workers),
            # as `onsite serve`: a worker still importing on a busy machine is not killed
            "--timeout-worker-healthcheck",
            str(WORKER_START_SECONDS),
        ],
        env=environment,
        cwd=PROJECT_ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                return Server(process=process, base=base)
        except httpx2.HTTPError:
            time.sleep(0.1)
    process.kill()
    process.wait()  # reaped, or its Popen warns "still running" into whichever test runs next
    raise RuntimeError(f"the server did not start within {START_SECONDS} s")
