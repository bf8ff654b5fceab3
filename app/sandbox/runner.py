"""Runs candidate code against a question's tests in a sandbox, a fair number at a time.

A run has two processes that share nothing. The sandbox (see backends and harness.py) gets the
code and each test's inputs and call, never an expected value or a check, and returns each
call's result as plain JSON data; the runner reads its lines with a byte cap and kills it at
the wall-clock limit. Then the checker (checker.py), a process of its own outside the sandbox,
decodes those results and judges them against the `expect` and `check` snippets. Everything
the sandbox prints is untrusted: the report is built from the question's own test list, with
the checker's verdicts, and hidden tests show only their status.
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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast, get_args

from app.content.models import CodeSpec, CodeTest
from app.sandbox.backends import Backend, Limits, checker_command
from app.sandbox.models import RunReport, TestResult, TestStatus
from app.sandbox.slicing import Plan, plan
from app.sandbox.slots import FairSlots, SlotsBusy

log = logging.getLogger(__name__)

FIELD_LIMIT = 4000
_TEST_STATUSES = set(get_args(TestStatus))
PROBE_CODE = "def probe(x):\n    return x + 1\n"
SELF_TEST_USER = "self-test"
# how many values one result may hold (lists count each item)
ITEM_LIMIT = 2_000_000


class RunnerUnavailable(Exception):
    """Code execution is switched off or cannot work on this server; the reason says why."""


class RunnerBusy(Exception):
    """Too many runs are queued; try again shortly."""


def _text(value: Any) -> str | None:
    """A bounded string from untrusted output, or None."""
    if value is None:
        return None
    return str(value)[:FIELD_LIMIT]


def _uses_numpy(code: str, calls: Sequence[Mapping[str, Any]]) -> bool:
    snippets = [code] + [f"{c['setup']} {c['call']}" for c in calls]
    return any("numpy" in s or "np." in s for s in snippets)


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
    """A fair pool of sandbox workers; `run` waits for a free slot or refuses when full."""

    backend: Backend | None
    limits: Limits = field(default_factory=Limits)
    workers: int = 2
    queue_limit: int = 16
    # why the runner is off by configuration (no self-test can turn it on)
    disabled_reason: str | None = None
    # how often the self-test runs again, so that availability follows the runner's health
    self_test_seconds: float = 60.0
    _slots: FairSlots | None = None
    _probe_reason: str | None = None
    _probed_at: float | None = None
    _probe_lock: asyncio.Lock | None = None
    _probe_task: asyncio.Task[str | None] | None = None

    @property
    def mode(self) -> str:
        """The backend's name, or "off"."""
        return self.backend.name if self.backend and not self.disabled_reason else "off"

    @property
    def slots(self) -> FairSlots:
        """The worker slots, created on first use."""
        if self._slots is None:
            self._slots = FairSlots(self.workers, self.queue_limit)
        return self._slots

    async def check(self) -> str | None:
        """Why code cannot run here (None when it can), from the latest self-test.

        The first call runs the self-test (a tiny run through the whole sandbox and checker);
        later calls answer at once from its result and start a new one in the background when
        it is older than self_test_seconds, so availability follows the runner's real state.
        """
        if self.disabled_reason or self.backend is None:
            return self.disabled_reason or "code execution is switched off"
        if self._probed_at is None:
            await self.self_test(unless_done=True)
        elif time.monotonic() - self._probed_at > self.self_test_seconds and (
            self._probe_task is None or self._probe_task.done()
        ):
            self._probe_task = asyncio.ensure_future(self.self_test())
        return self._probe_reason

    async def self_test(self, *, unless_done: bool = False) -> str | None:
        """Run the self-test now (one at a time) and keep its result.

        unless_done: when another caller's test finished while this one waited, use its result.
        """
        if self._probe_lock is None:
            self._probe_lock = asyncio.Lock()
        async with self._probe_lock:
            if unless_done and self._probed_at is not None:
                return self._probe_reason
            reason = await self._probe()
            if reason:
                reason += (
                    ". Code cannot be run here; an operator can set "
                    "ONSITE_CODE_RUNNER=unsafe-local to run it without a sandbox on a "
                    "trusted single-user machine"
                )
                if reason != self._probe_reason:
                    log.error("code execution disabled: %s", reason)
            self._probe_reason = reason
            self._probed_at = time.monotonic()
        return reason

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
            async with self.slots.hold(SELF_TEST_USER) as slot:
                report, stderr = await self._execute(PROBE_CODE, spec, spec.tests, slot=slot)
        except OSError as error:
            return f"the {self.backend.name} sandbox cannot start: {error}"
        except SlotsBusy as error:
            # every slot is taken by real runs: the runner is busy, not broken
            return self._probe_reason if self._probed_at else f"the self-test cannot run: {error}"
        if report.status != "passed":
            detail = (stderr or report.error or report.status).strip().splitlines()
            reason = detail[-1] if detail else report.status
            return f"the {self.backend.name} sandbox does not work on this server: {reason}"
        return None

    async def run(
        self, *, code: str, spec: CodeSpec, tests: Sequence[CodeTest], user: str = ""
    ) -> RunReport:
        """Run code against tests in a sandbox; raise RunnerUnavailable or RunnerBusy.

        user (the candidate's id) keeps one user from holding more than a share of the slots.
        """
        reason = await self.check()
        if reason:
            raise RunnerUnavailable(reason)
        try:
            async with self.slots.hold(user) as slot:
                report, _ = await self._execute(code, spec, tests, slot=slot)
                return report
        except SlotsBusy as error:
            raise RunnerBusy(str(error)) from error

    async def _execute(
        self, code: str, spec: CodeSpec, tests: Sequence[CodeTest], *, slot: int
    ) -> tuple[RunReport, str]:
        """Run the sandbox for the results, then the checker for the verdicts."""
        assert self.backend is not None
        # PyTorch questions get more memory, and time to import torch before the run's clock
        limits = self.limits.for_framework(spec.framework)
        collected, returncode, timed_out, wall_ms, stderr = await self._sandbox(
            code, spec, tests, slot=slot, limits=limits
        )
        verdicts = await self._check(spec, tests, collected, limits=limits)
        report = _report(
            tests,
            collected,
            verdicts,
            returncode=returncode,
            timed_out=timed_out,
            wall_ms=wall_ms,
            limits=limits,
        )
        return report, stderr

    async def _sandbox(
        self, code: str, spec: CodeSpec, tests: Sequence[CodeTest], *, slot: int, limits: Limits
    ) -> tuple[_Collected, int | None, bool, float, str]:
        """Start the sandbox, feed it the job, collect its lines, kill it at the deadline.

        With a startup allowance the sandbox has that long to import its framework (it says
        "ready" when done), and the wall-clock limit starts from then.
        """
        assert self.backend is not None
        # the sandbox gets each test's inputs and call: no expected value, expect or check
        plans = _plans(spec, tests)
        calls = [
            {"setup": p.sandbox, "call": t.call, "ship": list(p.ship)}
            for p, t in zip(plans, tests, strict=True)
        ]
        job = {
            "code": code,
            "entry": spec.entry,
            "also": list(spec.also),
            # importing NumPy costs more than everything else: only when something uses it
            "numpy": _uses_numpy(code, calls),
            "framework": spec.framework,
            # the CPU seconds of the code, counted once the imports are done
            "cpu_seconds": limits.cpu_seconds if limits.startup_seconds else None,
            "time_limit": spec.time_limit_seconds,
            "output_limit": limits.output_bytes,
            "item_limit": ITEM_LIMIT,
            "tests": calls,
        }
        info_read, info_write = os.pipe()
        os.set_blocking(info_read, False)
        try:
            with _workdir(self.backend.needs_workdir, self.backend.uid_base + slot) as workdir:
                # only bubblewrap reports its sandbox's pid (other backends take no info_fd)
                reports = getattr(self.backend, "reports_pid", False)
                argv = (
                    self.backend.command(slot=slot, limits=limits, info_fd=info_write)
                    if reports
                    else self.backend.command(slot=slot, limits=limits)
                )
                started = time.perf_counter()
                process = await asyncio.create_subprocess_exec(
                    *argv,
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                    cwd=workdir,
                    # nothing of the host's environment, and no descriptor but the pipes
                    env={},
                    close_fds=True,
                    pass_fds=(info_write,) if reports else (),
                    start_new_session=True,
                )
                os.close(info_write)
                info_write = -1
                collected = _Collected()
                timed_out = False
                try:
                    async with asyncio.timeout(
                        limits.startup_seconds or limits.wall_seconds
                    ) as deadline:
                        stderr = await self._talk(
                            process,
                            json.dumps(job).encode(),
                            collected,
                            limits=limits,
                            restart=deadline if limits.startup_seconds else None,
                        )
                except TimeoutError:
                    timed_out = True
                    stderr = ""
                finally:
                    await _reap(process, _sandbox_pid(info_read))
                wall_ms = (time.perf_counter() - started) * 1000
        finally:
            os.close(info_read)
            if info_write >= 0:
                os.close(info_write)
        return collected, process.returncode, timed_out, wall_ms, stderr

    async def _talk(
        self,
        process: asyncio.subprocess.Process,
        job: bytes,
        collected: _Collected,
        *,
        limits: Limits,
        restart: asyncio.Timeout | None,
    ) -> str:
        """Send the job and collect the sandbox's lines.

        restart: the deadline to set to the wall-clock limit once the sandbox is ready (when its
        startup has an allowance of its own).
        """
        assert process.stdin and process.stdout and process.stderr
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            process.stdin.write(job)
            await process.stdin.drain()
            process.stdin.close()
        budget = limits.result_bytes + limits.output_bytes * 2 + 64 * 1024
        stderr_task = asyncio.ensure_future(process.stderr.read(16 * 1024))
        # a bytearray: a long line (a large array) grows in place, not by copying it per chunk
        pending = bytearray()
        while True:
            chunk = await process.stdout.read(64 * 1024)
            if not chunk:
                break
            budget -= len(chunk)
            if budget < 0:
                collected.overflow = True
                break
            start = 0
            while (end := chunk.find(b"\n", start)) >= 0:
                pending += chunk[start:end]
                ready = collected.ready
                _collect(bytes(pending), collected)
                if restart is not None and collected.ready and not ready:
                    restart.reschedule(asyncio.get_running_loop().time() + limits.wall_seconds)
                pending.clear()
                start = end + 1
            pending += chunk[start:]
        if collected.overflow:
            await _reap(process)
        await process.wait()
        try:
            stderr = await asyncio.wait_for(stderr_task, timeout=1)
        except TimeoutError:
            return ""
        return stderr.decode("utf-8", "replace")

    async def _check(
        self, spec: CodeSpec, tests: Sequence[CodeTest], collected: _Collected, *, limits: Limits
    ) -> dict[int, dict[str, Any]]:
        """The checker's verdicts on the results the sandbox returned, by test index."""
        assert self.backend is not None
        judged = []
        for index, (test, split) in enumerate(zip(tests, _plans(spec, tests), strict=True)):
            event = collected.tests.get(index)
            if event is None or event.get("status") != "ok" or "value" not in event:
                continue
            shipped = event.get("ship")
            judged.append(
                {
                    "index": index,
                    "value": event["value"],
                    "ship": shipped if isinstance(shipped, dict) else {},
                    "setup": split.checker,
                    "expect": test.expect,
                    "check": test.check,
                    "compare": test.compare,
                    "rtol": test.rtol,
                    "atol": test.atol,
                }
            )
        if not judged:
            return {}
        job = {
            "numpy": any(
                "np." in f"{j['setup']} {j['expect'] or ''} {j['check'] or ''}"
                or j["compare"] == "approx"
                for j in judged
            ),
            # imported before the checks' time limits start, like the sandbox does
            "torch": spec.framework == "pytorch",
            "time_limit": max(spec.time_limit_seconds, 2.0),
            "tests": judged,
        }
        argv = checker_command(self.backend.python, limits)
        out, err = b"", b""
        try:
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env={},
                start_new_session=True,
            )
            try:
                out, err = await asyncio.wait_for(
                    process.communicate(json.dumps(job).encode()),
                    timeout=limits.startup_seconds + limits.wall_seconds + 5,
                )
            except TimeoutError:
                await _reap(process)
                err = b"the checker took too long"
        except OSError as error:
            err = str(error).encode()
        verdicts: dict[int, dict[str, Any]] = {}
        for line in out.splitlines():
            with contextlib.suppress(ValueError, KeyError, TypeError):
                verdict = json.loads(line)
                verdicts[verdict["index"]] = verdict
        for j in judged:
            if j["index"] not in verdicts:
                problem = err.decode("utf-8", "replace").strip().splitlines()
                log.error("the checker failed: %s", problem[-1] if problem else "no verdict")
                verdicts[j["index"]] = {
                    "status": "error",
                    "error": "the tests could not be checked on this server; try again",
                }
        return verdicts


def _plans(spec: CodeSpec, tests: Sequence[CodeTest]) -> list[Plan]:
    """How each test's setup is split between the sandbox and the checker."""
    candidate = {spec.entry, *spec.also}
    return [
        plan(
            setup=t.setup,
            call=t.call,
            snippet=t.expect if t.expect is not None else t.check or "",
            mode="eval" if t.expect is not None else "exec",
            candidate=candidate,
        )
        for t in tests
    ]


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


def _sandbox_pid(info: int) -> int | None:
    """The host pid of the sandbox's process, from bubblewrap's info descriptor."""
    try:
        data = os.read(info, 4096)
        pid = json.loads(data).get("child-pid")
    except (OSError, ValueError, AttributeError):
        return None
    return pid if isinstance(pid, int) and pid > 1 else None


def _kill(process: asyncio.subprocess.Process, sandbox_pid: int | None) -> None:
    """Kill the sandbox's pid 1 (its namespace dies with it), then the run's process group.

    Killing the sandbox first lets bubblewrap reap it; killed first itself, bubblewrap would
    leave the sandbox's process to whatever reaps orphans (nothing, when the server is pid 1).
    """
    if process.returncode is not None:
        return
    if sandbox_pid is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(sandbox_pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


async def _reap(process: asyncio.subprocess.Process, sandbox_pid: int | None = None) -> None:
    """Kill the run, then read the pipes to their end: asyncio's wait() needs them closed."""
    if process.returncode is None and sandbox_pid is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(sandbox_pid, signal.SIGKILL)
        # bubblewrap reaps its child and exits on its own; the group kill below is the fallback
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(process.wait()), timeout=1)
    _kill(process, None)
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
    verdicts: dict[int, dict[str, Any]],
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
    elif timed_out and not collected.ready and limits.startup_seconds:
        stopped = (
            "time_limit",
            f"time limit: the sandbox took longer than {limits.startup_seconds:g} s to import "
            "the question's framework; try again",
        )
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
            status=status,
            passed=0,
            total=len(tests),
            tests=results,
            error=run_error,
            wall_ms=round(wall_ms, 1),
        )
    for index, test in enumerate(tests):
        event = collected.tests.get(index)
        if event is not None:
            results.append(_result(test, _outcome(event, verdicts.get(index)), None))
        elif stopped is not None and index == len(collected.tests):
            kind, message = stopped
            status = cast(TestStatus, kind) if kind in _TEST_STATUSES else "error"
            results.append(_result(test, {"error": message}, status))
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
        status=overall,
        passed=passed,
        total=len(results),
        tests=results,
        error=run_error,
        output=str(end.get("output") or "")[: limits.output_bytes],
        output_truncated=bool(end.get("output_truncated")),
        wall_ms=round(wall_ms, 1),
    )


# what the sandbox may say about a test by itself; "passed" and "failed" are the checker's alone
_SANDBOX_STATUSES = {"error", "time_limit", "memory_limit"}


def _outcome(event: dict[str, Any], verdict: dict[str, Any] | None) -> dict[str, Any]:
    """A test's outcome: the checker's verdict on its result, or the sandbox's failure."""
    runtime = {"ms": event.get("ms")}
    if event.get("status") == "ok":
        if verdict is None:
            return {**runtime, "status": "error", "error": "the result was not checked"}
        return {**verdict, **runtime}
    if event.get("status") in _SANDBOX_STATUSES:
        return {**runtime, "status": event["status"], "error": event.get("error")}
    return {**runtime, "status": "error", "error": "the sandbox sent an unreadable result"}


def _result(test: CodeTest, event: dict[str, Any] | None, status: TestStatus | None) -> TestResult:
    """One test's result; hidden tests keep only their status, time and error."""
    event = event or {}
    reported = event.get("status")
    final: TestStatus = status or (
        cast(TestStatus, reported) if reported in _TEST_STATUSES else "error"
    )
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
