"""Faults across processes: dropped connections, a killed server, two servers on one database."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx2
import pytest

from tests.servers import Server, serve

API = "/api/v1"


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    """Servers started by a test, stopped after it whatever happens."""
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


def sign_up(client: httpx2.Client, username: str = "proc") -> dict[str, str]:
    password = "long enough password"
    client.post(f"{API}/users", json={"username": username, "password": password})
    token = client.post(f"{API}/auth/token", data={"username": username, "password": password})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def interview_of(client: httpx2.Client, auth: dict, interview_id: str) -> dict:
    return client.get(f"{API}/interviews/{interview_id}", headers=auth).json()


def stream_until_first_token(client: httpx2.Client, url: str, auth: dict, text: str) -> None:
    """Send an answer, read the stream until the first token, then drop the connection."""
    headers = {**auth, "Accept": "text/event-stream"}
    with client.stream("POST", url, json={"content": text}, headers=headers) as response:
        assert response.status_code == 201
        for line in response.iter_lines():
            if line.startswith("event: token"):
                return
    pytest.fail("no token arrived")


def wait_for(predicate, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    pytest.fail("timed out waiting")


def test_a_dropped_connection_still_stores_the_whole_reply(database_url: str, servers) -> None:
    servers.append(serve(database_url, ONSITE_OFFLINE_WORD_DELAY_MS="30"))
    with httpx2.Client(base_url=servers[0].base, timeout=10) as client:
        auth = sign_up(client)
        interview = client.post(
            f"{API}/interviews", json={"round": "ml_theory"}, headers=auth
        ).json()
        url = f"{API}/interviews/{interview['id']}/messages"
        stream_until_first_token(client, url, auth, "It is maximum likelihood.")
        first = interview_of(client, auth, interview["id"])
        assert first["awaiting_reply"] is True, "the reply was still being written"
        wait_for(lambda: not interview_of(client, auth, interview["id"])["awaiting_reply"])
        messages = interview_of(client, auth, interview["id"])["messages"]
    assert [m["role"] for m in messages] == ["interviewer", "candidate", "interviewer"]
    assert len(messages[2]["content"].split()) > 3


def test_a_killed_server_leaves_a_resumable_interview(database_url: str, servers) -> None:
    servers.append(serve(database_url, ONSITE_OFFLINE_WORD_DELAY_MS="300"))
    with httpx2.Client(base_url=servers[0].base, timeout=10) as client:
        auth = sign_up(client)
        interview = client.post(
            f"{API}/interviews", json={"round": "behavioral"}, headers=auth
        ).json()
        url = f"{API}/interviews/{interview['id']}/messages"
        stream_until_first_token(client, url, auth, "At my last job I fixed a leak.")
    servers[0].kill()
    servers.append(serve(database_url))
    with httpx2.Client(base_url=servers[1].base, timeout=10) as client:
        after = interview_of(client, auth, interview["id"])
        assert after["awaiting_reply"] is True
        assert [m["role"] for m in after["messages"]] == ["interviewer", "candidate"]
        assert after["messages"][1]["content"] == "At my last job I fixed a leak."
        blocked = client.post(url, json={"content": "more"}, headers=auth)
        assert blocked.status_code == 409
        retried = client.post(f"{API}/interviews/{interview['id']}/retry", headers=auth)
        assert retried.status_code == 200
        assert client.post(url, json={"content": "And then?"}, headers=auth).status_code == 201
        final = interview_of(client, auth, interview["id"])
    assert [m["seq"] for m in final["messages"]] == [1, 2, 3, 4, 5]


def test_two_servers_take_turns_on_one_interview(postgres_url: str, servers) -> None:
    servers += [serve(postgres_url), serve(postgres_url)]
    a = httpx2.Client(base_url=servers[0].base, timeout=10)
    b = httpx2.Client(base_url=servers[1].base, timeout=10)
    with a, b:
        auth = sign_up(a, "shared")
        interview = b.post(f"{API}/interviews", json={"round": "ml_theory"}, headers=auth).json()
        url = f"{API}/interviews/{interview['id']}/messages"
        turns = [
            "It relates to maximum likelihood.",
            "Can I get a hint?",
            "The KL divergence to the data distribution.",
            "Can I get a hint?",
        ]
        for number, text in enumerate(turns):
            client = (a, b)[number % 2]
            assert client.post(url, json={"content": text}, headers=auth).status_code == 201
        seen_by_a = interview_of(a, auth, interview["id"])
        seen_by_b = interview_of(b, auth, interview["id"])
        assert seen_by_a == seen_by_b
        assert [m["seq"] for m in seen_by_a["messages"]] == list(range(1, 10))
        assert seen_by_a["hints_used"] == 2
        finished = a.post(f"{API}/interviews/{interview['id']}/finish", headers=auth)
        assert finished.json()["status"] == "scored"
        assert (
            b.get(f"{API}/interviews/{interview['id']}/scorecard", headers=auth).status_code == 200
        )
