"""Schemathesis against the app's own OpenAPI schema, in-process and signed in: no 5xx and no
response that breaks the schema, on every documented operation. Bounded examples keep it fast."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from starlette.testclient import TestClient

from app.main import create_app
from tests.conftest import make_settings

MAX_EXAMPLES = 12
SIGN_UP = "POST /api/v1/users"
CV_UPLOAD = "POST /api/v1/cv"
TRANSCRIBE = "POST /api/v1/interviews/{interview_id}/transcriptions"
KEEP_RECORDING = "PUT /api/v1/interviews/{interview_id}/messages/{seq}/recordings/{part}"


def test_the_api_keeps_its_contract(database_url: str) -> None:
    # one connection per use: the in-process client runs each request on a new event loop
    app = create_app(make_settings(database_url, database_pool_size=0))
    client = TestClient(app)
    credentials = {"username": "fuzzer", "password": "a long passphrase"}
    assert client.post("/api/v1/users", json=credentials).status_code == 201
    token = client.post("/api/v1/auth/token", data=credentials).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    mine = client.post("/api/v1/interviews", json={"round": "coding"}, headers=auth).json()["id"]
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: dict[str, str] = {}
    # signing out and erasing the account would end the session the fuzzer runs in; both
    # have their own tests (test_reliability.py)
    session_enders = {"POST /api/v1/auth/logout", "DELETE /api/v1/users/me"}
    operations = [result.ok() for result in schema.get_all_operations()]
    operations = [op for op in operations if op.label not in session_enders]
    assert len(operations) >= 14

    for operation in operations:

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,  # the same examples every run: CI never fails by luck
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def exercise(case) -> None:
            # half the time, aim at an interview that exists and is the caller's
            if "interview_id" in (case.path_parameters or {}) and len(repr(case.body)) % 2:
                case.path_parameters["interview_id"] = mine
            # a password must also be hard to guess (zxcvbn), which no JSON Schema can state:
            # a schema-valid one may be refused with the documented 422; likewise a CV upload
            # must be a readable PDF, a recording must be audio, and a spoken answer's word
            # times must be in order and within the recording
            timed = isinstance(case.body, dict) and bool(case.body.get("speech"))
            semantic = (
                case.operation.label in (SIGN_UP, CV_UPLOAD, TRANSCRIBE, KEEP_RECORDING) or timed
            )
            excluded = [positive_data_acceptance] if semantic else []
            case.call_and_validate(headers=auth, excluded_checks=excluded)

        try:
            exercise()
        except Exception as error:
            failures[operation.label] = str(error)[:2000]
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
