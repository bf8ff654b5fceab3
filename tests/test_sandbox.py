"""The sandbox, attacked: every safety property of the code runner has a test here.

Each test runs real candidate-style code in bubblewrap as an unprivileged uid with rlimits.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.content.models import CodeSpec, CodeTest
from app.sandbox.backends import Bubblewrap, Limits, UnsafeLocal
from app.sandbox.runner import CodeRunner, RunnerBusy, RunnerUnavailable

pytestmark = pytest.mark.usefixtures("sandbox")

LIMITS = Limits(wall_seconds=6, cpu_seconds=6, memory_mb=512, processes=24)
SPEC = CodeSpec(
    entry="f",
    starter="def f():\n    pass\n",
    solution="def f():\n    return 1\n",
    time_limit_seconds=2,
    tests=(
        CodeTest(name="visible", visible=True, call="f()", check="pass"),
        CodeTest(name="hidden one", call="f()", check="pass"),
        CodeTest(name="hidden two", call="f()", check="pass"),
    ),
)


def runner(**overrides) -> CodeRunner:
    values = dict(backend=Bubblewrap(), limits=LIMITS, workers=2, queue_limit=2)
    values.update(overrides)
    return CodeRunner(**values)


async def run_once(code: str, *, tests=SPEC.tests[:1], **overrides):
    return await runner(**overrides).run(code=code, spec=SPEC, tests=tests)


def _slot_processes(uid_base: int = 61000, slots: int = 4) -> list[int]:
    """Processes on the host owned by a sandbox slot's uid."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid in range(uid_base, uid_base + slots):
                    found.append(int(entry.name))
            except FileNotFoundError:
                continue
    return found


async def _no_slot_processes_left(within: float = 5.0) -> bool:
    """Wait for the kernel to tear the sandbox's processes down; False if any outlive it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while _slot_processes():
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def test_code_runs_as_an_unprivileged_user_never_root() -> None:
    report = await run_once("import os\ndef f():\n    print(os.getuid(), os.getgid())\n")
    uid, gid = map(int, report.output.split())
    assert uid != 0 and gid != 0
    if os.geteuid() == 0:  # the service is root: the run dropped to its slot's uid
        assert 61000 <= uid < 61002


async def test_the_network_is_unreachable() -> None:
    code = (
        "import socket\n"
        "def f():\n"
        "    s = socket.socket()\n"
        "    s.settimeout(2)\n"
        "    s.connect(('127.0.0.1', 5432))\n"
    )
    report = await run_once(code)
    assert report.status == "failed"
    assert "ConnectionRefusedError" in report.tests[0].error
    resolve = "import socket\ndef f():\n    return socket.getaddrinfo('pypi.org', 443)\n"
    report = await run_once(resolve)
    assert "gaierror" in report.tests[0].error


async def test_host_files_are_not_visible_beyond_the_minimal_binds(tmp_path: Path) -> None:
    secret = PROJECT_ROOT / "pyproject.toml"
    code = (
        "import os\n"
        "def f():\n"
        "    print(sorted(os.listdir('/')))\n"
        f"    for path in ('/etc/passwd', '/root', {str(secret)!r}, {str(tmp_path)!r}):\n"
        "        print(path, os.path.exists(path))\n"
    )
    report = await run_once(code)
    lines = report.output.splitlines()
    visible = set(eval(lines[0]))
    assert visible <= {"usr", "bin", "lib", "lib64", "sbin", "etc", "proc", "dev", "tmp", "sandbox"}
    assert all(line.endswith("False") for line in lines[1:]), lines
    write = "def f():\n    open('/usr/pwned', 'w')\n"
    assert "Read-only file system" in (await run_once(write)).tests[0].error


async def test_the_environment_is_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-planted-secret")
    monkeypatch.setenv("ONSITE_SECRET_KEY", "planted-secret-key")
    report = await run_once("import os\ndef f():\n    print(dict(os.environ))\n")
    assert report.output.strip() == "{}"
    proc = "def f():\n    print(open('/proc/1/environ').read())\n"
    assert "planted" not in (await run_once(proc)).output


async def test_a_fork_flood_stops_at_the_process_limit() -> None:
    code = (
        "import subprocess\n"
        "started = []\n"
        "def f():\n"
        "    try:\n"
        "        for _ in range(5000):\n"
        "            started.append(subprocess.Popen(['sleep', '60']))\n"
        "    finally:\n"
        "        print(len(started))\n"
    )
    report = await run_once(code)
    assert report.tests[0].status == "error"
    assert "Resource temporarily unavailable" in report.tests[0].error
    assert int(report.output) < LIMITS.processes
    # every process of the run dies with the sandbox's PID namespace
    assert await _no_slot_processes_left()


async def test_a_memory_hog_is_stopped() -> None:
    code = (
        "def f():\n    blocks = []\n    while True:\n        blocks.append(bytearray(50_000_000))\n"
    )
    report = await run_once(code)
    assert report.tests[0].status == "memory_limit"
    assert report.status == "failed"


async def test_an_infinite_loop_is_stopped_per_test_and_the_run_goes_on() -> None:
    code = "def f():\n    while True:\n        pass\n"
    report = await run_once(code, tests=SPEC.tests)
    assert [t.status for t in report.tests] == ["time_limit"] * 3


async def test_a_loop_that_swallows_the_time_limit_is_killed_at_the_wall_clock() -> None:
    code = (
        "def f():\n"
        "    while True:\n"
        "        try:\n"
        "            while True:\n"
        "                pass\n"
        "        except BaseException:\n"
        "            pass\n"
    )
    report = await run_once(code, tests=SPEC.tests)
    assert report.status == "time_limit"
    assert report.tests[0].status == "time_limit"
    assert [t.status for t in report.tests[1:]] == ["not_run", "not_run"]
    assert report.wall_ms < (LIMITS.wall_seconds + 3) * 1000
    assert await _no_slot_processes_left()


async def test_huge_output_is_truncated() -> None:
    report = await run_once("def f():\n    print('x' * 10_000_000)\n")
    assert report.output_truncated
    assert len(report.output) <= LIMITS.output_bytes
    assert "output limit" in report.tests[0].error


async def test_flooding_the_result_channel_stops_the_run() -> None:
    code = "import os\ndef f():\n    while True:\n        os.write(3, b'y' * 65536)\n"
    report = await run_once(code)
    assert report.status == "output_limit"


async def test_forged_results_for_unknown_tests_are_ignored() -> None:
    code = (
        "import os\n"
        'os.write(3, b\'{"event": "test", "index": 7, "status": "passed"}\\n\')\n'
        "def f():\n"
        "    raise ValueError('wrong')\n"
    )
    report = await run_once(code, tests=SPEC.tests)
    assert report.passed == 0 and len(report.tests) == 3


async def test_hidden_tests_show_no_input_expected_or_assertion_message() -> None:
    tests = (CodeTest(name="secret", call="f()", expect="41"),)
    report = await run_once("def f():\n    return 42\n", tests=tests)
    (result,) = report.tests
    assert result.status == "failed" and result.name == "hidden test"
    assert result.input is None and result.expected is None and result.actual is None


async def test_concurrency_is_bounded_by_workers_and_queue() -> None:
    bounded = runner(workers=1, queue_limit=1)
    slow = "import time\ndef f():\n    time.sleep(1)\n"
    first = asyncio.create_task(bounded.run(code=slow, spec=SPEC, tests=SPEC.tests[:1]))
    second = asyncio.create_task(bounded.run(code=slow, spec=SPEC, tests=SPEC.tests[:1]))
    await asyncio.sleep(0.3)
    with pytest.raises(RunnerBusy):
        await bounded.run(code=slow, spec=SPEC, tests=SPEC.tests[:1])
    reports = await asyncio.gather(first, second)
    assert [r.status for r in reports] == ["passed", "passed"]


async def test_without_a_working_sandbox_code_execution_is_disabled_with_the_reason() -> None:
    broken = runner(backend=Bubblewrap(python="/nonexistent/python3"))
    reason = await broken.check()
    assert reason and "/nonexistent/python3" in reason and "unsafe-local" in reason
    with pytest.raises(RunnerUnavailable):
        await broken.run(code="def f():\n    return 1\n", spec=SPEC, tests=SPEC.tests)
    off = CodeRunner(backend=None, disabled_reason="switched off")
    assert await off.check() == "switched off"


async def test_the_unsafe_local_mode_still_drops_privileges_and_limits() -> None:
    local = runner(backend=UnsafeLocal())
    report = await local.run(
        code="import os\ndef f():\n    print(os.getuid())\n", spec=SPEC, tests=SPEC.tests[:1]
    )
    assert int(report.output) != 0
    hog = (
        "def f():\n    blocks = []\n    while True:\n        blocks.append(bytearray(50_000_000))\n"
    )
    report = await local.run(code=hog, spec=SPEC, tests=SPEC.tests[:1])
    assert report.tests[0].status == "memory_limit"


async def test_leetcode_style_annotations_and_classes_need_no_import() -> None:
    code = (
        "def f(head: Optional[ListNode] = None) -> List[int]:\n"
        "    return [TreeNode(1).val, Node(2).val]\n"
    )
    report = await run_once(code)
    assert report.status == "passed", report
