"""The benchmark harness at a tiny scale, so it cannot rot (figures and targets live in bench/)."""

from __future__ import annotations

import pytest

from bench.run import main


def test_every_figure_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quick", "--db", "sqlite"]) == 0
    table = capsys.readouterr().out
    for number in range(1, 9):
        assert f"\n{number}. " in table, table
    assert "0 errors" in table
    assert "1 call(s)" in table
