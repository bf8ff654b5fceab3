"""Runs outside the sandbox, after it: judges each test's result, decoded as plain data.

The runner starts this file with the sandbox's Python (for NumPy and PyTorch) in a process of
its own, never sharing anything with the candidate's: by then the sandbox is gone, and what it
sent is JSON that decodes to None, bools, numbers, strings, lists, tuples, dicts and sets only
(and the arrays and tensors rebuilt from their numbers, dtype and shape). This
process alone sees the `expect` and `check` snippets and the setup statements they need; it
rebuilds those inputs itself rather than trusting the sandbox's copies. The job arrives as
JSON on stdin; one JSON line per test goes to stdout.
"""

from __future__ import annotations

import base64
import binascii
import importlib.util
import json
import math
import os
import signal
import sys
import traceback

REPR_LIMIT = 600
_TAGS = {"tuple": tuple, "set": set, "frozenset": frozenset}


class TimeLimit(BaseException):
    """The per-test time limit of the checker was reached."""


class Malformed(Exception):
    """The sandbox sent something that is not an encoded result."""


def _load_testkit():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testkit.py")
    spec = importlib.util.spec_from_file_location("testkit", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


testkit = _load_testkit()


def decode(data):
    """The plain value a result was encoded as (see harness.plain)."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [decode(item) for item in data]
    if type(data) is dict and set(data) == {"ndarray", "dtype", "shape"}:
        return _array(data, "ndarray")
    if type(data) is dict and set(data) == {"tensor", "dtype", "shape"}:
        import torch

        return torch.from_numpy(_array(data, "tensor"))
    if type(data) is dict and len(data) == 1:
        ((tag, items),) = data.items()
        if type(items) is list:
            if tag == "dict":
                pairs = [decode(pair) for pair in items]
                if not all(type(p) is list and len(p) == 2 for p in pairs):
                    raise Malformed("a dict entry is not a pair")
                return {key: value for key, value in pairs}
            if tag in _TAGS:
                return _TAGS[tag](decode(item) for item in items)
    raise Malformed(f"unexpected data {str(data)[:80]}")


def _array(data, tag):
    """A NumPy array of the checker's own from its numbers (under tag), dtype and shape."""
    import numpy as np

    if data["dtype"] not in testkit.ARRAY_TYPES or type(data["shape"]) is not list:
        raise Malformed(f"unexpected array type {str(data['dtype'])[:40]}")
    if type(data[tag]) is not str:
        raise Malformed("an array's numbers are not base64")
    if not all(type(n) is int and n >= 0 for n in data["shape"]):
        raise Malformed("an array's shape is not a list of sizes")
    raw = base64.b64decode(data[tag], validate=True)
    dtype = np.dtype(data["dtype"]).newbyteorder("<")
    return np.frombuffer(raw, dtype=dtype).astype(data["dtype"]).reshape(data["shape"])


# -- comparing results --


def _is_array(value):
    return type(value).__module__ == "numpy" and hasattr(value, "shape")


def _is_tensor(value):
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def _unwrap(value):
    """NumPy values and tensors (from an expect or a check) as plain lists and numbers."""
    if _is_tensor(value):
        return value.detach().cpu().tolist()
    if _is_array(value) or (type(value).__module__ == "numpy" and hasattr(value, "item")):
        return value.tolist()
    return value


def tensor_difference(actual, expected, rtol, atol):
    """Why actual does not match the expected tensor, or None (as torch.testing.assert_close).

    The type, shape and dtype must be the same, and the values within atol + rtol * |expected|
    (exact for integers and booleans); NaN matches nothing.
    """
    import torch

    if not isinstance(actual, torch.Tensor):
        return f"expected a tensor, got a {type(actual).__name__}"
    expected = expected.detach().cpu()
    if actual.shape != expected.shape:
        return f"shape {tuple(actual.shape)}, expected {tuple(expected.shape)}"
    if actual.dtype != expected.dtype:
        return f"dtype {actual.dtype}, expected {expected.dtype}"
    if actual.is_floating_point():
        close = torch.isclose(actual, expected, rtol=rtol, atol=atol)
    else:
        close = actual == expected
    if bool(close.all()):
        return None
    wrong = int((~close).sum())
    where = tuple(int(i) for i in (~close).nonzero()[0])
    return (
        f"{wrong} of {close.numel()} values differ (rtol {rtol:g}, atol {atol:g}); the first "
        f"at index {where}: {actual[where].item()!r}, expected {expected[where].item()!r}"
    )


def _number(value):
    return type(value) in (bool, int, float)


def approx_equal(actual, expected, rtol, atol):
    """Numbers within tolerance, recursively through lists, tuples and dicts of equal shape.

    An expected tensor needs a tensor of the same shape and dtype.
    """
    if _is_tensor(expected):
        return tensor_difference(actual, expected, rtol, atol) is None
    actual, expected = _unwrap(actual), _unwrap(expected)
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(approx_equal(actual[k], expected[k], rtol, atol) for k in expected)
        )
    if isinstance(expected, (list, tuple)):
        return (
            isinstance(actual, (list, tuple))
            and len(actual) == len(expected)
            and all(approx_equal(a, e, rtol, atol) for a, e in zip(actual, expected, strict=True))
        )
    if not (_number(actual) and _number(expected)):
        return actual == expected and type(actual) is type(expected)
    if actual == expected:
        return True
    if math.isnan(actual) or math.isnan(expected) or math.isinf(actual) or math.isinf(expected):
        return False
    return abs(actual - expected) <= atol + rtol * abs(expected)


def _canonical(value, deep):
    if isinstance(value, (list, tuple)):
        items = [_canonical(v, False) if deep else v for v in value]
        return sorted(items, key=repr) if deep else list(items)
    return value


def results_match(actual, expected, compare, rtol, atol):
    """Whether actual matches expected under the test's comparison mode."""
    if compare == "approx":
        return approx_equal(actual, expected, rtol, atol)
    if compare == "exact" and any(_is_array(v) or _is_tensor(v) for v in (actual, expected)):
        # an array or tensor compared exactly: the same shape (and for a tensor, dtype) and values
        return approx_equal(actual, expected, 0.0, 0.0)
    expected, actual = _unwrap(expected), _unwrap(actual)
    if compare in ("unordered", "unordered_deep"):
        if not isinstance(actual, (list, tuple)):
            return False
        deep = compare == "unordered_deep"
        a = sorted((_canonical(v, deep) for v in actual), key=repr)
        e = sorted((_canonical(v, deep) for v in expected), key=repr)
        return a == e
    return bool(actual == expected)


def short_repr(value):
    """A bounded repr; arrays and tensors are summarised by NumPy."""
    if _is_array(value) or _is_tensor(value):
        import numpy as np

        kind, dtype = "array", ""
        if _is_tensor(value):
            kind, dtype, value = "tensor", f", dtype={value.dtype}", value.detach().cpu().numpy()
        numbers = np.array2string(value, threshold=50, precision=6)
        text = f"{kind}({numbers}, shape={tuple(value.shape)}{dtype})"
    else:
        text = repr(value)
    return text if len(text) <= REPR_LIMIT else text[:REPR_LIMIT] + "…"


# -- judging --


def _on_alarm(signum, frame):
    raise TimeLimit()


def _problem(error):
    return "".join(traceback.format_exception_only(type(error), error)).strip()[:1000]


def judge(test, np, time_limit):
    """One test's verdict: passed or failed, with the expected and actual values shown."""
    verdict = {"index": test["index"], "status": "passed"}
    namespace = {"np": np, "math": math, **testkit.HELPERS, **testkit.TEST_HELPERS}
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        try:
            result = decode(test["value"])
        except (Malformed, TypeError, ValueError, ImportError, binascii.Error) as error:
            return {**verdict, "status": "error", "error": f"the result cannot be read: {error}"}
        verdict["actual"] = short_repr(result)
        try:
            # values the sandbox computed with the candidate's code (see slicing.plan)
            shipped = test.get("ship") or {}
            namespace.update({str(k): decode(v) for k, v in shipped.items()})
        except (Malformed, TypeError, ValueError, ImportError, AttributeError) as error:
            return {**verdict, "status": "error", "error": f"the result cannot be read: {error}"}
        try:
            exec(test.get("setup") or "", namespace)
            if test.get("expect") is not None:
                expected = eval(test["expect"], namespace)
        except Exception as error:  # a fault in the question's tests, not in the candidate's code
            return {
                **verdict,
                "status": "error",
                "error": f"the test itself could not be prepared (report it): {_problem(error)}",
            }
        if test.get("expect") is not None:
            verdict["expected"] = short_repr(expected)
            compare, rtol, atol = test.get("compare", "exact"), test["rtol"], test["atol"]
            if not results_match(result, expected, compare, rtol, atol):
                verdict["status"] = "failed"
                if _is_tensor(expected) and compare in ("exact", "approx"):
                    tolerance = (rtol, atol) if compare == "approx" else (0.0, 0.0)
                    verdict["error"] = tensor_difference(result, expected, *tolerance)
            return verdict
        namespace["result"] = result
        try:
            exec(test["check"], namespace)
        except AssertionError as error:
            verdict.update(status="failed", error=str(error) or "a property check failed")
        except Exception as error:
            problem = f"the result has the wrong form: {_problem(error)}"
            verdict.update(status="failed", error=problem)
        return verdict
    except TimeLimit:
        return {**verdict, "status": "error", "error": "the check of this result took too long"}
    except (MemoryError, RecursionError):
        return {**verdict, "status": "failed", "error": "the result is too large to check"}
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def main():
    job = json.loads(sys.stdin.buffer.read())
    # one thread for NumPy's BLAS and PyTorch: threads cost address space under the limits
    os.environ.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    np = None
    if job.get("numpy"):
        try:
            import numpy as np
        except ImportError:
            np = None
    if job.get("torch"):
        # before the per-test time limits (decoding a tensor would import it otherwise)
        try:
            import torch

            torch.set_num_threads(1)
        except ImportError:
            pass
    signal.signal(signal.SIGALRM, _on_alarm)
    for test in job["tests"]:
        verdict = judge(test, np, job["time_limit"])
        sys.stdout.write(json.dumps(verdict) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
