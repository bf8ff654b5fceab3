"""The offline interviewer and scorer on the labelled answers: the targets of `onsite eval`."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from statistics import mean

import pytest
import yaml
from typer.testing import CliRunner

from app import cli
from app.config import PROJECT_ROOT
from app.content.errors import ContentError
from app.content.loader import Content
from app.content.models import RoundType
from app.engine.matching import find_phrase, tokens
from app.engine.state import InterviewState, QuestionProgress
from app.engine.text import is_keyword_list, units
from app.evaluation import conversation
from app.evaluation.checks import Failure, ObservedMove, check_move, check_scorecard
from app.evaluation.conversation import ScenarioResult, observed_move, run_scenario
from app.evaluation.llm_candidate import CHECKS, LEVELS, Line
from app.evaluation.report import Report, evaluate
from app.evaluation.samples import LabelledAnswers, load_samples
from app.evaluation.scenarios import (
    MoveExpectation,
    ScorecardExpectation,
    load_scenario,
    load_scenarios,
)
from app.evaluation.service import LocalService, Reply
from tests.conftest import make_settings
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


# --------------------------------------------------------------------------- conversation scenarios

TRIVIAL_SCENARIO = """\
round: ml_theory
question: why-dropout
about: a one-line answer, with one expectation that holds and two that cannot
turns:
  - say: Dropout switches off random units while training so they cannot co-adapt.
    expect:
      not_move: [open]
  - say: At test time every unit is kept and the activations are rescaled.
    expect:
      move: [close]
scorecard:
  recommendation_at_least: strong_hire
"""


def _content_root(tmp_path: Path, scenarios: dict[str, str]) -> Path:
    """A content root with the real bank and only the given scenario files."""
    for folder in ("questions", "rubrics", "prompts", "migrations"):
        (tmp_path / folder).symlink_to(PROJECT_ROOT / folder)
    folder = tmp_path / "evals" / "scenarios"
    folder.mkdir(parents=True)
    for name, text in scenarios.items():
        (folder / f"{name}.yaml").write_text(text)
    return tmp_path


def test_every_scenario_file_validates(content: Content) -> None:
    scenarios = load_scenarios(PROJECT_ROOT, content)
    assert len(scenarios) >= 24
    assert {s.round for s in scenarios} == set(RoundType)
    assert len({s.name for s in scenarios}) == len(scenarios)
    expected = {k for s in scenarios for t in s.script if t.expect for k in t.expect.move}
    # the behaviours the issue asks for are each expected somewhere
    assert {"challenge", "deepen", "redirect", "answer_question", "hint", "wrap_up"} <= expected
    assert all(s.expectation_count > 0 for s in scenarios)
    assert any(isinstance(t, str) for s in scenarios for t in s.turns)  # plain messages load too


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"mood": "cheerful"}, "Extra inputs are not permitted"),
        ({"question": "two-sum"}, "'two-sum' is not a question of round 'ml_theory'"),
        ({"turns": [{"say": "hi", "expect": {"move": ["interrogate"]}}]}, "unknown move kind"),
        ({"turns": [{"say": "hi", "expect": {"not_target": ["heap"]}}]}, "'heap' is neither"),
        ({"turns": [{"say": "hi", "expect": {}}]}, "an expectation needs"),
        ({"turns": []}, "at least 1 item"),
        ({"scorecard": {"not_assessed": ["charisma"]}}, "unknown criterion 'charisma'"),
        ({"scorecard": {"not_credited": ["heap"]}}, "'heap' is not a key point"),
        (
            {"scorecard": {"recommendation_at_least": "hire", "recommendation_at_most": "no_hire"}},
            "cannot both hold",
        ),
        ({"name": "other"}, "'name' is the file's name"),
    ],
)
def test_a_bad_scenario_fails_loudly_with_its_path_and_reason(
    tmp_path: Path, content: Content, change: dict, reason: str
) -> None:
    data = {**yaml.safe_load(TRIVIAL_SCENARIO), **change}
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError) as raised:
        load_scenario(path, content)
    assert str(path) in str(raised.value)
    assert reason in str(raised.value)


def test_a_scenario_that_is_not_yaml_fails_loudly_with_its_path(
    tmp_path: Path, content: Content
) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("round: coding\nturns: [unclosed\n")
    with pytest.raises(ContentError, match="not valid YAML") as raised:
        load_scenario(path, content)
    assert str(path) in str(raised.value)


def test_the_runner_reports_a_failing_expectation_with_its_turn_and_move(
    tmp_path: Path, content: Content
) -> None:
    path = tmp_path / "trivial.yaml"
    path.write_text(TRIVIAL_SCENARIO)
    scenario = load_scenario(path, content)

    async def run() -> ScenarioResult:
        async with LocalService(make_settings("sqlite://")) as service:
            return await run_scenario(service, scenario)

    result = asyncio.run(run())
    assert result.error is None
    assert [t.move is not None for t in result.turns] == [True, True]
    first, second = result.turns
    # the director never closes an interview in answer to its second message, nor "opens" again
    assert first.move.kind != "open"
    assert second.move.kind != "close"
    assert not result.passed
    turn_failures = [f for f in result.failures if f.turn is not None]
    assert turn_failures == [Failure(2, "move close", str(second.move))]
    assert [f.expected for f in result.failures if f.turn is None] == ["at least strong_hire"]
    assert result.scorecard is not None and result.scorecard["recommendation"] != "strong_hire"
    printed = conversation.table([result])
    assert "trivial" in printed and "FAIL" in printed and "turn 2: expected move close" in printed
    assert "scenarios passed: 0/1 (0%)" in printed


def test_a_move_kind_the_director_does_not_know_fails_the_check_without_crashing() -> None:
    expect = MoveExpectation(move=["deepen"], not_target=["complexity"])
    failures = check_move(3, expect, ObservedMove("follow_up", "complexity", source="state"))
    assert [str(f) for f in failures] == [
        "turn 3: expected move deepen; got follow_up -> complexity",
        "turn 3: expected no question about complexity (already covered); "
        "got follow_up -> complexity",
    ]
    # a deepening question about a covered point is what should happen, not a failure
    deepen = ObservedMove("deepen", "complexity")
    assert check_move(3, MoveExpectation(not_target=["complexity"]), deepen) == []
    assert check_move(4, expect, None)[0].got == "the interview had closed before this turn"


def test_a_reply_is_checked_for_its_words_as_well_as_its_move() -> None:
    expect = MoveExpectation(says=["New Advertiser"], not_says=["derive the correction"])
    deepen = ObservedMove("deepen")
    reply = "Now a harder one. A new advertiser has no history. What does your model predict?"
    assert check_move(7, expect, deepen, reply) == []
    failures = check_move(7, expect, deepen, "Derive the correction that recovers probabilities.")
    assert [f.expected for f in failures] == [
        "a reply saying 'New Advertiser'",
        "a reply not saying 'derive the correction'",
    ]
    with pytest.raises(ValueError):
        MoveExpectation()


def test_scorecard_checks_read_not_assessed_and_missed_points() -> None:
    card = {
        "recommendation": "hire",
        "overall": 2.9,
        "criteria": [{"id": "evaluation", "score": None}, {"id": "serving_and_scale", "score": 1}],
        "missed_points": [{"question_id": "q", "key_point_id": "serving", "text": "..."}],
    }
    expect = ScorecardExpectation(
        recommendation_at_most="no_hire",
        not_assessed=["evaluation", "serving_and_scale"],
        criterion_at_least={"evaluation": 2},
        credited=["serving"],
        not_credited=["objective"],
    )
    assert [str(f) for f in check_scorecard(expect, card)] == [
        "scorecard: expected at most no_hire; got hire (2.9)",
        "scorecard: expected serving_and_scale not assessed; got serving_and_scale 1",
        "scorecard: expected evaluation >= 2; got evaluation not assessed",
        "scorecard: expected objective not credited; got objective credited",
        "scorecard: expected serving credited; got serving listed as missed",
    ]


def test_every_scenario_passes_through_the_service() -> None:
    # --strict: a scenario that fails fails the command (and this test): the scenarios are the
    # interviewer's regression suite
    result = CliRunner().invoke(cli.cli, ["eval", "--scenarios", "--strict"])
    assert result.exit_code == 0, result.output
    assert re.search(r"scenarios passed: (\d+)/\1 \(100%\)", result.output), result.output
    assert "mlsd-thorough-video-feed" in result.output
    assert "error:" not in result.output  # every conversation ran to its scorecard


def test_onsite_eval_scenarios_strict_and_only(tmp_path: Path, monkeypatch) -> None:
    root = _content_root(tmp_path, {"trivial": TRIVIAL_SCENARIO, "other": TRIVIAL_SCENARIO})
    monkeypatch.setenv("ONSITE_CONTENT_DIR", str(root))
    relaxed = CliRunner().invoke(cli.cli, ["eval", "--scenarios", "--only", "trivial"])
    assert relaxed.exit_code == 0, relaxed.output
    assert "1 conversation scenarios" in relaxed.output and "other" not in relaxed.output
    strict = CliRunner().invoke(cli.cli, ["eval", "--scenarios", "--strict"])
    assert strict.exit_code == 1, strict.output
    assert "scenarios passed: 0/2" in strict.output
    missing = CliRunner().invoke(cli.cli, ["eval", "--scenarios", "--only", "nope"])
    assert missing.exit_code == 1 and "no scenario named 'nope'" in missing.output


def test_onsite_eval_scenarios_names_a_broken_file(tmp_path: Path, monkeypatch) -> None:
    root = _content_root(tmp_path, {"broken": TRIVIAL_SCENARIO.replace("round:", "rund:")})
    monkeypatch.setenv("ONSITE_CONTENT_DIR", str(root))
    result = CliRunner().invoke(cli.cli, ["eval", "--scenarios"])
    assert result.exit_code == 1
    assert "broken.yaml" in result.output and "rund" in result.output


# --------------------------------------------------------------------------- LLM-played candidates


@pytest.mark.parametrize("level", LEVELS)
def test_the_eval_prompts_render_for_every_level(content: Content, level: str) -> None:
    question = content.questions["two-sum"]
    spec = content.rounds[question.round]
    candidate = content.prompts.render(
        "eval/candidate.j2", round=spec, question=question, level=level
    )
    assert question.title in candidate and f"You are a {level} candidate" in candidate
    system = content.prompts.render(
        "eval/judge_system.j2", round=spec, question=question, checks=CHECKS
    )
    assert all(f'"{check.id}"' in system for check in CHECKS)
    assert all(point.id in system for point in question.key_points)
    user = content.prompts.render(
        "eval/judge_user.j2", lines=[Line("interviewer", "Hello"), Line("candidate", "Hi")]
    )
    assert '<candidate seq="2">\nHi\n</candidate>' in user


def _judge(body: dict) -> dict:
    assert body["response_format"]["json_schema"]["name"] == "JudgeVerdict"
    return {
        "checks": [
            {"check": c.id, "evidence": "not applicable", "passed": c.id != "no_reasking"}
            for c in CHECKS
        ],
        "summary": "Re-asked once.",
    }


def test_onsite_eval_llm_candidate_against_the_fake_server(monkeypatch) -> None:
    replies = iter(
        [
            "I'd keep a dictionary of values I've seen and look up target minus the current one.",
            "That's one pass, so linear time and linear memory.",
        ]
    )
    with FakeLLM() as fake:
        fake.responder = lambda body: next(replies, "No more from me, thank you.")
        fake.json_responder = _judge
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("ONSITE_MODEL", "fake-model")
        monkeypatch.delenv("ONSITE_LLM", raising=False)  # the interviewer speaks offline
        result = CliRunner().invoke(
            cli.cli, ["eval", "--llm-candidate", "--only", "two-sum", "--levels", "strong"]
        )
        requests = fake.requests
    assert result.exit_code == 0, result.output
    judged = [b for b in requests if "response_format" in b]
    played = [b for b in requests if "response_format" not in b]
    assert len(judged) == 1 and len(played) >= 3
    # the candidate sees the interviewer as the other party, with its level in the system prompt
    first = played[0]["messages"]
    assert "You are a strong candidate" in first[0]["content"]
    assert [m["role"] for m in first] == ["system", "user"]
    assert [m["role"] for m in played[1]["messages"]][:4] == ["system", "user", "assistant", "user"]
    transcript = judged[0]["messages"][1]["content"]
    assert "look up target minus the current one" in transcript
    assert "two-sum" in result.output and "no_reasking" in result.output
    assert "5/6" in result.output  # the judge failed one check
    assert "no_reasking                    passed in 0/1 interviews" in result.output


def test_a_judge_that_leaves_checks_out_fails_them(monkeypatch) -> None:
    with FakeLLM() as fake:
        fake.responder = lambda body: "I don't know, sorry."
        fake.json_responder = lambda body: {"checks": [], "summary": "nothing"}
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.delenv("ONSITE_LLM", raising=False)
        result = CliRunner().invoke(
            cli.cli, ["eval", "--llm-candidate", "--only", "ml_theory", "--levels", "weak"]
        )
    assert result.exit_code == 0, result.output
    assert "0/6" in result.output


def test_llm_candidate_needs_an_llm(monkeypatch) -> None:
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ONSITE_OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ONSITE_OPENAI_BASE_URL", raising=False)
    result = CliRunner().invoke(cli.cli, ["eval", "--llm-candidate"])
    assert result.exit_code == 1 and "needs an LLM" in result.output


def test_the_move_is_read_from_the_api_when_it_carries_one_else_from_the_stored_state() -> None:
    before = InterviewState(
        round=RoundType.coding,
        plan=["two-sum"],
        budget_seconds=2700,
        progress=[QuestionProgress(topic_id="two-sum", probed=["complexity"])],
    )
    after = before.model_copy(deep=True)
    after.progress[0].probed.append("self-pairing")
    after.last_move = "follow_up"
    move = {"kind": "challenge", "target_id": "complexity", "reason": "wrong_claim"}
    from_api = observed_move(Reply("Are you sure?", "question", move, after), before)
    assert from_api == ObservedMove("challenge", "complexity", "wrong_claim", source="api")
    from_state = observed_move(Reply("Why?", "question", None, after), before)
    assert from_state == ObservedMove("follow_up", "self-pairing", None, source="state")
    assert str(from_api) == "challenge -> complexity (wrong_claim)"


def test_llm_candidates_meet_the_llm_interviewer_and_grader(monkeypatch) -> None:
    grade = grader()

    def structured(body: dict) -> dict:
        name = body["response_format"]["json_schema"]["name"]
        return _judge(body) if name == "JudgeVerdict" else grade(body)

    with FakeLLM() as fake:
        fake.responder = lambda body: "I'd try every pair first, then keep a dict of seen values."
        fake.json_responder = structured
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("ONSITE_LLM", "openai")
        monkeypatch.setenv("ONSITE_MODEL", "fake-model")
        result = CliRunner().invoke(
            cli.cli, ["eval", "--llm-candidate", "--only", "two-sum", "--levels", "medium"]
        )
        formats = [b["response_format"] for b in fake.requests if "response_format" in b]
        schemas = [f["json_schema"]["name"] for f in formats]
    assert result.exit_code == 0, result.output
    assert "the interviewer's voice: LLM fake-model" in result.output
    assert "not scored" not in result.output  # the LLM grader scored it
    assert schemas.count("JudgeVerdict") == 1 and len(schemas) >= 2


def test_the_known_failures_still_load_against_the_bank(content: Content) -> None:
    """evals/known/ holds scenarios that fail today, kept runnable for whoever fixes them."""
    from app.evaluation.scenarios import load_scenario

    paths = sorted((PROJECT_ROOT / "evals" / "known").glob("*.yaml"))
    assert paths
    for path in paths:
        assert load_scenario(path, content).turns, path
        assert path.with_suffix(".md").exists(), path
