"""What a code run reports: per-test outcomes and the run's overall status."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

TestStatus = Literal["passed", "failed", "error", "time_limit", "memory_limit", "not_run"]
RunStatus = Literal[
    "passed", "failed", "compile_error", "error", "time_limit", "memory_limit", "output_limit"
]
RunKind = Literal["run", "submit"]


class TestResult(BaseModel):
    """One test's outcome; input, expected and actual are given for visible tests only."""

    model_config = ConfigDict(extra="forbid")

    name: str
    visible: bool
    status: TestStatus
    runtime_ms: float | None = None
    input: str | None = None
    expected: str | None = None
    actual: str | None = None
    error: str | None = None


class RunReport(BaseModel):
    """The outcome of running code against a set of tests."""

    model_config = ConfigDict(extra="forbid")

    status: RunStatus
    passed: int
    total: int
    tests: list[TestResult]
    # a compile or load error, or why the sandbox stopped the run
    error: str | None = None
    output: str = ""
    output_truncated: bool = False
    wall_ms: float = 0.0

    @property
    def first_failure(self) -> TestResult | None:
        """The first test that did not pass, if any."""
        return next((t for t in self.tests if t.status != "passed"), None)
