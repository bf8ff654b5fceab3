"""Which statements of a test's setup each side of a run needs.

A test's `setup` builds the inputs, and may also compute what a `check` compares with (an
expected list, a reference solution's output). The sandbox must never hold the latter, and
the checker must not need the candidate's code: so each side gets only the setup statements
its own snippet depends on (a backward slice over the setup's top-level statements). The
slice is conservative (it keeps every statement that might touch a needed object), and
`tests/test_code_bank.py` proves for every question that the sandbox's slice defines no
name the call does not need.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

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
        for node in ast.walk(statement)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }


def _mentioned(statement: ast.stmt) -> set[str]:
    return {node.id for node in ast.walk(statement) if isinstance(node, ast.Name)}


def _pure_binding(statement: ast.stmt) -> bool:
    """A statement that only binds names (so it cannot change an object another one built)."""
    if not isinstance(statement, _BINDINGS):
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
            targets = {e.id for e in statement.targets[0].elts}  # type: ignore[attr-defined]
            values = statement.value.elts
            # `a, b = b, a` reads what it binds: splitting it would change its meaning
            if not any(_mentioned(ast.Expr(value)) & targets for value in values):
                for target, value in zip(statement.targets[0].elts, values, strict=True):
                    single = ast.Assign(targets=[target], value=value, lineno=statement.lineno)
                    out.append(ast.fix_missing_locations(single))
                continue
        out.append(statement)
    return out


def slice_setup(setup: str, needed: set[str]) -> str:
    """The statements of setup that the names in needed depend on, as source."""
    if not setup.strip() or not needed:
        return ""
    statements = _split(ast.parse(setup).body)
    need = set(needed)
    keep = [False] * len(statements)
    for index in range(len(statements) - 1, -1, -1):
        statement = statements[index]
        touched = _defined(statement) if _pure_binding(statement) else _mentioned(statement)
        if touched & need:
            keep[index] = True
            need |= _mentioned(statement)
    kept = [s for s, k in zip(statements, keep, strict=True) if k]
    return ast.unparse(ast.Module(body=kept, type_ignores=[])) if kept else ""


def sandbox_setup(setup: str, call: str) -> str:
    """What the sandbox runs before the call: the statements that build the call's inputs."""
    return slice_setup(setup, names_in(call, "eval"))


def checker_setup(setup: str, snippet: str, mode: str) -> str:
    """What the checker runs before an expect (mode "eval") or check (mode "exec")."""
    return slice_setup(setup, names_in(snippet, mode) - {"result"})


def defined_names(source: str) -> set[str]:
    """The names a setup slice binds at its top level."""
    if not source.strip():
        return set()
    return set().union(*(_defined(s) for s in ast.parse(source).body))
