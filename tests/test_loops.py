"""Onsite loops: the loop files, runs through the API, the hiring packet and its exports."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import httpx2
import pytest
import yaml
from pypdf import PdfReader

from app.config import PROJECT_ROOT
from app.content.errors import ContentError
from app.content.loader import Content, load_content
from tests.conftest import SQLITE_ONLY, sign_up
from tests.helpers import answer_until_closed

API = "/api/v1"
LOOPS = {
    "applied-research-scientist",
    "research-engineer",
    "ml-engineer-meta",
    "research-software-engineer",
    "ml-engineer",
    "software-engineer",
}


# --- the loop files


def test_every_loop_file_loads_and_names_real_criteria(content: Content) -> None:
    files = {p.stem for p in (PROJECT_ROOT / "loops").glob("*.yaml")}
    assert files == set(content.loops) >= LOOPS
    for loop in content.loops.values():
        assert len(loop.rounds) >= 4, loop.id
        for item in loop.rounds:
            criteria = {c.id for c in content.rubrics[item.round].criteria}
            for named in item.measures.values():
                assert set(named) <= criteria
        measured = {s for item in loop.rounds for s in item.measures}
        assert measured == {s.id for s in loop.signals}


def test_the_seeds_loops_have_their_rounds_in_order(content: Content) -> None:
    rounds = {lid: [r.round.value for r in loop.rounds] for lid, loop in content.loops.items()}
    assert rounds["applied-research-scientist"][:4] == [
        "ml_coding",
        "behavioral",
        "ml_theory",
        "ml_system_design",
    ]
    assert rounds["ml-engineer-meta"].count("coding") == 2
    assert rounds["research-software-engineer"].count("research") == 2


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    for folder in ("questions", "rubrics", "prompts", "loops"):
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    return tmp_path


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d["rounds"][0]["measures"].update(charm=["communication"]), "unknown signal"),
        (
            lambda d: d["rounds"][0]["measures"].update(coding=["charisma"]),
            "unknown criterion charisma",
        ),
        (lambda d: d.update(id="another"), "!= file name"),
        (lambda d: d["rounds"][1].update(round="poetry"), "rounds.1.round"),
        (lambda d: d.update(levels=list(reversed(d["levels"]))), "rising min_overall"),
        (lambda d: d["rounds"][0].update(minutes=45), "minutes"),
    ],
)
def test_a_bad_loop_file_fails_with_its_path_and_reason(
    content_copy: Path, change, reason: str
) -> None:
    path = content_copy / "loops" / "software-engineer.yaml"
    _edit(path, change)
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert str(path) in str(error.value)
    assert reason in str(error.value)


def test_a_signal_no_round_measures_is_refused(content_copy: Path) -> None:
    path = content_copy / "loops" / "software-engineer.yaml"
    _edit(path, lambda d: d["signals"].append({**d["signals"][0], "id": "unused"}))
    with pytest.raises(ContentError, match=r"no round measures signal\(s\) unused"):
        load_content(content_copy)


# --- through the API


async def _start_run(api: httpx2.AsyncClient, auth: dict[str, str], loop: str, **body) -> dict:
    response = await api.post(f"{API}/loops/{loop}/runs", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_loops_are_listed_with_rounds_durations_and_signals(
    client: httpx2.AsyncClient,
) -> None:
    listed = (await client.get(f"{API}/loops")).json()
    assert {loop["id"] for loop in listed} >= LOOPS
    scientist = next(loop for loop in listed if loop["id"] == "applied-research-scientist")
    assert [r["number"] for r in scientist["rounds"]] == [1, 2, 3, 4, 5]
    assert scientist["duration_minutes"] == sum(r["duration_minutes"] for r in scientist["rounds"])
    assert {"ml_fundamentals", "research_judgement"} <= {s["id"] for s in scientist["signals"]}
    one = await client.get(f"{API}/loops/software-engineer")
    assert one.json()["title"] == "Software Engineer"
    assert (await client.get(f"{API}/loops/astronaut")).status_code == 404


async def test_a_run_refuses_an_unknown_level_and_loop(
    client: httpx2.AsyncClient, auth: dict[str, str]
) -> None:
    bad_level = await client.post(
        f"{API}/loops/software-engineer/runs", json={"level": "emperor"}, headers=auth
    )
    assert bad_level.status_code == 422
    assert "junior" in bad_level.json()["detail"]
    unknown = await client.post(f"{API}/loops/astronaut/runs", json={}, headers=auth)
    assert unknown.status_code == 404
    signed_out = await client.post(f"{API}/loops/software-engineer/runs", json={})
    assert signed_out.status_code == 401


async def test_a_loop_runs_end_to_end_to_a_hiring_packet(
    client: httpx2.AsyncClient, auth: dict[str, str], content: Content
) -> None:
    run = await _start_run(client, auth, "software-engineer", level="mid-level")
    assert [r["status"] for r in run["rounds"]] == ["not_started"] * 5
    assert run["next_round"] == 1 and not run["complete"]
    early = await client.get(f"{API}/runs/{run['id']}/packet", headers=auth)
    assert early.status_code == 409
    assert "Coding 1" in early.json()["detail"]
    asked: list[str] = []
    for number in range(1, 6):
        started = await client.post(f"{API}/runs/{run['id']}/rounds/{number}", headers=auth)
        assert started.status_code == 201, started.text
        interview = started.json()
        spec = content.loops["software-engineer"].rounds[number - 1]
        assert interview["round"] == spec.round.value
        assert interview["duration_minutes"] == spec.duration_minutes
        assert interview["role"] == "Software Engineer" and interview["level"] == "mid-level"
        again = await client.post(f"{API}/runs/{run['id']}/rounds/{number}", headers=auth)
        assert again.status_code == 200 and again.json()["id"] == interview["id"]
        asked += [q["id"] for q in interview["questions"]]
        await answer_until_closed(client, auth, content, interview)
    # two coding rounds of one loop never ask the same question
    assert len(asked) == len(set(asked))
    run = (await client.get(f"{API}/runs/{run['id']}", headers=auth)).json()
    assert run["complete"] and run["next_round"] is None
    assert {r["status"] for r in run["rounds"]} == {"scored"}

    packet = (await client.get(f"{API}/runs/{run['id']}/packet", headers=auth)).json()
    assert len(packet["rounds"]) == 5
    assert {s["id"] for s in packet["signals"]} == {
        "coding",
        "design",
        "fundamentals",
        "collaboration",
        "communication",
    }
    coding = next(s for s in packet["signals"] if s["id"] == "coding")
    assert [r["round_title"] for r in coding["rounds"]] == ["Coding 1", "Coding 2"]
    assert coding["evidence"] and all(e["rationale"] for e in coding["evidence"])
    decision = packet["decision"]
    assert decision["recommendation"] in ("strong_hire", "hire", "no_hire", "strong_no_hire")
    assert decision["reasons"] and decision["target_level"] == "mid-level"

    markdown = await client.get(f"{API}/runs/{run['id']}/packet?format=markdown", headers=auth)
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "# Hiring packet: Software Engineer" in markdown.text
    assert "## Disagreements between rounds" in markdown.text
    pdf = await client.get(f"{API}/runs/{run['id']}/packet?format=pdf", headers=auth)
    assert pdf.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Hiring packet: Software Engineer" in text
    assert "Coding 2" in text


@SQLITE_ONLY
async def test_a_deleted_round_interview_can_be_taken_again(
    client: httpx2.AsyncClient, auth: dict[str, str]
) -> None:
    run = await _start_run(client, auth, "ml-engineer")
    first = (await client.post(f"{API}/runs/{run['id']}/rounds/2", headers=auth)).json()
    assert (await client.delete(f"{API}/interviews/{first['id']}", headers=auth)).status_code == 204
    state = (await client.get(f"{API}/runs/{run['id']}", headers=auth)).json()
    assert state["rounds"][1]["status"] == "not_started"
    again = await client.post(f"{API}/runs/{run['id']}/rounds/2", headers=auth)
    assert again.status_code == 201 and again.json()["id"] != first["id"]
    assert (await client.post(f"{API}/runs/{run['id']}/rounds/7", headers=auth)).status_code == 404
    assert (await client.post(f"{API}/runs/{run['id']}/rounds/0", headers=auth)).status_code == 422


async def test_another_user_sees_none_of_a_run(
    client: httpx2.AsyncClient, auth: dict[str, str]
) -> None:
    run = await _start_run(client, auth, "research-engineer")
    started = (await client.post(f"{API}/runs/{run['id']}/rounds/1", headers=auth)).json()
    mallory = await sign_up(client, "mallory")
    for method, path in [
        ("GET", f"/runs/{run['id']}"),
        ("POST", f"/runs/{run['id']}/rounds/1"),
        ("POST", f"/runs/{run['id']}/rounds/2"),
        ("GET", f"/runs/{run['id']}/packet"),
        ("GET", f"/runs/{run['id']}/packet?format=pdf"),
        ("DELETE", f"/runs/{run['id']}"),
        ("GET", f"/interviews/{started['id']}"),
    ]:
        response = await client.request(method, f"{API}{path}", headers=mallory)
        assert response.status_code == 404, (method, path, response.text)
    assert (await client.get(f"{API}/runs", headers=mallory)).json() == []
    mine = (await client.get(f"{API}/runs", headers=auth)).json()
    assert [r["id"] for r in mine] == [run["id"]]
    assert (await client.delete(f"{API}/runs/{run['id']}", headers=auth)).status_code == 204
    # the round's interview stays in the history
    assert (await client.get(f"{API}/interviews/{started['id']}", headers=auth)).status_code == 200
    assert (await client.get(f"{API}/runs/{run['id']}", headers=auth)).status_code == 404
