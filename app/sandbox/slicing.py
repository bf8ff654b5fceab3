"""Which statements of a test's setup each side of a run needs.

A test's `setup` builds the inputs, and may also compute what a `check` compares with (an
expected list, a reference solution's output). The sandbox must never hold the latter, and
the checker must not need the candidate's code: so each side gets only the setup statements
its own snippet depends on (a backward slice over the setup's top-level statements). A
statement that only binds names (`x = ...`, a def, an import) is kept when a needed name is
bound by it; any other statement (a loop, an attribute or item assignment, a method call that
may change an object, such as `rng.normal()`) is kept when it mentions a needed name, and on
the sandbox's side always, since an alias can change a needed object under another name.
`tests/test_code_bank.py` proves for every question that the sandbox's slice defines no name
that only the checker uses, and that every reference solution still passes.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass

# methods that read their object and never change it (NumPy arrays, lists, dicts)
_READERS = {
    "all", "any", "argmax", "argmin", "astype", "copy", "count", "cumsum", "dot", "flatten",
    "get", "index", "item", "items", "keys", "max", "mean", "min", "nonzero", "prod", "ravel",
    "reshape", "round", "std", "sum", "tolist", "transpose", "values", "var",
}  # fmt: skip
_BINDINGS = (ast.Assign, ast.AnnAssign, ast.FunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)


def names_in(source: str, mode: str = "exec") -> set[str]:
    """Every name a snippet mentions (loads, stores, and names inside its functions)."""
    tree = ast.parse(source, mode=mode)
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def _defined(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.FunctionDef | ast.ClassDef):
        return {statement.name}
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return {(alias.asname or alias.name).split(".")[0] for alias in statement.names}
    return {
        node.id
        for node in _walk_scope(statement)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


_INNER_SCOPES = (
    ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Lambda, ast.FunctionDef,
    ast.ClassDef,
)  # fmt: skip


def _walk_scope(node: ast.AST) -> Iterable[ast.AST]:
    """The nodes of a statement outside comprehensions and functions (which bind locally)."""
    yield node
    for child in ast.iter_child_nodes(node):
        if not isinstance(child, _INNER_SCOPES):
            yield from _walk_scope(child)


def _mentioned(statement: ast.stmt) -> set[str]:
    return {node.id for node in ast.walk(statement) if isinstance(node, ast.Name)}


def _pure_binding(statement: ast.stmt, objects: set[str]) -> bool:
    """A statement that only binds names (so it cannot change an object another one built).

    A method call on an object of the setup (`rng.normal(...)`, `items.pop()`) may change it,
    so a statement with one is not pure: a generator's draws must happen on both sides.
    """
    if not isinstance(statement, _BINDINGS):
        return False
    if not isinstance(statement, ast.Assign | ast.AnnAssign):
        return True  # a def, class or import runs none of the setup's objects' methods
    for node in ast.walk(statement):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in objects
            and node.func.attr not in _READERS
        ):
            return False
    if isinstance(statement, ast.Assign | ast.AnnAssign):
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for target in targets:
            elements = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
            if not all(isinstance(e, ast.Name) for e in elements):
                return False
    return True


def _split(statements: Iterable[ast.stmt]) -> list[ast.stmt]:
    """`a, b = x, y` as two statements, so that needing a does not bring b along."""
    out: list[ast.stmt] = []
    for statement in statements:
        if (
            isinstance(statement, ast.Assign)
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Tuple | ast.List)
            and isinstance(statement.value, ast.Tuple | ast.List)
            and len(statement.targets[0].elts) == len(statement.value.elts)
            and all(isinstance(e, ast.Name) for e in statement.targets[0].elts)
        ):
            targets = {e.id for e in statement.targets[0].elts if isinstance(e, ast.Name)}
            values = statement.value.elts
            # `a, b = b, a` reads what it binds: splitting it would change its meaning
            if not any(_mentioned(ast.Expr(value)) & targets for value in values):
                for target, value in zip(statement.targets[0].elts, values, strict=True):
                    single = ast.Assign(targets=[target], value=value, lineno=statement.lineno)
                    out.append(ast.fix_missing_locations(single))
                continue
        out.append(statement)
    return out


def _slice(
    statements: list[ast.stmt], needed: set[str], *, every_change: bool = False
) -> tuple[list[ast.stmt], set[str]]:
    """The statements the names in needed depend on, and every name they need in turn."""
    objects = set().union(
        *(_defined(s) for s in statements if not isinstance(s, ast.Import | ast.ImportFrom))
    )  # objects the setup built (an imported module is not one: its functions change nothing)
    need = set(needed)
    keep = [False] * len(statements)
    for index in range(len(statements) - 1, -1, -1):
        statement = statements[index]
        pure = _pure_binding(statement, objects)
        touched = _defined(statement) if pure else _defined(statement) | _mentioned(statement)
        if touched & need or (every_change and not pure):
            keep[index] = True
            need |= _mentioned(statement)
    return [s for s, k in zip(statements, keep, strict=True) if k], need


def _source(statements: list[ast.stmt]) -> str:
    return ast.unparse(ast.Module(body=statements, type_ignores=[])) if statements else ""


def _statements(setup: str) -> list[ast.stmt]:
    return _split(ast.parse(setup).body) if setup.strip() else []


def slice_setup(setup: str, needed: set[str], *, every_change: bool = False) -> str:
    """The statements of setup that the names in needed depend on, as source.

    every_change keeps every statement that is not a pure binding, whatever it mentions: an
    alias (`node = root` then `node.left = ...`) can change a needed object under another name.
    """
    return _source(_slice(_statements(setup), needed, every_change=every_change)[0])


@dataclass(frozen=True)
class Plan:
    """What each side of a run gets of one test's setup."""

    sandbox: str
    checker: str
    # values the check needs that come from the candidate's code (computed in the sandbox)
    ship: tuple[str, ...]


def plan(*, setup: str, call: str, snippet: str, mode: str, candidate: set[str]) -> Plan:
    """Split a test's setup between the sandbox and the checker.

    A setup statement that runs the candidate's code (directly, or through a function of the
    setup that does) cannot run in the checker: what it computes is the candidate's output, so
    the sandbox computes it and sends it back as plain data with the result.
    """
    statements = _statements(setup)
    # a module is never the candidate's output, even when a statement using it is
    modules = {"np", "math"}.union(
        *(_defined(s) for s in statements if isinstance(s, ast.Import | ast.ImportFrom))
    )
    tainted, derived, trusted = set(candidate), set(), []
    for statement in statements:
        if not _mentioned(statement) & tainted:
            trusted.append(statement)
            continue
        # what it binds (or changes: `out.append(model(x))`) comes from the candidate's code
        changed = _defined(statement) if _pure_binding(statement, set()) else (
            _defined(statement) | _mentioned(statement)
        ) - tainted - modules
        tainted |= changed
        if not isinstance(statement, ast.FunctionDef | ast.ClassDef):
            derived |= changed
    # every change too: a setup function may change a name it never mentions (`global best`)
    checked, need = _slice(trusted, names_in(snippet, mode) - {"result"}, every_change=True)
    bound = set().union(*(_defined(s) for s in statements))
    ship = tuple(sorted(need & derived & bound))
    ours, _ = _slice(statements, names_in(call, "eval") | set(ship), every_change=True)
    return Plan(sandbox=_source(ours), checker=_source(checked), ship=ship)


def sandbox_setup(setup: str, call: str) -> str:
    """What the sandbox runs before the call: the statements that build the call's inputs."""
    return slice_setup(setup, names_in(call, "eval"), every_change=True)


def checker_setup(setup: str, snippet: str, mode: str) -> str:
    """What the checker runs before an expect (mode "eval") or check (mode "exec")."""
    return slice_setup(setup, names_in(snippet, mode) - {"result"})


def defined_names(source: str) -> set[str]:
    """The names a setup slice binds at its top level."""
    if not source.strip():
        return set()
    return set().union(*(_defined(s) for s in ast.parse(source).body))
