"""Runs inside the sandbox: loads the candidate's code and calls it on each test's inputs.

This file is executed by the sandbox's own Python (Debian's python3, with NumPy and PyTorch
when installed); it imports nothing from the app and trusts nothing it runs. The job arrives as
JSON on stdin and holds the code and, per test, only the statements that build the inputs and
the call: never an expected value, an `expect` or a `check`. Each call's result is turned into
plain data by a strict encoder (no object of the candidate's survives) and written as a JSON
line to the original stdout, kept on a private descriptor; the candidate's own prints go to a
capture file in the sandbox's tmpfs, read back (capped) at the end. Whether a result is right
is decided outside the sandbox by the checker (checker.py), on the decoded data.
"""

from __future__ import annotations

import base64
import builtins
import errno
import importlib.util
import json
import linecache
import math
import os
import resource
import signal
import sys
import time
import traceback

SOLUTION = "solution.py"
CAPTURE = "output.txt"
MAX_DEPTH = 100


class TimeLimit(BaseException):
    """The per-test time limit was reached (a BaseException: `except Exception` cannot eat it)."""


class NotPlain(Exception):
    """A result holds something other than plain data."""


def _load_testkit():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testkit.py")
    spec = importlib.util.spec_from_file_location("testkit", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


testkit = _load_testkit()


# -- results as plain data --


def _array_module(value):
    """"numpy" or "torch" when value is an array or scalar of a library the code imported."""
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, (numpy.ndarray, numpy.generic)):
        return "numpy"
    torch = sys.modules.get("torch")  # only when the candidate's code imported it
    if torch is not None and isinstance(value, torch.Tensor):
        return "torch"
    return None


def numpy_scalar():
    return sys.modules["numpy"].generic


def plain(value, budget, depth=0):
    """value as JSON data, tagging tuples, dicts and sets; anything else raises NotPlain.

    Exact types only: a subclass of int or str (with its own __eq__, say) is refused, so
    nothing the candidate defined reaches the checker. NumPy scalars become numbers, NumPy
    arrays and PyTorch tensors their numbers, dtype and shape (the checker rebuilds the array or
    tensor). budget is a one-item list counting down the number of items allowed.
    """
    budget[0] -= 1
    if budget[0] < 0:
        raise NotPlain("the result is too large to compare")
    if depth > MAX_DEPTH:
        raise NotPlain(f"the result is nested more than {MAX_DEPTH} levels deep")
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is list:
        return [plain(v, budget, depth + 1) for v in value]
    if kind is tuple:
        return {"tuple": [plain(v, budget, depth + 1) for v in value]}
    if kind is dict:
        return {"dict": [[plain(k, budget, depth + 1), plain(v, budget, depth + 1)]
                         for k, v in value.items()]}  # fmt: skip
    if kind in (set, frozenset):
        return {kind.__name__: [plain(v, budget, depth + 1) for v in value]}
    library = _array_module(value)
    if library == "numpy":
        if value.dtype.name not in testkit.ARRAY_TYPES:
            raise NotPlain(f"the result holds a NumPy array of {value.dtype}, not of numbers")
        if value.ndim == 0 or isinstance(value, numpy_scalar()):
            return plain(value.item(), budget, depth)
        return _encoded(value, "ndarray", budget)
    if library == "torch":
        dtype = str(value.dtype).removeprefix("torch.")
        if dtype not in testkit.ARRAY_TYPES or value.layout is not sys.modules["torch"].strided:
            raise NotPlain(
                f"the result holds a tensor of {value.dtype} ({value.layout}): return a dense "
                "tensor of numbers or booleans (.float() converts bfloat16)"
            )
        # a tensor stays a tensor for the checker, even with no dimension (a loss)
        return _encoded(value.detach().cpu().resolve_conj().numpy(), "tensor", budget)
    raise NotPlain(
        f"the result holds a {kind.__name__}, which is not plain data: return numbers, "
        "strings, None, lists, tuples, dicts, sets, NumPy arrays or tensors"
    )


def _encoded(array, tag, budget):
    """An array's raw numbers (base64, little-endian), dtype and shape, under tag."""
    budget[0] -= array.size
    if budget[0] < 0:
        raise NotPlain("the result is too large to compare")
    data = base64.b64encode(array.astype(array.dtype.newbyteorder("<")).tobytes()).decode()
    return {tag: data, "dtype": array.dtype.name, "shape": list(array.shape)}


# -- running --


def solution_traceback(error):
    """The traceback restricted to the candidate's own frames, ending with the error."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == SOLUTION]
    lines = traceback.format_list(frames[-8:]) if frames else []
    lines += traceback.format_exception_only(type(error), error)
    return "".join(lines).strip()[:4000]


def _on_alarm(signum, frame):
    raise TimeLimit()


def run_test(index, test, functions, np, time_limit, item_limit, emit):
    """Build one test's inputs, call the code, and emit the result as plain data."""
    namespace = {"np": np, "math": math, **testkit.HELPERS, **testkit.TEST_HELPERS, **functions}
    outcome = {"event": "test", "index": index, "status": "ok", "ms": 0.0}
    started = None
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        exec(test.get("setup") or "", namespace)
        started = time.perf_counter()
        result = eval(test["call"], namespace)
        outcome["ms"] = round((time.perf_counter() - started) * 1000, 3)
        signal.setitimer(signal.ITIMER_REAL, 0)
        try:
            budget = [item_limit]
            outcome["value"] = plain(result, budget)
            # values of the setup computed with the candidate's code, which a check looks at
            shipped = test.get("ship") or []
            outcome["ship"] = {name: plain(namespace.get(name), budget) for name in shipped}
        except NotPlain as error:
            outcome["status"] = "error"
            outcome["error"] = str(error)
        except RecursionError:
            outcome["status"] = "error"
            outcome["error"] = "the result is nested too deeply to compare"
    except TimeLimit:
        outcome["status"] = "time_limit"
        outcome["error"] = f"time limit: the test ran longer than {time_limit:g} s"
    except MemoryError:
        outcome["status"] = "memory_limit"
        outcome["error"] = "memory limit: the code ran out of memory"
    except OSError as error:
        outcome["status"] = "error"
        if error.errno == errno.EFBIG:
            outcome["error"] = "output limit: the code printed or wrote too much"
        else:
            outcome["error"] = solution_traceback(error)
    except RecursionError as error:
        outcome["status"] = "error"
        outcome["error"] = solution_traceback(error)
    except BaseException as error:  # the candidate's exception, whatever it is
        if isinstance(error, SystemExit):
            outcome["error"] = "the code called exit()"
        else:
            outcome["error"] = solution_traceback(error)
        outcome["status"] = "error"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        if started is not None and not outcome["ms"]:
            outcome["ms"] = round((time.perf_counter() - started) * 1000, 3)
    emit(outcome)


def read_capture(limit):
    """The candidate's printed output, at most limit bytes, and whether there was more."""
    try:
        size = os.path.getsize(CAPTURE)
        with open(CAPTURE, "rb") as handle:
            data = handle.read(limit)
    except OSError:
        return "", False
    return data.decode("utf-8", "replace"), size > limit


def import_numpy():
    """NumPy with one BLAS thread (threads count against the process limit), or None."""
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    os.environ["OMP_NUM_THREADS"] = "1"
    try:
        import numpy as np
    except ImportError:
        return None
    np.set_printoptions(threshold=50, edgeitems=3, precision=6)
    return np


def import_torch():
    """PyTorch on one thread, imported before the run's limits start; why not, if it cannot be.

    Its OpenMP pool would start a thread per core, each with its own stack and malloc arena:
    gigabytes of address space and many processes on a large machine.
    """
    os.environ["OMP_NUM_THREADS"] = "1"
    os.environ["MKL_NUM_THREADS"] = "1"
    try:
        import torch
    except (ImportError, MemoryError) as error:
        problem = "".join(traceback.format_exception_only(type(error), error)).strip()
        return f"PyTorch cannot be imported on this server: {problem}"[:1000]
    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.set_printoptions(threshold=50, edgeitems=3, precision=6)
    return None


class Unavailable:
    """Refuses to import a library the question does not use, saying why."""

    def __init__(self, name, reason):
        self.name, self.reason = name, reason

    def find_spec(self, fullname, path=None, target=None):
        if fullname.partition(".")[0] == self.name:
            raise ModuleNotFoundError(self.reason, name=fullname)
        return None


def start_cpu_clock(seconds):
    """Give the code `seconds` of CPU from now: what the imports used is not counted.

    The hard limit (the run's seconds plus the startup's) still bounds the whole process.
    """
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime + seconds)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def main():
    job = json.loads(sys.stdin.buffer.read())
    channel = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")

    def emit(event):
        # NaN and infinities are kept (Python's JSON reads them back); nothing else is special
        channel.write(json.dumps(event) + "\n")

    # the candidate's output goes to a capture file, never to the result channel
    capture = os.open(CAPTURE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(capture, 1)
    os.dup2(capture, 2)
    os.close(capture)
    os.close(0)
    sys.stdout = open(1, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", buffering=1, encoding="utf-8", closefd=False)  # noqa: SIM115
    np = import_numpy() if job.get("numpy") else None
    problem = None
    if job.get("framework") == "pytorch":
        problem = import_torch()
    else:
        reason = "PyTorch is not available in this question: it asks for NumPy"
        sys.meta_path.insert(0, Unavailable("torch", reason))
    if job.get("cpu_seconds"):
        start_cpu_clock(job["cpu_seconds"])
    os.environ.clear()
    signal.signal(signal.SIGALRM, _on_alarm)
    emit({"event": "ready"})
    if problem:
        emit({"event": "load", "status": "error", "error": problem})
        return

    code, entry = job["code"], job["entry"]
    linecache.cache[SOLUTION] = (len(code), None, code.splitlines(True), SOLUTION)
    try:
        compiled = compile(code, SOLUTION, "exec")
    except (SyntaxError, ValueError) as error:
        emit({"event": "load", "status": "compile_error", "error": solution_traceback(error)})
        return
    module = {"__name__": "solution", "__builtins__": builtins, "np": np, **testkit.HELPERS}
    signal.setitimer(signal.ITIMER_REAL, job["time_limit"])
    try:
        exec(compiled, module)
        signal.setitimer(signal.ITIMER_REAL, 0)
    except TimeLimit:
        emit({"event": "load", "status": "time_limit", "error": "time limit while loading"})
        return
    except BaseException as error:
        signal.setitimer(signal.ITIMER_REAL, 0)
        emit({"event": "load", "status": "error", "error": solution_traceback(error)})
        return
    names = [entry, *job.get("also", [])]
    missing = [name for name in names if not callable(module.get(name))]
    if missing:
        problem = f"define {' and '.join(missing)}: the tests call {', '.join(names)}"
        emit({"event": "load", "status": "error", "error": problem})
        return
    emit({"event": "load", "status": "ok"})
    functions = {name: module[name] for name in names}
    for index, test in enumerate(job["tests"]):
        run_test(index, test, functions, np, job["time_limit"], job["item_limit"], emit)
    sys.stdout.flush()
    sys.stderr.flush()
    output, truncated = read_capture(job["output_limit"])
    emit({"event": "end", "output": output, "output_truncated": truncated})


if __name__ == "__main__":
    main()
