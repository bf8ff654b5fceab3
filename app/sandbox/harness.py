"""Runs inside the sandbox: loads the candidate's code and runs the tests, one JSON line each.

This file is executed by the sandbox's own Python (Debian's python3, with NumPy when
installed); it imports nothing from the app and trusts nothing it runs. The job arrives as
JSON on stdin. Results go to the original stdout, which is kept on a private descriptor; the
candidate's own prints go to a capture file inside the sandbox's tmpfs, read back (capped) at
the end. The host treats every line as untrusted and keeps only what it expects.
"""

from __future__ import annotations

import builtins
import errno
import json
import linecache
import math
import os
import signal
import sys
import time
import traceback
import typing

SOLUTION = "solution.py"
CAPTURE = "output.txt"
REPR_LIMIT = 600


class TimeLimit(BaseException):
    """The per-test time limit was reached (a BaseException: `except Exception` cannot eat it)."""


# -- data structures the coding questions use (as on LeetCode), with builders for the tests --


class ListNode:
    """A singly linked list node."""

    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next

    def __repr__(self):
        return f"ListNode({self.val})"


class TreeNode:
    """A binary tree node."""

    def __init__(self, val=0, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right

    def __repr__(self):
        return f"TreeNode({self.val})"


class Node:
    """A graph node with a list of neighbours."""

    def __init__(self, val=0, neighbors=None):
        self.val = val
        self.neighbors = neighbors if neighbors is not None else []

    def __repr__(self):
        return f"Node({self.val})"


def make_list(values):
    """A linked list holding values, or None when empty."""
    head = None
    for value in reversed(list(values)):
        head = ListNode(value, head)
    return head


def list_values(head, limit=100_000):
    """The values of a linked list (stops after limit nodes, so a cycle cannot hang the test)."""
    out = []
    while head is not None and len(out) < limit:
        out.append(head.val)
        head = head.next
    return out


def make_tree(level_order):
    """A binary tree from its level-order list with None for missing children."""
    items = list(level_order)
    if not items or items[0] is None:
        return None
    root = TreeNode(items[0])
    queue, i = [root], 1
    while queue and i < len(items):
        node = queue.pop(0)
        for side in ("left", "right"):
            if i < len(items) and items[i] is not None:
                child = TreeNode(items[i])
                setattr(node, side, child)
                queue.append(child)
            i += 1
    return root


def find_node(root, value):
    """The first tree node holding value, in level order."""
    queue = [root] if root else []
    while queue:
        node = queue.pop(0)
        if node.val == value:
            return node
        queue += [c for c in (node.left, node.right) if c]
    return None


def make_graph(adjacency):
    """Graph nodes 1..n from an adjacency list (1-based, as on LeetCode); returns node 1."""
    nodes = [Node(i + 1) for i in range(len(adjacency))]
    for node, neighbours in zip(nodes, adjacency, strict=True):
        node.neighbors = [nodes[j - 1] for j in neighbours]
    return nodes[0] if nodes else None


def graph_adjacency(start):
    """The adjacency list of the graph reachable from start, with the node objects visited."""
    if start is None:
        return [], []
    seen, order = {id(start): start}, [start]
    for node in order:
        for other in node.neighbors:
            if id(other) not in seen:
                seen[id(other)] = other
                order.append(other)
    order.sort(key=lambda n: n.val)
    return [[n.val for n in node.neighbors] for node in order], order


HELPERS = {
    "ListNode": ListNode,
    "TreeNode": TreeNode,
    "Node": Node,
    # as on LeetCode, annotations like Optional[ListNode] work without an import
    "Optional": typing.Optional,
    "List": typing.List,  # noqa: UP006
}
TEST_HELPERS = {
    "make_list": make_list,
    "list_values": list_values,
    "make_tree": make_tree,
    "find_node": find_node,
    "make_graph": make_graph,
    "graph_adjacency": graph_adjacency,
}


# -- comparing results --


def _is_array(value):
    return type(value).__module__ == "numpy" and hasattr(value, "shape")


def approx_equal(actual, expected, rtol, atol):
    """Numbers and arrays within tolerance, recursively through tuples, lists and dicts."""
    import numpy as np  # only approx comparisons need NumPy

    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(approx_equal(actual[k], expected[k], rtol, atol) for k in expected)
        )
    if isinstance(expected, (list, tuple)) and not _is_array(actual):
        return (
            isinstance(actual, (list, tuple))
            and len(actual) == len(expected)
            and all(approx_equal(a, e, rtol, atol) for a, e in zip(actual, expected, strict=True))
        )
    try:
        a = np.asarray(actual, dtype=float)
        e = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False
    return a.shape == e.shape and bool(np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=False))


def _canonical(value, deep):
    if isinstance(value, (list, tuple)):
        items = [_canonical(v, False) if deep else v for v in value]
        return sorted(items, key=repr) if deep else list(items)
    return value


def results_match(actual, expected, compare, rtol, atol):
    """Whether actual matches expected under the test's comparison mode."""
    if compare == "approx":
        return approx_equal(actual, expected, rtol, atol)
    if compare in ("unordered", "unordered_deep"):
        if not isinstance(actual, (list, tuple)):
            return False
        deep = compare == "unordered_deep"
        a = sorted((_canonical(v, deep) for v in actual), key=repr)
        e = sorted((_canonical(v, deep) for v in expected), key=repr)
        return a == e
    if _is_array(actual) or _is_array(expected):
        return approx_equal(actual, expected, 0.0, 0.0)
    return bool(actual == expected)


def short_repr(value):
    """A bounded repr; arrays are summarised by NumPy."""
    try:
        if _is_array(value) and value.ndim == 0:
            text = repr(value.item())
        elif _is_array(value):
            import numpy as np

            text = np.array2string(value, threshold=50, precision=6)
            text = f"array({text}, shape={value.shape})"
        else:
            text = repr(value)
    except Exception as error:  # a candidate's __repr__ may raise
        text = f"<unprintable {type(value).__name__}: {error}>"
    return text if len(text) <= REPR_LIMIT else text[:REPR_LIMIT] + "…"


# -- running --


def solution_traceback(error):
    """The traceback restricted to the candidate's own frames, ending with the error."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == SOLUTION]
    lines = traceback.format_list(frames[-8:]) if frames else []
    lines += traceback.format_exception_only(type(error), error)
    return "".join(lines).strip()[:4000]


def _on_alarm(signum, frame):
    raise TimeLimit()


def run_test(index, test, functions, np, time_limit, emit):
    """Run one test and emit its outcome."""
    namespace = {"np": np, "math": math, **HELPERS, **TEST_HELPERS, **functions}
    outcome = {"event": "test", "index": index, "status": "passed", "ms": 0.0}
    result = expected = None
    started = None
    signal.setitimer(signal.ITIMER_REAL, time_limit)
    try:
        exec(test.get("setup") or "", namespace)
        started = time.perf_counter()
        result = eval(test["call"], namespace)
        outcome["ms"] = round((time.perf_counter() - started) * 1000, 3)
        signal.setitimer(signal.ITIMER_REAL, 0)
        if test.get("expect") is not None:
            expected = eval(test["expect"], namespace)
            outcome["expected"] = short_repr(expected)
            ok = results_match(
                result, expected, test.get("compare", "exact"), test["rtol"], test["atol"]
            )
            if not ok:
                outcome["status"] = "failed"
        else:
            namespace["result"] = result
            try:
                exec(test["check"], namespace)
            except AssertionError as error:
                outcome["status"] = "failed"
                outcome["error"] = str(error) or "a property check failed"
        outcome["actual"] = short_repr(result)
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
        channel.write(json.dumps(event) + "\n")

    # the candidate's output goes to a capture file, never to the result channel
    capture = os.open(CAPTURE, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(capture, 1)
    os.dup2(capture, 2)
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
    module = {"__name__": "solution", "__builtins__": builtins, "np": np, **HELPERS}
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
        error = f"define {' and '.join(missing)}: the tests call {', '.join(names)}"
        emit({"event": "load", "status": "error", "error": error})
        return
    emit({"event": "load", "status": "ok"})
    functions = {name: module[name] for name in names}
    for index, test in enumerate(job["tests"]):
        run_test(index, test, functions, np, job["time_limit"], emit)
    sys.stdout.flush()
    sys.stderr.flush()
    output, truncated = read_capture(job["output_limit"])
    emit({"event": "end", "output": output, "output_truncated": truncated})


if __name__ == "__main__":
    main()
