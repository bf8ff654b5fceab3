"""The sandbox, attacked: every safety property of the code runner has a test here.

Each test runs real candidate-style code in bubblewrap as an unprivileged uid with rlimits.
"""

from __future__ import annotations

import ast
import asyncio
import math
import os
import sys
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT
from app.content.loader import Content
from app.content.models import CodeSpec, CodeTest, Framework
from app.sandbox import backends
from app.sandbox.backends import (
    TORCH_MEMORY_MB,
    TORCH_STARTUP_SECONDS,
    Bubblewrap,
    Limits,
    UnsafeLocal,
)
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
    # /proc/1 is the sandbox's own pid 1 (the harness), started with nothing of the host's:
    # only the working directory bubblewrap sets with --chdir
    proc = "def f():\n    print(repr(open('/proc/1/environ').read()))\n"
    assert (await run_once(proc)).output == "'PWD=/sandbox\\x00'\n"


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
    # bytes(n) is calloc'ed: address space without touching the pages, so the limit is reached
    # in a few steps even on a busy machine (zeroing blocks page by page outran the time limit)
    code = (
        "def f():\n    blocks = []\n    while True:\n        blocks.append(bytes(100_000_000))\n"
    )
    report = await run_once(code)
    assert report.tests[0].status == "memory_limit"
    assert report.status == "failed"


async def test_an_infinite_loop_is_stopped_per_test_and_the_run_goes_on() -> None:
    code = "def f():\n    while True:\n        pass\n"
    report = await run_once(code, tests=SPEC.tests)
    assert [t.status for t in report.tests] == ["time_limit"] * 3


WALL_CLOCK_EATER = (
    "def f():\n"
    "    while True:\n"
    "        try:\n"
    "            while True:\n"
    "                pass\n"
    "        except BaseException:\n"
    "            pass\n"
)


async def test_a_loop_that_swallows_the_time_limit_is_killed_at_the_wall_clock() -> None:
    code = WALL_CLOCK_EATER
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
    # long enough a test for the flood to pass the result budget (16 MB)
    spec = SPEC.model_copy(update={"time_limit_seconds": 5.5})
    report = await runner().run(code=code, spec=spec, tests=spec.tests[:1])
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
        "def f():\n    blocks = []\n    while True:\n        blocks.append(bytes(100_000_000))\n"
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


# -- forged results: the candidate's code never shares a process with the verdict --

MARKER_HEAD, MARKER_TAIL = "9182736", "45"  # put together only where a test needs it
SECRET = int(MARKER_HEAD + MARKER_TAIL)
FORGE_SPEC = CodeSpec(
    entry="coin_change",
    starter="def coin_change(coins, amount):\n    return -1\n",
    solution="def coin_change(coins, amount):\n    return amount\n",
    time_limit_seconds=2,
    tests=(
        CodeTest(name="visible", visible=True, call="coin_change([1], 3)", expect="3"),
        CodeTest(name="hidden expect", call="coin_change([1], 5)", expect=str(SECRET)),
        CodeTest(
            name="hidden check",
            setup=f"amount = 7\nexpected = {SECRET}",
            call="coin_change([1], amount)",
            check="assert result == expected, 'wrong'",
        ),
    ),
)
ALWAYS_WRONG = "def coin_change(coins, amount):\n    return -1\n"


async def forge(attack: str):
    return await runner().run(code=attack, spec=FORGE_SPEC, tests=FORGE_SPEC.tests)


async def test_replacing_the_harness_run_test_forges_nothing() -> None:
    attack = (
        "import __main__\n"
        "def _passed(index, *args):\n"
        "    emit = args[-1]\n"
        "    emit({'event': 'test', 'index': index, 'status': 'passed', 'ms': 0.0})\n"
        "__main__.run_test = _passed\n" + ALWAYS_WRONG
    )
    report = await forge(attack)
    assert report.passed == 0, report
    assert all(t.status != "passed" for t in report.tests)


async def test_result_lines_written_to_the_channel_before_exiting_forge_nothing() -> None:
    lines = "".join(
        f'{{"event": "test", "index": {i}, "status": "{status}", "value": 1, "ms": 0}}\\n'
        for i in range(3)
        for status in ("passed", "ok")
    )
    attack = (
        "import os\n"
        "os.write(3, b'{\"event\": \"load\", \"status\": \"ok\"}\\n')\n"
        f"os.write(3, b'{lines}')\n"
        "os.write(3, b'{\"event\": \"end\", \"output\": \"\"}\\n')\n"
        "os._exit(0)\n" + ALWAYS_WRONG
    )
    report = await forge(attack)
    assert report.passed == 0, report
    assert report.status != "passed"


async def test_a_result_that_equals_everything_is_refused_as_not_plain_data() -> None:
    for kind in ("int", "str", "list", "float"):
        attack = (
            f"class _Any({kind}):\n"
            "    __eq__ = lambda self, other: True\n"
            "    __ne__ = lambda self, other: False\n"
            f"    __hash__ = {kind}.__hash__ if {kind} is not list else None\n"
            "def coin_change(coins, amount):\n"
            "    return _Any()\n"
        )
        report = await forge(attack)
        assert report.passed == 0, (kind, report)
        assert "not plain data" in (report.tests[0].error or ""), report.tests[0]


async def test_the_sandbox_never_holds_expected_values_or_checks() -> None:
    # search the process's whole memory (not only the caller's frame) for the hidden values,
    # without ever building the marker itself inside the sandbox
    attack = (
        "import sys\n"
        f"HEAD, TAIL = {MARKER_HEAD!r}.encode(), {MARKER_TAIL!r}.encode()\n"
        "def coin_change(coins, amount):\n"
        "    frames, frame = [], sys._getframe(1)\n"
        "    while frame is not None:\n"
        "        frames.append(repr(frame.f_locals)[:100000])\n"
        "        frame = frame.f_back\n"
        # the check's text, put together here so that this code does not contain it
        "    print(('== expected' + \", 'wrong'\") in ''.join(frames))\n"
        "    found = 0\n"
        "    with open('/proc/self/maps') as maps, open('/proc/self/mem', 'rb') as mem:\n"
        "        for line in maps:\n"
        "            span, perms = line.split()[:2]\n"
        "            start, end = (int(x, 16) for x in span.split('-'))\n"
        "            if 'r' not in perms or end - start > 1 << 28:\n"
        "                continue\n"
        "            try:\n"
        "                mem.seek(start)\n"
        "                data = mem.read(end - start)\n"
        "            except OSError:\n"
        "                continue\n"
        "            at = data.find(HEAD)\n"
        "            while at >= 0:\n"
        "                found += data[at + len(HEAD):at + len(HEAD) + 2] == TAIL\n"
        "                at = data.find(HEAD, at + 1)\n"
        "    print(found)\n"
        "    return -1\n"
    )
    report = await runner(limits=Limits(wall_seconds=20, cpu_seconds=20, memory_mb=512)).run(
        code=attack, spec=FORGE_SPEC, tests=FORGE_SPEC.tests
    )
    lines = report.output.split()
    assert len(lines) == 6, report
    # neither the check's text in any frame, nor the expected value anywhere in memory
    assert lines[0::2] == ["False"] * 3 and lines[1::2] == ["0"] * 3, report.output


async def test_the_honest_answer_still_passes_and_hidden_failures_show_nothing() -> None:
    solution = (
        f"def coin_change(coins, amount):\n    return {{3: 3, 5: {SECRET}}}.get(amount, {SECRET})\n"
    )
    report = await forge(solution)
    assert report.status == "passed", report
    report = await forge(ALWAYS_WRONG)
    assert [t.status for t in report.tests] == ["failed"] * 3
    assert report.tests[0].expected == "3" and report.tests[0].actual == "-1"
    assert all(str(SECRET) not in (t.model_dump_json()) for t in report.tests)


async def test_arrays_arrive_as_arrays_compared_with_a_tolerance() -> None:
    spec = CodeSpec(
        entry="f",
        starter="def f():\n    pass\n",
        solution="def f():\n    pass\n",
        tests=(
            CodeTest(
                name="matrix",
                visible=True,
                call="f()",
                expect="[[1.0, 2.0], [3.0, 4.0]]",
                compare="approx",
                rtol=1e-3,
            ),
            CodeTest(name="array", call="f()", expect="np.array([[1, 2], [3, 4]])"),
            CodeTest(name="shape", call="f()", expect="[1, 2, 3, 4]", compare="approx"),
        ),
    )
    numpy = "import numpy as np\ndef f():\n    return np.array([[1, 2], [3, 4.0001]])\n"
    report = await runner().run(code=numpy, spec=spec, tests=spec.tests)
    assert [t.status for t in report.tests] == ["passed", "failed", "failed"], report


# -- PyTorch questions --

TORCH_STARTER = "import torch\n\ndef f():\n    pass\n"


def _tensor_test(name: str, call: str, expect: str, **options) -> CodeTest:
    return CodeTest(name=name, visible=True, setup="import torch", call=call, expect=expect,
                    **options)  # fmt: skip


@pytest.mark.usefixtures("sandbox_torch")
async def test_tensors_are_compared_with_a_tolerance_their_shape_and_dtype() -> None:
    want = "torch.tensor([[1.0, 2.0], [3.0, 4.0]])"
    approx = {"compare": "approx", "rtol": 1e-3}
    spec = CodeSpec(
        entry="f",
        framework="pytorch",
        starter=TORCH_STARTER,
        solution=TORCH_STARTER,
        tests=(
            _tensor_test("close", "f()", want, **approx),
            _tensor_test("a list expected", "f()", "[[1.0, 2.0], [3.0, 4.0]]", **approx),
            _tensor_test("a loss", "f().sum()", "torch.tensor(10.0)", **approx),
            _tensor_test("dtype", "f().double()", want, **approx),
            _tensor_test("shape", "f().flatten()", want, **approx),
            _tensor_test("values", "f()", "torch.tensor([[1.0, 2.0], [3.0, 5.0]])", **approx),
            _tensor_test("exact", "f()", want),
            _tensor_test("not a tensor", "f().tolist()", want, **approx),
            CodeTest(name="hidden", setup="import torch", call="f().double()", expect=want),
            CodeTest(name="hidden two", call="f()", check="pass"),
        ),
    )
    # a result that still requires grad is detached on the way out
    code = "import torch\n\ndef f():\n    w = torch.ones(2, 2, requires_grad=True)\n"
    code += "    return torch.tensor([[1.0, 2.0], [3.0, 4.0001]]) * w\n"
    report = await runner().run(code=code, spec=spec, tests=spec.tests)
    results = {t.name: t for t in report.tests}
    assert [t.status for t in report.tests] == ["passed"] * 3 + ["failed"] * 6 + ["passed"]
    assert results["dtype"].error == "dtype torch.float64, expected torch.float32"
    assert results["shape"].error == "shape (4,), expected (2, 2)"
    assert results["values"].error == (
        "1 of 4 values differ (rtol 0.001, atol 1e-08); the first at index (1, 1): "
        "4.000100135803223, expected 5.0"
    )
    assert results["exact"].error.startswith("1 of 4 values differ (rtol 0, atol 0)")
    assert results["not a tensor"].error == "expected a tensor, got a list"
    assert results["close"].actual == (
        "tensor([[1.     2.    ]\n [3.     4.0001]], shape=(2, 2), dtype=torch.float32)"
    )
    # a hidden test's difference is not described
    assert [t.error for t in report.tests if not t.visible] == [None, None]


@pytest.mark.usefixtures("sandbox_torch")
async def test_a_pytorch_question_runs_and_a_wrong_module_fails_with_the_checks_message(
    content: Content,
) -> None:
    spec = content.questions["pytorch-multihead-attention-module"].code
    assert spec is not None and spec.framework == "pytorch"
    report = await runner().run(code=spec.solution, spec=spec, tests=spec.tests)
    assert report.status == "passed", report
    # the commonest slip: scores not scaled by 1 / sqrt(d_head)
    unscaled = spec.solution.replace(" / math.sqrt(self.d)", "")
    assert unscaled != spec.solution
    report = await runner().run(code=unscaled, spec=spec, tests=spec.tests)
    assert report.status == "failed"
    failed = [t for t in report.tests if t.status == "failed"]
    assert [t.name for t in failed if t.visible] == ["matches torch.nn.MultiheadAttention"]
    assert failed[0].error == "output differs from nn.MultiheadAttention with the same weights"
    hidden = [t for t in failed if not t.visible]
    assert hidden and all(t.error is None and t.input is None for t in hidden)


RLIMITS = (
    "import resource, sys\n\n"
    "def f():\n"
    "    used = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)\n"
    "    left = soft - used.ru_utime - used.ru_stime\n"
    "    memory = resource.getrlimit(resource.RLIMIT_AS)[0] >> 20\n"
    "    return [memory, hard, left, 'torch' in sys.modules]\n"
)


def _probe_spec(framework: Framework) -> CodeSpec:
    starter = TORCH_STARTER if framework == "pytorch" else "def f():\n    pass\n"
    return CodeSpec(
        entry="f",
        framework=framework,
        starter=starter,
        solution=starter,
        tests=tuple(
            CodeTest(name=str(i), visible=i == 0, call="f()", check="pass") for i in range(3)
        ),
    )


@pytest.mark.usefixtures("sandbox_torch")
async def test_only_pytorch_questions_get_torch_and_its_limits_which_start_after_import() -> None:
    # importing torch takes more than a second of CPU and of wall time: a run of a second could
    # not pass if its clock counted the import
    tight = runner(limits=Limits(wall_seconds=1, cpu_seconds=2, memory_mb=512, processes=24))
    spec = _probe_spec("pytorch")
    report = await tight.run(code=RLIMITS, spec=spec, tests=spec.tests[:1])
    assert report.status == "passed", report
    memory, cpu_bound, cpu_left, imported = ast.literal_eval(report.tests[0].actual or "")
    assert [memory, cpu_bound, imported] == [
        512 + TORCH_MEMORY_MB, 2 + math.ceil(TORCH_STARTUP_SECONDS), True
    ]
    # the code has its 2 s of CPU (to the next whole second) once torch is imported
    assert 1.9 < cpu_left <= 3
    # a NumPy question keeps its limits, and cannot import torch
    spec = _probe_spec("numpy")
    report = await tight.run(code=RLIMITS, spec=spec, tests=spec.tests[:1])
    memory, cpu_bound, cpu_left, imported = ast.literal_eval(report.tests[0].actual or "")
    assert [memory, cpu_bound, imported] == [512, 2, False] and cpu_left < 2
    report = await tight.run(code="import torch\n" + RLIMITS, spec=spec, tests=spec.tests[:1])
    assert report.status == "error"
    assert (report.error or "").endswith(
        "ModuleNotFoundError: PyTorch is not available in this question: it asks for NumPy"
    )


@pytest.mark.usefixtures("sandbox_torch")
async def test_importing_pytorch_and_the_run_after_it_are_each_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = _probe_spec("pytorch")
    # the wall clock restarts once torch is imported, and still stops a runaway run
    eater = "import torch\n" + WALL_CLOCK_EATER
    report = await runner(limits=LIMITS).run(code=eater, spec=spec, tests=spec.tests)
    assert report.status == "time_limit"
    # (the wall clock or the CPU limit, whichever comes first; not the import's allowance)
    assert "time limit" in (report.error or "") and "import" not in (report.error or "")
    # stopped at the import's few seconds plus the wall limit, not at the import's allowance
    assert report.wall_ms < TORCH_STARTUP_SECONDS * 1000
    assert await _no_slot_processes_left()
    monkeypatch.setattr(backends, "TORCH_STARTUP_SECONDS", 0.3)
    report = await runner().run(code=TORCH_STARTER, spec=spec, tests=spec.tests)
    assert report.status == "time_limit"
    assert report.error == (
        "time limit: the sandbox took longer than 0.3 s to import the question's framework; "
        "try again"
    )
    assert await _no_slot_processes_left()


# -- the sandbox as deployed --


async def test_runs_leave_no_zombie_when_the_server_is_pid_1(tmp_path: Path) -> None:
    script = tmp_path / "pid1.py"
    script.write_text(
        "import asyncio, os, sys\n"
        f"sys.path.insert(0, {str(PROJECT_ROOT)!r})\n"
        "from app.sandbox.backends import Bubblewrap, Limits\n"
        "from app.sandbox.runner import CodeRunner\n"
        "from tests.test_sandbox import SPEC, WALL_CLOCK_EATER\n"
        "def zombies():\n"
        "    found = []\n"
        "    for pid in filter(str.isdigit, os.listdir('/proc')):\n"
        "        with open(f'/proc/{pid}/stat') as stat:\n"
        "            if stat.read().rsplit(')', 1)[1].split()[0] == 'Z':\n"
        "                found.append(pid)\n"
        "    return found\n"
        "async def main():\n"
        "    assert os.getpid() == 1\n"
        "    limits = Limits(wall_seconds=3, cpu_seconds=3, memory_mb=512, processes=8)\n"
        "    runner = CodeRunner(backend=Bubblewrap(), limits=limits, workers=1)\n"
        "    statuses = []\n"
        "    for i in range(40):\n"
        "        code = 'def f():\\n    return 1\\n'\n"
        "        if i == 20:  # one run killed at the wall clock\n"
        "            code = WALL_CLOCK_EATER\n"
        "        report = await runner.run(code=code, spec=SPEC, tests=SPEC.tests[:1])\n"
        "        statuses.append(report.status)\n"
        "    await asyncio.sleep(0.5)\n"
        "    print(statuses.count('passed'), statuses[20], len(zombies()))\n"
        "asyncio.run(main())\n"
    )
    process = await asyncio.create_subprocess_exec(
        "unshare", "--pid", "--fork", "--mount-proc", sys.executable, str(script),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    assert out.decode().split() == ["39", "time_limit", "0"]


async def test_every_writable_tmpfs_has_a_size_cap() -> None:
    code = (
        "import os\n"
        "def f():\n"
        "    writable = []\n"
        "    for line in open('/proc/self/mountinfo'):\n"
        "        left, right = line.split(' - ')\n"
        "        point, options = left.split()[4], left.split()[5].split(',')\n"
        "        fstype, super_options = right.split()[0], right.split()[2].split(',')\n"
        "        if fstype == 'tmpfs' and 'rw' in options:\n"
        "            writable.append(point)\n"
        "            assert any(o.startswith('size=') for o in super_options), line\n"
        "    print(sorted(writable))\n"
        "    for place in ['/', '/dev', *writable]:\n"
        "        written = 0\n"
        "        try:\n"
        "            for i in range(40):  # up to 40 files of 1 MB each\n"
        "                with open(f'{place.rstrip(\"/\")}/fill{i}', 'wb') as out:\n"
        "                    out.write(b'x' * (1 << 20))\n"
        "                written += 1 << 20\n"
        "        except OSError as error:\n"
        "            print(place, written >> 20, error.strerror)\n"
        "        else:\n"
        "            print(place, written >> 20, 'no error')\n"
    )
    report = await run_once(code, limits=Limits(**{**LIMITS.__dict__, "tmpfs_mb": 8}))
    lines = report.output.splitlines()
    assert eval(lines[0]) == ["/dev/shm", "/sandbox", "/tmp"], report.output
    assert lines[1] == "/ 0 Read-only file system" and lines[2] == "/dev 0 Read-only file system"
    for line in lines[3:]:
        _, megabytes, outcome = line.split(" ", 2)
        # a tmpfs stops writes at its size: host memory holds at most 3 x 8 MB for the run
        assert int(megabytes) <= 8 and outcome == "No space left on device", report.output


async def test_no_host_descriptor_or_environment_reaches_the_sandbox(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ONSITE_SECRET_KEY", "planted-secret-key")
    # a descriptor the server left inheritable must not be passed on
    leak = os.open(tmp_path / "leak", os.O_CREAT | os.O_WRONLY)
    os.set_inheritable(leak, True)
    try:
        code = (
            "import os, stat\n"
            "def f():\n"
            "    fds = {}\n"
            "    for fd in range(256):\n"
            "        try:\n"
            "            mode = os.fstat(fd).st_mode\n"
            "        except OSError:\n"
            "            continue\n"
            "        pipe = stat.S_ISFIFO(mode)\n"
            "        fds[fd] = 'pipe' if pipe else os.readlink(f'/proc/self/fd/{fd}')\n"
            "    print(fds)\n"
            "    print(repr(open('/proc/1/environ').read()), dict(os.environ))\n"
        )
        report = await run_once(code)
    finally:
        os.close(leak)
    fds, environment = report.output.splitlines()
    # stdout and stderr go to the capture file; 3 is the result channel; nothing else
    assert eval(fds) == {1: "/sandbox/output.txt", 2: "/sandbox/output.txt", 3: "pipe"}
    assert environment == "'PWD=/sandbox\\x00' {}"


async def test_availability_follows_a_periodic_self_test() -> None:
    checked = runner(self_test_seconds=0.0)
    assert await checked.check() is None
    # the sandbox breaks (here: its Python disappears): the next self-test says so
    checked.backend = Bubblewrap(python="/nonexistent/python3")
    assert await checked.check() is None  # the last known state, while a new test runs
    assert checked._probe_task is not None
    await checked._probe_task
    reason = await checked.check()
    assert reason and "/nonexistent/python3" in reason
    await checked._probe_task  # the one started by that call
    checked.backend = Bubblewrap()
    await checked.self_test()
    assert await checked.check() is None
    await checked._probe_task  # nothing left running when the test's loop closes


async def test_one_user_holds_at_most_half_the_slots_and_others_are_not_starved() -> None:
    fair = runner(workers=2, queue_limit=8)
    slow = "import time\ndef f():\n    time.sleep(1)\n"
    quick = "def f():\n    return 1\n"
    loop = asyncio.get_running_loop()
    finished: dict[str, float] = {}

    async def timed(name: str, user: str, code: str) -> None:
        report = await fair.run(code=code, spec=SPEC, tests=SPEC.tests[:1], user=user)
        assert report.status == "passed", report
        finished[name] = loop.time()

    assert await fair.check() is None
    flood = [asyncio.create_task(timed(f"a{i}", "alice", slow)) for i in range(4)]
    more: list[asyncio.Task[None]] = []
    try:
        await asyncio.sleep(0.3)
        assert fair.slots._running["alice"] == 1  # the other slot stays free for someone else
        started = loop.time()
        await timed("bob", "bob", quick)
        # bob ran at once, beside alice's first run, not after her four
        assert finished["bob"] - started < 2.5
        assert sum(name in finished for name in ("a0", "a1", "a2", "a3")) <= 1
        # alice cannot fill the queue: past her share of it she is refused, bob is not
        assert fair.slots.per_user == 5
        more = [asyncio.create_task(timed("a4", "alice", slow))]
        await asyncio.sleep(0.1)
        with pytest.raises(RunnerBusy, match="you already have"):
            await fair.run(code=slow, spec=SPEC, tests=SPEC.tests[:1], user="alice")
        await timed("bob again", "bob", quick)
    finally:
        await asyncio.gather(*flood, *more)
