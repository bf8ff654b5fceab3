"""The benchmark harness at a tiny scale, so it cannot rot (figures and targets live in bench/)."""

from __future__ import annotations

import pytest

from bench.repeats import combine, table
from bench.run import main


def test_every_figure_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BENCH_WORKERS", "1")  # one worker process to start per service, not two
    assert main(["--quick", "--db", "sqlite"]) == 0
    table = capsys.readouterr().out
    for number in range(1, 11):
        assert f"\n{number}. " in table, table
    assert "0 errors" in table
    assert "1 call(s)" in table
    for assessor in ("offline", "llm"):  # the first token with and without the LLM's assessment
        assert f"overhead, {assessor} assessment (sqlite)" in table


def test_repeated_runs_show_the_median_of_each_number() -> None:
    runs = [
        "p50 1.7 ms, p99 4.2 ms, 0 errors",
        "p50 2.4 ms, p99 9.0 ms, 3 errors",
        "p50 2.0 ms, p99 5.1 ms, 1 errors",
    ]
    row, spread = combine("1. path", "p50 <= 10 ms", runs)
    assert row == ("1. path", "p50 2.0 ms, p99 5.1 ms, 1 errors", "p50 <= 10 ms")
    assert spread == "1.7, 2.4, 2.0"


def test_runs_that_differ_in_shape_are_shown_whole() -> None:
    row, spread = combine("4. streams", "0 errors", ["0 errors", "2 errors (2 probes)"])
    assert row[1] == "0 errors | 2 errors (2 probes)"
    assert spread == "runs differ in shape"


def test_repeats_keep_the_first_runs_order_and_decimals() -> None:
    rows = table(
        [
            [("a", "10 turns/s", "t"), ("b", "p50 1.25 ms", "t")],
            [("a", "13 turns/s", "t"), ("b", "p50 1.5 ms", "t")],
        ]
    )
    assert rows == [("a", "12 turns/s", "10, 13", "t"), ("b", "p50 1.38 ms", "1.25, 1.5", "t")]


def test_the_spread_follows_the_percentile_the_target_names() -> None:
    _, spread = combine(
        "6. offline", "p99 <= 20 ms", ["p50 6.0 ms, p99 7.4 ms", "p50 5 ms, p99 9 ms"]
    )
    assert spread == "7.4, 9"


def test_negative_numbers_keep_their_sign() -> None:
    row, spread = combine(
        "8. sandbox", "t", ["sandbox alone -2 ms", "sandbox alone 8 ms", "sandbox alone 3 ms"]
    )
    assert row[1] == "sandbox alone 3 ms" and spread == "-2, 8, 3"
