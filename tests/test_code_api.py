"""Run and Submit through the API: results, the interviewer's reaction, storage, ownership."""

from __future__ import annotations

import dataclasses

import httpx2
import pytest

from app.content.loader import Content
from tests.conftest import sign_up

pytestmark = pytest.mark.usefixtures("sandbox")

WRONG = "def two_sum(nums, target):\n    return (0, 1)\n"
EMPTY_BUG = (
    "def two_sum(nums, target):\n"
    "    for i in range(len(nums)):\n"
    "        for j in range(i + 1, len(nums)):\n"
    "            if nums[i] + nums[j] == target:\n"
    "                return (i, j)\n"
)


async def _start(api: httpx2.AsyncClient, auth: dict[str, str], question_id: str) -> str:
    round_id = "coding" if question_id == "two-sum" else "ml_coding"
    created = await api.post(
        "/api/v1/interviews", json={"round": round_id, "question_id": question_id}, headers=auth
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]


async def test_workspace_shows_signature_examples_and_no_hidden_tests(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content
) -> None:
    interview = await _start(client, auth, "two-sum")
    space = (await client.get(f"/api/v1/interviews/{interview}/code", headers=auth)).json()
    spec = content.questions["two-sum"].code
    assert space["enabled"] is True, space["reason"]
    assert space["entry"] == "two_sum" and space["code"] == spec.starter
    assert [e["name"] for e in space["examples"]] == [t.name for t in spec.visible_tests]
    assert space["hidden_tests"] == len(spec.tests) - len(spec.visible_tests)
    hidden_calls = [t.call for t in spec.tests if not t.visible]
    assert not any(call in str(space) for call in hidden_calls)


async def test_run_checks_only_the_examples_and_shows_expected_and_actual(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content
) -> None:
    interview = await _start(client, auth, "two-sum")
    ran = await client.post(
        f"/api/v1/interviews/{interview}/code/run", json={"code": WRONG}, headers=auth
    )
    assert ran.status_code == 200, ran.text
    run = ran.json()
    assert run["kind"] == "run" and run["status"] == "failed"
    assert run["total"] == len(content.questions["two-sum"].code.visible_tests)
    failing = next(t for t in run["tests"] if t["status"] != "passed")
    assert failing["input"] == "two_sum([1, 2, 3], 7)"
    assert failing["expected"] == "None" and failing["actual"] == "(0, 1)"
    # a Run is not a turn: the transcript did not change
    transcript = (await client.get(f"/api/v1/interviews/{interview}", headers=auth)).json()
    assert len(transcript["messages"]) == 1


async def test_submit_is_a_turn_the_interviewer_answers_about_the_failure(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content
) -> None:
    interview = await _start(client, auth, "two-sum")
    submitted = await client.post(
        f"/api/v1/interviews/{interview}/code/submit", json={"code": WRONG}, headers=auth
    )
    assert submitted.status_code == 201, submitted.text
    body = submitted.json()
    assert body["candidate"]["kind"] == "code" and WRONG.strip() in body["candidate"]["content"]
    assert body["run"]["status"] == "failed"
    assert body["run"]["hidden_total"] == len(content.questions["two-sum"].code.tests) - 2
    # the interviewer quotes the failing visible example, never a hidden one
    assert "two_sum([1, 2, 3], 7)" in body["interviewer"]["content"]
    for test in body["run"]["tests"]:
        if not test["visible"]:
            assert test["input"] is None and test["expected"] is None and test["actual"] is None


async def test_hidden_failures_are_counted_not_described(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content
) -> None:
    interview = await _start(client, auth, "two-sum")
    body = (
        await client.post(
            f"/api/v1/interviews/{interview}/code/submit", json={"code": EMPTY_BUG}, headers=auth
        )
    ).json()
    run = body["run"]
    assert run["status"] in ("failed", "time_limit"), run
    assert all(t["status"] == "passed" for t in run["tests"] if t["visible"])
    assert run["hidden_passed"] < run["hidden_total"]
    reply = body["interviewer"]["content"]
    assert "hidden" in reply or "time" in reply
    assert not any(t.call in reply for t in content.questions["two-sum"].code.tests)


# gradient accumulation without dividing the loss: the examples (one batch a step) pass
UNSCALED_ACCUMULATION = (" / accum_steps).backward()", ").backward()")


@pytest.mark.usefixtures("sandbox_torch")
async def test_a_pytorch_question_starts_from_torch_and_its_hidden_failures_are_counted(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content
) -> None:
    spec = content.questions["pytorch-training-loop"].code
    interview = await _start(client, auth, "pytorch-training-loop")
    space = (await client.get(f"/api/v1/interviews/{interview}/code", headers=auth)).json()
    assert space["framework"] == "pytorch" and space["enabled"] is True, space
    assert space["code"] == spec.starter and "import torch" in space["code"]
    wrong = spec.solution.replace(*UNSCALED_ACCUMULATION)
    assert wrong != spec.solution
    body = (
        await client.post(
            f"/api/v1/interviews/{interview}/code/submit", json={"code": wrong}, headers=auth
        )
    ).json()
    run = body["run"]
    assert run["status"] == "failed", run
    assert all(t["status"] == "passed" for t in run["tests"] if t["visible"])
    assert 0 < run["hidden_passed"] < run["hidden_total"]
    failed = [t for t in run["tests"] if t["status"] == "failed"]
    assert failed and all(t["error"] is None and t["input"] is None for t in failed)
    reply = body["interviewer"]["content"]
    assert "hidden" in reply, reply
    assert not any(t.call in reply or t.setup[:40] in reply for t in spec.tests if not t.visible)


async def test_a_correct_submission_passes_and_the_interview_moves_on(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content
) -> None:
    interview = await _start(client, auth, "two-sum")
    solution = content.questions["two-sum"].code.solution
    body = (
        await client.post(
            f"/api/v1/interviews/{interview}/code/submit", json={"code": solution}, headers=auth
        )
    ).json()
    assert body["run"]["status"] == "passed"
    assert body["run"]["passed"] == body["run"]["total"]
    assert "pass" in body["interviewer"]["content"].lower()
    runs = (await client.get(f"/api/v1/interviews/{interview}/code/runs", headers=auth)).json()
    assert [r["kind"] for r in runs] == ["submit"]
    space = (await client.get(f"/api/v1/interviews/{interview}/code", headers=auth)).json()
    assert space["code"] == solution and space["last_run"]["status"] == "passed"


async def test_code_is_refused_clearly_outside_coding_rounds_and_for_others(
    client: httpx2.AsyncClient, auth: dict[str, str]
) -> None:
    behavioral = await client.post("/api/v1/interviews", json={"round": "behavioral"}, headers=auth)
    other = behavioral.json()["id"]
    refused = await client.post(
        f"/api/v1/interviews/{other}/code/run", json={"code": "x = 1"}, headers=auth
    )
    assert refused.status_code == 409 and "coding" in refused.json()["detail"]
    interview = await _start(client, auth, "two-sum")
    mallory = await sign_up(client, "mallory")
    for path in ("", "/runs"):
        response = await client.get(f"/api/v1/interviews/{interview}/code{path}", headers=mallory)
        assert response.status_code == 404
    stolen = await client.post(
        f"/api/v1/interviews/{interview}/code/submit", json={"code": WRONG}, headers=mallory
    )
    assert stolen.status_code == 404
    blank = await client.post(
        f"/api/v1/interviews/{interview}/code/run", json={"code": "   "}, headers=auth
    )
    assert blank.status_code == 422


async def test_without_a_sandbox_code_execution_is_refused_with_the_reason(
    database_url: str,
) -> None:
    from tests.conftest import app_client, make_settings

    settings = make_settings(database_url, code_runner="off")
    async with app_client(settings) as api:
        auth = await sign_up(api)
        interview = await _start(api, auth, "two-sum")
        space = (await api.get(f"/api/v1/interviews/{interview}/code", headers=auth)).json()
        assert space["enabled"] is False and "switched off" in space["reason"]
        for action in ("run", "submit"):
            refused = await api.post(
                f"/api/v1/interviews/{interview}/code/{action}",
                json={"code": WRONG},
                headers=auth,
            )
            assert refused.status_code == 503, refused.text
            assert refused.json()["code"] == "code_runner_unavailable"
            assert "switched off" in refused.json()["detail"]
        # nothing was stored: the interview can go on in plain messages
        transcript = (await api.get(f"/api/v1/interviews/{interview}", headers=auth)).json()
        assert len(transcript["messages"]) == 1 and transcript["phase"] == "question"
        said = await api.post(
            f"/api/v1/interviews/{interview}/messages", json={"content": "hash map"}, headers=auth
        )
        assert said.status_code == 201


@pytest.mark.usefixtures("sandbox")
async def test_with_an_llm_the_model_is_told_the_results_and_a_failed_reply_keeps_the_run(
    database_url: str, content: Content
) -> None:
    from tests.conftest import app_client
    from tests.fake_llm import Fail, FakeLLM, Reply
    from tests.helpers import llm_settings

    with FakeLLM() as fake:
        async with app_client(llm_settings(database_url, fake, llm_max_retries=0)) as api:
            auth = await sign_up(api)
            interview = await _start(api, auth, "two-sum")
            fake.script(Fail(500))
            failed = await api.post(
                f"/api/v1/interviews/{interview}/code/submit", json={"code": WRONG}, headers=auth
            )
            assert failed.status_code == 503, failed.text
            # the submission and its results are stored; retry voices them without running again
            runs = (await api.get(f"/api/v1/interviews/{interview}/code/runs", headers=auth)).json()
            assert [r["status"] for r in runs] == ["failed"]
            fake.script(Reply("Let's look at the example that fails."))
            retried = await api.post(f"/api/v1/interviews/{interview}/retry", headers=auth)
            assert retried.status_code == 200, retried.text
            instruction = fake.requests[-1]["messages"][-1]["content"]
            assert "did not pass the tests" in instruction
            assert "two_sum([1, 2, 3], 7)" in instruction
            hidden = [t.call for t in content.questions["two-sum"].code.tests if not t.visible]
            assert not any(call in instruction for call in hidden)
            runs = (await api.get(f"/api/v1/interviews/{interview}/code/runs", headers=auth)).json()
            assert len(runs) == 1


@pytest.mark.usefixtures("sandbox")
async def test_a_submission_whose_run_never_finished_is_run_again_on_retry(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content
) -> None:
    from app.sandbox.runner import RunnerBusy

    interview = await _start(client, auth, "two-sum")
    runner = client.runtime.runner
    real_run = runner.run

    async def busy(**_: object) -> None:
        raise RunnerBusy("every worker is busy")

    runner.run = busy
    solution = content.questions["two-sum"].code.solution
    refused = await client.post(
        f"/api/v1/interviews/{interview}/code/submit", json={"code": solution}, headers=auth
    )
    assert refused.status_code == 429 and refused.json()["code"] == "code_runner_busy"
    assert refused.headers["Retry-After"]
    # the code is stored as the candidate's turn, waiting for its run and the reply
    stored = (await client.get(f"/api/v1/interviews/{interview}", headers=auth)).json()
    assert (
        stored["messages"][-1]["kind"] == "code"
        and solution.strip() in stored["messages"][-1]["content"]
    )
    runner.run = real_run
    retried = await client.post(f"/api/v1/interviews/{interview}/retry", headers=auth)
    assert retried.status_code == 200, retried.text
    assert "pass" in retried.json()["interviewer"]["content"]
    runs = (await client.get(f"/api/v1/interviews/{interview}/code/runs", headers=auth)).json()
    assert [(r["kind"], r["status"]) for r in runs] == [("submit", "passed")]


async def test_healthz_reports_the_latest_self_test_of_the_runner(
    client: httpx2.AsyncClient,
) -> None:
    runner = client._transport.app.state.runtime.runner  # type: ignore[attr-defined]
    assert (await client.get("/healthz")).json()["code"]["available"] is True
    working = runner.backend
    # the sandbox stops working (its Python disappears): the next self-test finds out
    runner.self_test_seconds = 0.0
    runner.backend = dataclasses.replace(working, python="/nonexistent/python3")
    try:
        await client.get("/healthz")  # answers from the last test and starts a new one
        await runner._probe_task
        code = (await client.get("/healthz")).json()["code"]
        assert code["available"] is False and "/nonexistent/python3" in code["reason"]
        await runner._probe_task
    finally:
        runner.backend = working
    await runner.self_test()
    assert (await client.get("/healthz")).json()["code"]["available"] is True
    if runner._probe_task is not None:
        await runner._probe_task
