"""Model answers, key points and hidden tests reach the candidate only once the interview is over.

Every route is enumerated from the app itself (the OpenAPI document for the API, the router for
the web pages), so a route added later is checked without editing this file; a route this file
cannot call (a new request body, a new path parameter) fails the test until it is described.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import httpx2
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from app.content.loader import Content
from app.content.models import Question, RoundType
from app.engine.topics import CV_QUESTION_ID
from app.store.models import Interview as StoredInterview
from tests.conftest import app_client
from tests.fake_llm import FakeLLM
from tests.helpers import (
    CV,
    CV_QUESTION,
    PAGE,
    browser_sign_up,
    every_route,
    llm_settings,
    writing_cv_question,
)
from tests.speech_helpers import wav_bytes

API = "/api/v1"
PASSWORD = "long enough to pass"  # browser_sign_up's
# shorter strings (an expected value "3", a call "f(x)") say nothing on their own
MIN_SECRET = 12
# routes whose answer is meant to show the hidden material (finishing scores the interview),
# or that end the account or session, or answer with no body: each with the reason
NOT_CHECKED = {
    ("POST", f"{API}/interviews/{{interview_id}}/finish"): "ends the interview",
    ("POST", "/interviews/{interview_id}/finish"): "ends the interview (a redirect)",
    ("DELETE", f"{API}/interviews/{{interview_id}}"): "deletes it, 204 without a body",
    ("POST", "/interviews/{interview_id}/delete"): "deletes it, a redirect",
    ("DELETE", f"{API}/users/me"): "erases the account",
    ("POST", f"{API}/auth/logout"): "ends the session",
    ("POST", "/logout"): "ends the session",
    ("POST", f"{API}/users"): "creates an account, shows no interview",
    ("POST", f"{API}/auth/token"): "signs in, shows no interview",
    ("POST", "/signup"): "creates an account, shows no interview",
    ("POST", "/login"): "signs in, shows no interview",
    ("POST", f"{API}/interviews"): "checked for each interview as it starts",
    ("POST", "/interviews"): "checked for each interview as it starts (a redirect)",
    ("POST", f"{API}/runs/{{run_id}}/rounds/{{number}}"): "starts a round's interview, shown "
    "as POST /interviews shows it (checked as each interview starts)",
    ("DELETE", f"{API}/runs/{{run_id}}"): "deletes the run, 204 without a body",
    ("POST", "/runs/{run_id}/delete"): "deletes the run, a redirect",
    ("POST", f"{API}/cv"): "reads a PDF sent to it, shows no interview",
    ("POST", "/loops/{loop_id}/runs"): "starts a run (a redirect), shows no interview",
}
# path parameters of routes about other things than the interview: what to call them with
# (the run is one the test's user started; the other ids need not exist)
OTHER_PARAMS = {
    "loop_id": "software-engineer",
    "number": "1",
    "item_id": "1",
    "link_id": "1",
    "token": "t" * 32,
    # a kept recording of the interview's second message (the first answer)
    "seq": "2",
    "part": "1",
}
# form fields of browser forms beyond the CSRF token, with a value to send
FORM_FIELDS = {
    "answer": "I would explain it step by step.",
    "kind": "scorecard",
    "days": "7",
    "keep_recordings": "on",
}


@dataclass
class Interview:
    id: str
    questions: list[Question]

    def secrets(self) -> dict[str, str]:
        """Each hidden string of its questions, named, minus what the candidate may see of any
        of them: two-sum's hidden "(None, None)" is merge-k-sorted-lists' visible expectation."""
        found = {}
        visible = normalise(" ".join(text for q in self.questions for text in _visible(q)))
        for question in self.questions:
            hidden = {f"{question.id} model answer": line for line in question.model_answer}
            hidden |= {f"{question.id} key point {k.id}": k.text for k in question.key_points}
            for test in question.code.tests if question.code else ():
                if not test.visible:
                    for part in ("setup", "call", "expect", "check"):
                        hidden[f"{question.id} hidden test {test.name} {part}"] = (
                            getattr(test, part) or ""
                        )
            for name, text in hidden.items():
                text = normalise(text)
                if len(text) >= MIN_SECRET and text not in visible:
                    found[name] = text
        return found


def _visible(question: Question) -> Iterator[str]:
    yield from (question.title, question.prompt, *(step.text for step in question.hints))
    yield from (f.prompt for f in question.follow_ups)
    if question.code:
        yield question.code.starter
        for test in question.code.visible_tests:
            yield from (test.setup, test.call, test.expect or "", test.check or "")


def normalise(text: str) -> str:
    return " ".join(text.split())


def shown(response: httpx2.Response) -> str:
    """Everything a response shows, with HTML and JSON escapes undone."""
    parts = [html.unescape(response.text)]
    bodies = [response.text]
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        bodies = [line[5:] for line in response.text.splitlines() if line.startswith("data:")]
    for body in bodies:
        try:
            parts += list(_strings(json.loads(body)))
        except ValueError:
            continue
    return normalise("\n".join(parts))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def leaks(response: httpx2.Response, interview: Interview) -> list[str]:
    text = shown(response)
    return [name for name, secret in interview.secrets().items() if secret in text]


@dataclass
class Call:
    method: str
    route: str
    path: str
    kwargs: dict


def _other_params(path: str, run_id: str) -> str:
    for name, value in {**OTHER_PARAMS, "run_id": run_id}.items():
        path = path.replace(f"{{{name}}}", value)
    return path


def api_calls(app: FastAPI, interview: Interview, bodies: dict, run_id: str = "") -> Iterator[Call]:
    """Every API operation in the OpenAPI document, with every enumerated query value."""
    for route, operations in app.openapi()["paths"].items():
        for method, operation in operations.items():
            method = method.upper()
            if (method, route) in NOT_CHECKED:
                continue
            params = operation.get("parameters", [])
            named = {p["name"] for p in params if p["in"] == "path"}
            known = {"interview_id", "round_id", "run_id", *OTHER_PARAMS}
            assert named <= known, f"{route}: describe {named} here"
            paths = [_other_params(route.replace("{interview_id}", interview.id), run_id)]
            if "round_id" in named:
                paths = [paths[0].replace("{round_id}", r.value) for r in RoundType]
            variants: list[dict] = [{}]
            for param in params:
                schema = param.get("schema", {})
                values = schema.get("enum") or [
                    v for s in schema.get("anyOf", []) for v in s.get("enum", [])
                ]
                if param["in"] == "query" and values:
                    variants += [{"params": {param["name"]: v}} for v in values]
                if param["in"] == "header" and param["name"] == "accept":
                    variants += [{"headers": {"Accept": "text/event-stream"}}]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None:
                # a union of bodies (one per kind) is called with its first
                schema = body["schema"]
                model = (schema.get("$ref") or schema["oneOf"][0]["$ref"]).rsplit("/", 1)[1]
                assert model in bodies, f"{method} {route}: add an example {model} body here"
            for path in paths:
                for variant in variants:
                    kwargs = {**variant}
                    if body is not None:
                        kwargs["json"] = bodies[model]
                    yield Call(method, route, path, kwargs)


def web_calls(
    app: FastAPI, interview: Interview, bodies: dict, csrf: str, run_id: str = ""
) -> Iterator[Call]:
    """Every page and browser endpoint (left out of the OpenAPI document)."""
    for route in every_route(app.routes):
        if route.include_in_schema or not isinstance(route, APIRoute):
            continue
        named = set(re.findall(r"{(\w+)}", route.path))
        known = {"interview_id", "fmt", "run_id", *OTHER_PARAMS}
        assert named <= known, f"{route.path}: describe {named} here"
        for method in sorted(route.methods):
            if (method, route.path) in NOT_CHECKED:
                continue
            path = _other_params(route.path.replace("{interview_id}", interview.id), run_id)
            formats = ("md", "json", "pdf") if route.path.startswith("/runs/") else ("md", "json")
            paths = [path.replace("{fmt}", f) for f in formats] if "fmt" in named else [path]
            kwargs: dict = {"headers": {**PAGE, "X-CSRF-Token": csrf}}
            if method == "POST":
                models = [p.field_info.annotation for p in route.dependant.body_params]
                names = [getattr(m, "__name__", str(m)) for m in models]
                json_bodies = [n for n in names if n in bodies]
                if json_bodies:
                    kwargs["json"] = bodies[json_bodies[0]]
                elif route.path.endswith("/transcriptions"):  # a recorded answer
                    kwargs["files"] = {"audio": ("answer.wav", wav_bytes(0.5), "audio/wav")}
                else:
                    fields = {p.alias for p in route.dependant.body_params}
                    described = {"csrf_token", "target", *FORM_FIELDS}
                    assert fields <= described, f"POST {route.path}: describe {fields} here"
                    form = {f: v for f, v in FORM_FIELDS.items() if f in fields}
                    if "target" in fields:
                        form["target"] = interview.id
                    kwargs["data"] = {"csrf_token": csrf, **form}
            for each in paths:
                yield Call(method, route.path, each, kwargs)


ROUNDS = list(RoundType)


async def _signed_in(api: httpx2.AsyncClient) -> tuple[str, dict[str, str], str]:
    """A browser session's CSRF token, the same user's API headers, and a loop run of theirs."""
    csrf = await browser_sign_up(api)
    token = await api.post(f"{API}/auth/token", data={"username": "webuser", "password": PASSWORD})
    auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
    run = await api.post(f"{API}/loops/software-engineer/runs", json={}, headers=auth)
    return csrf, auth, run.json()["id"]


async def _call_every_route(
    api: httpx2.AsyncClient, interview: Interview, auth: dict[str, str], csrf: str, run_id: str
) -> set[tuple[str, str]]:
    """Call every route about the active interview; none may show its hidden material."""
    assert interview.secrets(), "the check needs something to look for"
    first = interview.questions[0]
    bodies = {
        "MessageCreate": {"content": "I would start from the basics. Can I get a hint?"},
        "TurnForm": {"content": "Let me think about the edge cases first."},
        "CodeCreate": {"code": first.code.starter if first.code else "x = 1"},
        "RunCreate": {"level": "mid-level"},
        "DrillAnswer": {"answer": "I would explain it step by step."},
        "ScorecardShare": {"kind": "scorecard", "interview_id": interview.id},
        "SpeakCreate": {"text": "Tell me about a time you led a project."},
        "AccountSettingsUpdate": {"keep_recordings": True},
    }
    calls = [
        *api_calls(api.app, interview, bodies, run_id),
        *web_calls(api.app, interview, bodies, csrf, run_id),
    ]
    checked = set()
    for call in calls:
        headers = {**auth, **call.kwargs.get("headers", {})}
        if not call.path.startswith(API):
            headers.pop("Authorization")
        response = await api.request(call.method, call.path, **{**call.kwargs, "headers": headers})
        # 501: speech needs a server this app is not configured with (and says so)
        assert response.status_code < 500 or response.status_code == 501, (
            call.method,
            call.path,
            response.text,
        )
        assert leaks(response, interview) == [], (call.method, call.path)
        checked.add((call.method, call.route))
    status = (await api.get(f"{API}/interviews/{interview.id}", headers=auth)).json()
    assert status["status"] == "active", "the calls above must not end the interview"
    return checked


async def test_no_route_shows_hidden_material_before_the_interview_ends(
    settings, content: Content
) -> None:
    async with app_client(settings) as api:
        app = api.app
        csrf, auth, run_id = await _signed_in(api)
        checked: set[tuple[str, str]] = set()
        for round_type in ROUNDS:
            started = await api.post(
                f"{API}/interviews", json={"round": round_type.value}, headers=auth
            )
            assert started.status_code == 201, started.text
            questions = [content.questions[q["id"]] for q in started.json()["questions"]]
            interview = Interview(started.json()["id"], questions)
            assert leaks(started, interview) == []
            checked |= await _call_every_route(api, interview, auth, csrf, run_id)
            # once finished, the transcript shows the model answer: the check can see it
            await api.post(f"{API}/interviews/{interview.id}/finish", headers=auth)
            after = await api.get(
                f"{API}/interviews/{interview.id}/transcript",
                params={"format": "markdown"},
                headers=auth,
            )
            assert any("model answer" in name for name in leaks(after, interview))
        routes = {(m, r.path) for r in every_route(app.routes) for m in r.methods}
        assert routes - checked - set(NOT_CHECKED) == set()
        assert len(checked) >= 25, sorted(checked)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_no_route_shows_the_key_points_of_a_question_written_about_the_cv(
    database_url: str, fake_llm: FakeLLM, content: Content
) -> None:
    fake_llm.json_responder = writing_cv_question(CV_QUESTION)
    async with app_client(llm_settings(database_url, fake_llm)) as api:
        csrf, auth, run_id = await _signed_in(api)
        started = await api.post(
            f"{API}/interviews", json={"round": "behavioral", "cv": CV}, headers=auth
        )
        assert started.status_code == 201, started.text
        tailoring = await _stored_tailoring(api, started.json()["id"])
        written = Question.model_validate(tailoring["question"])
        assert written.id == started.json()["questions"][0]["id"] == CV_QUESTION_ID
        interview = Interview(started.json()["id"], [written])
        assert leaks(started, interview) == []
        checked = await _call_every_route(api, interview, auth, csrf, run_id)
        assert len(checked) >= 25, sorted(checked)


async def _stored_tailoring(api, interview_id: str) -> dict:
    async with api.runtime.reading() as session:
        stored = await session.get(StoredInterview, uuid.UUID(interview_id))
    assert stored is not None and stored.tailoring is not None
    return stored.tailoring


@pytest.mark.parametrize("fmt", ["markdown", "json"])
async def test_the_exported_transcript_of_an_active_interview_has_no_model_answer(
    client: httpx2.AsyncClient, auth: dict, content: Content, fmt: str
) -> None:
    question = content.questions_for(RoundType.ml_theory)[0]
    started = await client.post(
        f"{API}/interviews", json={"round": "ml_theory", "question_id": question.id}, headers=auth
    )
    interview_id = started.json()["id"]
    url = f"{API}/interviews/{interview_id}/transcript"
    during = await client.get(url, params={"format": fmt}, headers=auth)
    assert during.status_code == 200
    assert question.model_answer[0] not in shown(during)
    await client.post(f"{API}/interviews/{interview_id}/finish", headers=auth)
    after = await client.get(url, params={"format": fmt}, headers=auth)
    assert normalise(question.model_answer[0]) in shown(after)
