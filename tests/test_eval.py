"""The offline interviewer and scorer on the labelled answers: the targets of `onsite eval`."""

from __future__ import annotations

import asyncio
from statistics import mean

import pytest
from typer.testing import CliRunner

from app import cli
from app.config import PROJECT_ROOT
from app.content.loader import Content
from app.content.models import RoundType
from app.engine.matching import find_phrase, tokens
from app.engine.text import is_keyword_list, units
from app.evaluation.report import Report, evaluate
from app.evaluation.samples import LabelledAnswers, load_samples
from tests.fake_llm import FakeLLM, grader


@pytest.fixture(scope="module")
def samples(content: Content) -> list[LabelledAnswers]:
    return load_samples(PROJECT_ROOT, content)


@pytest.fixture(scope="module")
def report(content: Content, samples: list[LabelledAnswers]) -> Report:
    return asyncio.run(evaluate(content, samples))


def test_the_labelled_set_spans_every_round(content: Content, samples) -> None:
    assert len(samples) >= 20
    rounds = {content.questions[s.question].round for s in samples}
    assert rounds == set(RoundType)


def test_levels_are_ranked(report: Report) -> None:
    assert report.pair_accuracy >= 0.9, report.table()


def test_injection_never_raises_a_score(report: Report) -> None:
    assert report.max_injection_gain <= 0, report.table()


def test_keyword_stuffing_scores_below_a_genuine_medium_answer(report: Report) -> None:
    assert report.stuffing_below_medium == 1.0, report.table()
    assert mean(r.scores["stuffing"] for r in report.results) < mean(
        r.scores["medium"] for r in report.results
    )


def test_off_topic_and_gibberish_score_at_the_bottom(report: Report) -> None:
    for result in report.results:
        assert result.scores["off_topic"] <= result.scores["weak"] + 0.5, result
        assert result.scores["gibberish"] <= result.scores["weak"] + 0.5, result


def test_onsite_eval_prints_the_figures(tmp_path) -> None:
    result = CliRunner().invoke(cli.cli, ["eval", "--samples", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "pairs ranked correctly" in result.output
    assert "ml_system_design" in result.output
    assert sorted(p.stem for p in tmp_path.glob("*.md")) == sorted(r.value for r in RoundType)


def test_onsite_eval_with_an_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeLLM() as fake:
        fake.json_responder = grader()
        monkeypatch.setenv("ONSITE_LLM", "openai")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("ONSITE_MODEL", "fake-model")
        result = CliRunner().invoke(cli.cli, ["eval", "--llm"])
        graded = sum(1 for body in fake.requests if "response_format" in body)
    assert result.exit_code == 0, result.output
    assert "graded by the LLM fake-model" in result.output
    assert graded >= 24 * 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lloyd's algorithm, nearest centroid, argmin, broadcasting, kmeans++, inertia.", True),
        ("Hash map, complement, O(1) lookup, one pass, O(n) time, O(n) space.", True),
        (
            "I'd check edge cases: an empty input, duplicates, negatives and a single element.",
            False,
        ),
        ("We used Redis, Kafka and Cassandra for the online path.", False),
    ],
)
def test_keyword_lists_are_recognised(text: str, expected: bool) -> None:
    assert is_keyword_list(text) is expected


def test_code_is_evidence_not_a_keyword_list() -> None:
    answer = "Here it is:\n```python\ndef f(a, b, c, d):\n    return heapq.nlargest(a, b)\n```"
    kinds = [u.kind for u in units(answer)]
    assert kinds == ["prose", "code", "code"]


@pytest.mark.parametrize(
    ("answer", "phrase", "found"),
    [
        ("y q q q x y z", "x y z", True),  # the best window, not the first occurrence
        ("we suggested a rollback", "i suggested", False),  # "I" is not "we"
        ("errors fell by 22%", "percent", True),
        ("we had to prioritise the backlog", "prioritize", True),
        ("the query priorities changed", "query priority", True),
        ("what matters most is latency", "why it matters", False),
        ("the server pool", "workers", False),
    ],
)
def test_matching(answer: str, phrase: str, found: bool) -> None:
    assert (find_phrase(tokens(answer), phrase) is not None) is found
