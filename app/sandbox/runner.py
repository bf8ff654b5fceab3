"""Runs candidate code against a question's tests in a sandbox, a bounded number at a time.

The runner starts one sandboxed process per run (see backends), sends it the job on stdin,
reads its JSON lines with a byte cap, and kills the whole process group at the wall-clock
limit. Everything the process prints is untrusted: a result is built from the question's own
test list, taking only statuses, timings and bounded strings from the process, and the hidden
tests' inputs and values never leave this module.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, get_args

from app.content.models import CodeSpec, CodeTest
from app.sandbox.backends import Backend, Limits
from app.sandbox.models import RunReport, TestResult, TestStatus

log = logging.getLogger(__name__)

FIELD_LIMIT = 4000
_TEST_STATUSES = set(get_args(TestStatus))
PROBE_CODE = "def probe(x):\n    return x + 1\n"


class RunnerUnavailable(Exception):
    """Code execution is switched off or cannot work on this server; the reason says why."""


class RunnerBusy(Exception):
    """Too many runs are queued; try again shortly."""


def _text(value: Any) -> str | None:
    """A bounded string from untrusted output, or None."""
    if value is None:
        return None
    return str(value)[:FIELD_LIMIT]


def _uses_numpy(code: str, tests: Sequence[CodeTest]) -> bool:
    snippets = [code] + [f"{t.setup} {t.call} {t.expect or ''} {t.check or ''}" for t in tests]
    return any("numpy" in s or "np." in s for s in snippets) or any(
        t.compare == "approx" for t in tests
    )


def _input_of(test: CodeTest) -> str:
    return f"{test.setup.strip()}\n{test.call}".strip()


@dataclass
class _Collected:
    ready: bool = False
    load: dict[str, Any] | None = None
    tests: dict[int, dict[str, Any]] = field(default_factory=dict)
    end: dict[str, Any] | None = None
    overflow: bool = False


@dataclass
class CodeRunner:
    """A bounded pool of sandbox workers; `run` waits for a free slot or refuses when full."""

    backend: Backend | None
    limits: Limits = field(default_factory=Limits)
    workers: int = 2
    queue_limit: int = 16
    # why the runner is off (no backend); set by configuration or by a failed probe
    disabled_reason: str | None = None
    _slots: asyncio.Queue[int] | None = None
    _waiting: int = 0
    _probed: bool = False
    _probe_lock: asyncio.Lock | None = None

    @property
    def mode(self) -> str:
        """The backend's name, or "off"."""
        return self.backend.name if self.backend and not self.disabled_reason else "off"

    async def check(self) -> str | None:
        """Why code cannot run here (None when it can); probes the sandbox once per process."""
        if self.disabled_reason or self.backend is None:
            return self.disabled_reason or "code execution is switched off"
        if self._probed:
            return self.disabled_reason
        if self._probe_lock is None:
            self._probe_lock = asyncio.Lock()
        async with self._probe_lock:
            if not self._probed:
                self.disabled_reason = await self._probe()
                self._probed = True
                if self.disabled_reason:
                    self.disabled_reason += (
                        ". Code cannot be run here; an operator can set "
                        "ONSITE_CODE_RUNNER=unsafe-local to run it without a sandbox on a "
                        "trusted single-user machine"
                    )
                    log.error("code execution disabled: %s", self.disabled_reason)
        return self.disabled_reason

    async def _probe(self) -> str | None:
        assert self.backend is not None
        missing = self.backend.missing()
        if missing:
            return f"{self.backend.name} is not usable on this server: {missing}"
        spec = CodeSpec(
            entry="probe",
            starter=PROBE_CODE,
            solution=PROBE_CODE,
            tests=tuple(
                CodeTest(name=f"probe {i}", visible=i == 0, call=f"probe({i})", expect=str(i + 1))
                for i in range(3)
            ),
        )
        try:
            report, stderr = await self._execute(PROBE_CODE, spec, spec.tests, slot=0)
        except OSError as error:
            return f"the {self.backend.name} sandbox cannot start: {error}"
        if report.status != "passed":
            detail = (stderr or report.error or report.status).strip().splitlines()
            reason = detail[-1] if detail else report.status
            return f"the {self.backend.name} sandbox does not work on this server: {reason}"
        return None

    async def run(self, *, code: str, spec: CodeSpec, tests: Sequence[CodeTest]) -> RunReport:
        """Run code against tests in a sandbox; raise RunnerUnavailable or RunnerBusy."""
        reason = await self.check()
        if reason:
            raise RunnerUnavailable(reason)
        if self._slots is None:
            self._slots = asyncio.Queue()
            for slot in range(self.workers):
                self._slots.put_nowait(slot)
        if self._waiting >= self.workers + self.queue_limit:
            raise RunnerBusy(
                f"{self._waiting} code runs are queued on this server; try again in a few seconds"
            )
        self._waiting += 1
        try:
            slot = await self._slots.get()
            try:
                report, _ = await self._execute(code, spec, tests, slot=slot)
                return report
            finally:
                self._slots.put_nowait(slot)
        finally:
            self._waiting -= 1

    async def _execute(
        self, code: str, spec: CodeSpec, tests: Sequence[CodeTest], *, slot: int
    ) -> tuple[RunReport, str]:
        """Start the sandbox, feed it the job, collect its lines, kill it at the deadline."""
        assert self.backend is not None
        job = {
            "code": code,
            "entry": spec.entry,
            "also": list(spec.also),
            # importing NumPy costs more than everything else: only when something uses it
            "numpy": _uses_numpy(code, tests),
            "time_limit": spec.time_limit_seconds,
            "output_limit": self.limits.output_bytes,
            "tests": [t.model_dump(exclude={"name", "visible"}) for t in tests],
        }
        with _workdir(self.backend.needs_workdir, self.backend.uid_base + slot) as workdir:
            argv = self.backend.command(slot=slot, limits=self.limits)
            started = time.perf_counter()
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                cwd=workdir,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                start_new_session=True,
            )
            collected = _Collected()
            timed_out = False
            try:
                stderr = await asyncio.wait_for(
                    self._talk(process, json.dumps(job).encode(), collected),
                    timeout=self.limits.wall_seconds,
                )
            except TimeoutError:
                timed_out = True
                stderr = ""
            finally:
                await _reap(process)
            wall_ms = (time.perf_counter() - started) * 1000
        report = _report(
            tests,
            collected,
            returncode=process.returncode,
            timed_out=timed_out,
            wall_ms=wall_ms,
            limits=self.limits,
        )
        return report, stderr

    async def _talk(
        self, process: asyncio.subprocess.Process, job: bytes, collected: _Collected
    ) -> str:
        assert process.stdin and process.stdout and process.stderr
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            process.stdin.write(job)
            await process.stdin.drain()
            process.stdin.close()
        budget = self.limits.output_bytes * 2 + 64 * 1024 + len(job)
        stderr_task = asyncio.ensure_future(process.stderr.read(16 * 1024))
        pending = b""
        while True:
            chunk = await process.stdout.read(64 * 1024)
            if not chunk:
                break
            budget -= len(chunk)
            if budget < 0:
                collected.overflow = True
                break
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                _collect(line, collected)
        if collected.overflow:
            await _reap(process)
        await process.wait()
        try:
            stderr = await asyncio.wait_for(stderr_task, timeout=1)
        except TimeoutError:
            return ""
        return stderr.decode("utf-8", "replace")


@contextlib.contextmanager
def _workdir(needed: bool, uid: int) -> Iterator[str | None]:
    """A fresh directory owned by the run's uid, for backends without a sandbox of their own."""
    if not needed:
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="onsite-run-") as path:
        if os.geteuid() == 0:
            os.chown(path, uid, uid)
        yield path


def _kill_group(process: asyncio.subprocess.Process) -> None:
    """Kill the run's whole process group (the sandbox dies with it)."""
    if process.returncode is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


async def _reap(process: asyncio.subprocess.Process) -> None:
    """Kill the group, then read the pipes to their end: asyncio's wait() needs them closed."""
    _kill_group(process)
    for stream in (process.stdout, process.stderr):
        if stream is None:
            continue
        with contextlib.suppress(Exception):
            async with asyncio.timeout(2):
                while await stream.read(64 * 1024):
                    pass
    await process.wait()


def _collect(line: bytes, collected: _Collected) -> None:
    """Keep one well-formed event from the sandbox; ignore anything else."""
    try:
        event = json.loads(line)
    except ValueError:
        return
    if not isinstance(event, dict):
        return
    kind = event.get("event")
    if kind == "ready":
        collected.ready = True
    elif kind == "load" and collected.load is None:
        collected.load = event
    elif kind == "test" and isinstance(event.get("index"), int):
        collected.tests.setdefault(event["index"], event)
    elif kind == "end" and collected.end is None:
        collected.end = event


def _killed_reason(returncode: int | None, limits: Limits) -> tuple[str, str]:
    """The run status and message for a sandbox that stopped without finishing."""
    if returncode is not None and returncode < 0:
        sig = -returncode
        if sig == signal.SIGXCPU:
            return "time_limit", f"CPU time limit: the code used more than {limits.cpu_seconds} s"
        if sig == signal.SIGKILL:
            return "memory_limit", "the process was killed (most likely out of memory)"
        if sig == signal.SIGXFSZ:
            return "output_limit", f"file size limit: a file grew past {limits.file_mb} MB"
        return "error", f"the process was killed by signal {signal.Signals(sig).name}"
    return "error", f"the process exited unexpectedly (exit code {returncode})"


def _report(
    tests: Sequence[CodeTest],
    collected: _Collected,
    *,
    returncode: int | None,
    timed_out: bool,
    wall_ms: float,
    limits: Limits,
) -> RunReport:
    """The run's report, built from the question's tests and what the sandbox said about them."""
    results: list[TestResult] = []
    run_error: str | None = None
    stopped: tuple[str, str] | None = None
    if collected.overflow:
        stopped = ("output_limit", "output limit: the code printed too much and was stopped")
    elif timed_out:
        stopped = ("time_limit", f"time limit: the run took longer than {limits.wall_seconds:g} s")
    elif collected.end is None and (collected.load or {}).get("status") in (None, "ok"):
        stopped = _killed_reason(returncode, limits)
    load = collected.load or {}
    load_status = load.get("status")
    if load_status in ("compile_error", "error", "time_limit"):
        run_error = _text(load.get("error"))
        status = {"compile_error": "compile_error", "error": "error", "time_limit": "time_limit"}[
            load_status
        ]
        results = [_result(t, None, "not_run") for t in tests]
        return RunReport(
            status=status,  # type: ignore[arg-type]
            passed=0,
            total=len(tests),
            tests=results,
            error=run_error,
            wall_ms=round(wall_ms, 1),
        )
    for index, test in enumerate(tests):
        event = collected.tests.get(index)
        if event is not None:
            results.append(_result(test, event, None))
        elif stopped is not None and index == len(collected.tests):
            kind, message = stopped
            status = kind if kind in _TEST_STATUSES else "error"
            results.append(_result(test, {"error": message}, status))  # type: ignore[arg-type]
        else:
            results.append(_result(test, None, "not_run"))
    passed = sum(r.status == "passed" for r in results)
    if stopped is not None:
        overall, run_error = stopped
    elif passed == len(results):
        overall = "passed"
    else:
        overall = "failed"
    end = collected.end or {}
    return RunReport(
        status=overall,  # type: ignore[arg-type]
        passed=passed,
        total=len(results),
        tests=results,
        error=run_error,
        output=str(end.get("output") or "")[: limits.output_bytes],
        output_truncated=bool(end.get("output_truncated")),
        wall_ms=round(wall_ms, 1),
    )


def _result(test: CodeTest, event: dict[str, Any] | None, status: TestStatus | None) -> TestResult:
    """One test's result; hidden tests keep only their status, time and error."""
    event = event or {}
    reported = event.get("status")
    final: TestStatus = status or (reported if reported in _TEST_STATUSES else "error")
    runtime = event.get("ms")
    visible = test.visible
    return TestResult(
        name=test.name if visible else "hidden test",
        visible=visible,
        status=final,
        runtime_ms=float(runtime) if isinstance(runtime, int | float) else None,
        input=_input_of(test) if visible else None,
        expected=_text(event.get("expected")) if visible else None,
        actual=_text(event.get("actual")) if visible else None,
        # a hidden test's assertion message may state its expected value: only its status shows
        error=_text(event.get("error")) if visible or final != "failed" else None,
    )
