"""Repeated runs of a figure combined into one row: the median of each number, and the spread."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

Row = tuple[str, str, str]
NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?")  # signed; not the 50 of p50


def _template(measured: str) -> tuple[str, list[str]]:
    """The text with its numbers taken out (as `{}`), and the numbers as written."""
    return NUMBER.sub("{}", measured.replace("{", "{{").replace("}", "}}")), NUMBER.findall(
        measured
    )


def _median_as_written(values: Sequence[str]) -> str:
    decimals = max((len(v.split(".")[1]) if "." in v else 0) for v in values)
    middle = statistics.median(float(v) for v in values)
    return f"{middle:.{decimals}f}"


def _headline(template: str, target: str) -> int:
    """Which number the target is about: the one after the percentile it names, or the first."""
    named = re.match(r"(p\d+) ", target)
    if named is not None:
        at = template.find(f"{named.group(1)} {{}}")
        if at >= 0:
            return template[:at].count("{}")
    return 0


def combine(name: str, target: str, runs: Sequence[str]) -> tuple[Row, str]:
    """One row from a figure's repeated runs: each number is the median of that number over
    the runs; the spread lists every run's headline number (the percentile the target names,
    else the first number).

    Runs whose text differs apart from its numbers cannot be combined number by number: the
    row then shows every run's text.
    """
    if len(runs) == 1:
        return (name, runs[0], target), ""
    shapes = [_template(measured) for measured in runs]
    template, first = shapes[0]
    if any(shape != template or len(numbers) != len(first) for shape, numbers in shapes):
        return (name, " | ".join(runs), target), "runs differ in shape"
    if not first:
        return (name, runs[0], target), ""
    columns = zip(*(numbers for _, numbers in shapes), strict=True)
    medians = [_median_as_written(column) for column in columns]
    headline = _headline(template, target)
    spread = ", ".join(numbers[headline] for _, numbers in shapes)
    return (name, template.format(*medians), target), spread


def table(runs: Sequence[Sequence[Row]]) -> list[tuple[str, str, str, str]]:
    """The rows of every run combined by figure name, in the first run's order."""
    by_name: dict[str, list[Row]] = {}
    for rows in runs:
        for row in rows:
            by_name.setdefault(row[0], []).append(row)
    combined = []
    for name, rows in by_name.items():
        (name, measured, target), spread = combine(name, rows[0][2], [r[1] for r in rows])
        combined.append((name, measured, spread, target))
    return combined
