"""Runs inside the sandbox: loads the candidate's code and calls it on each test's inputs.

This file is executed by the sandbox's own Python (Debian's python3, with NumPy when
installed); it imports nothing from the app and trusts nothing it runs. The job arrives as
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
    arrays their numbers, dtype and shape (the checker rebuilds the array), PyTorch tensors
    nested lists. budget is a one-item list counting down the
    number of items allowed.
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
        budget[0] -= value.size
        if budget[0] < 0:
            raise NotPlain("the result is too large to compare")
        # an array stays an array for the checker: its raw numbers (base64), type and shape
        data = base64.b64encode(value.astype(value.dtype.newbyteorder("<")).tobytes()).decode()
        return {"ndarray": data, "dtype": value.dtype.name, "shape": list(value.shape)}
    if library == "torch":
        return plain(value.detach().cpu().tolist(), budget, depth)
    raise NotPlain(
        f"the result holds a {kind.__name__}, which is not plain data: return numbers, "
        "strings, None, lists, tuples, dicts, sets or NumPy arrays"
    )


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
    os.environ.clear()
    signal.signal(signal.SIGALRM, _on_alarm)
    emit({"event": "ready"})

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
