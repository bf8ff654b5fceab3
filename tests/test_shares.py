"""Share links: read-only, signed out, nothing of the account, views counted; they stop when
revoked or expired, and only their owner manages them."""

from __future__ import annotations

import httpx2

from tests.conftest import SQLITE_ONLY, sign_up
from tests.helpers import PAGE, browser_sign_up, controlled_clock, soup

API = "/api/v1"


async def _scored(client: httpx2.AsyncClient, auth: dict[str, str]) -> str:
    started = await client.post(f"{API}/interviews", json={"round": "ml_theory"}, headers=auth)
    interview_id = started.json()["id"]
    await client.post(
        f"{API}/interviews/{interview_id}/messages",
        json={"content": "Cross-entropy is the negative log-likelihood of a softmax model."},
        headers=auth,
    )
    assert (await client.post(f"{API}/interviews/{interview_id}/finish", headers=auth)).is_success
    return interview_id


def _token(url: str) -> str:
    return url.rsplit("/", 1)[1]


async def test_a_scorecard_link_works_signed_out_until_revoked(
    client: httpx2.AsyncClient, auth: dict[str, str]
) -> None:
    interview_id = await _scored(client, auth)
    created = await client.post(
        f"{API}/shares", json={"kind": "scorecard", "interview_id": interview_id}, headers=auth
    )
    assert created.status_code == 201, created.text
    link = created.json()
    assert link["url"].startswith("http://onsite.test/shared/") and link["active"]
    token = _token(link["url"])

    shared = await client.get(f"{API}/shared/{token}")  # no Authorization
    assert shared.status_code == 200
    assert shared.json()["scorecard"]["criteria"]
    page = await client.get(f"/shared/{token}", headers=PAGE)
    assert page.status_code == 200
    html = soup(page)
    assert html.find("h1").get_text() == "ML theory scorecard"
    assert "alice" not in page.text, "nothing of the account"
    assert not html.select("nav, form, a[href^='/interviews']")
    assert html.find("meta", attrs={"name": "robots"})["content"] == "noindex"

    listed = (await client.get(f"{API}/shares", headers=auth)).json()
    assert listed[0]["views"] == 2 and listed[0]["url"] is None
    assert (await client.delete(f"{API}/shares/{link['id']}", headers=auth)).status_code == 204
    assert (await client.get(f"{API}/shared/{token}")).status_code == 410
    gone = await client.get(f"/shared/{token}", headers=PAGE)
    assert gone.status_code == 410
    assert soup(gone).find("h1").get_text() == "This link no longer works"
    listed = (await client.get(f"{API}/shares", headers=auth)).json()
    assert listed[0]["revoked"] and not listed[0]["active"] and listed[0]["views"] == 2
    assert (await client.get(f"{API}/shared/{'x' * 32}")).status_code == 404


async def test_a_link_stops_when_it_expires(
    client: httpx2.AsyncClient, auth: dict[str, str]
) -> None:
    clock = controlled_clock(client)
    interview_id = await _scored(client, auth)
    link = (
        await client.post(
            f"{API}/shares",
            json={"kind": "scorecard", "interview_id": interview_id, "expires_in_days": 1},
            headers=auth,
        )
    ).json()
    token = _token(link["url"])
    clock.advance(hours=23)
    assert (await client.get(f"{API}/shared/{token}")).status_code == 200
    clock.advance(hours=2)
    assert (await client.get(f"{API}/shared/{token}")).status_code == 410
    assert not (await client.get(f"{API}/shares", headers=auth)).json()[0]["active"]


async def test_only_what_is_finished_and_yours_can_be_shared(
    client: httpx2.AsyncClient, auth: dict[str, str]
) -> None:
    active = (await client.post(f"{API}/interviews", json={"round": "coding"}, headers=auth)).json()
    refused = await client.post(
        f"{API}/shares", json={"kind": "scorecard", "interview_id": active["id"]}, headers=auth
    )
    assert refused.status_code == 409
    run = (await client.post(f"{API}/loops/software-engineer/runs", json={}, headers=auth)).json()
    early = await client.post(
        f"{API}/shares", json={"kind": "packet", "run_id": run["id"]}, headers=auth
    )
    assert early.status_code == 409
    assert (
        await client.post(f"{API}/shares", json={"kind": "packet"}, headers=auth)
    ).status_code == 422
    too_long = await client.post(
        f"{API}/shares",
        json={"kind": "scorecard", "interview_id": active["id"], "expires_in_days": 365},
        headers=auth,
    )
    assert too_long.status_code == 422

    interview_id = await _scored(client, auth)
    mine = (
        await client.post(
            f"{API}/shares", json={"kind": "scorecard", "interview_id": interview_id}, headers=auth
        )
    ).json()
    mallory = await sign_up(client, "mallory")
    stolen = await client.post(
        f"{API}/shares", json={"kind": "scorecard", "interview_id": interview_id}, headers=mallory
    )
    assert stolen.status_code == 404
    assert (await client.delete(f"{API}/shares/{mine['id']}", headers=mallory)).status_code == 404
    assert (await client.get(f"{API}/shares", headers=mallory)).json() == []
    assert (await client.get(f"{API}/shared/{_token(mine['url'])}")).status_code == 200


@SQLITE_ONLY
async def test_a_hiring_packet_is_shared_from_its_page(client: httpx2.AsyncClient) -> None:
    token = await browser_sign_up(client, "packeteer")
    started = await client.post(
        "/loops/software-engineer/runs", headers=PAGE, data={"csrf_token": token}
    )
    run_id = started.headers["location"].rsplit("/", 1)[1]
    for number in range(1, 6):
        round_ = await client.post(
            f"/runs/{run_id}/rounds/{number}", headers=PAGE, data={"csrf_token": token}
        )
        interview_id = round_.headers["location"].rsplit("/", 1)[1]
        await client.post(
            f"/interviews/{interview_id}/finish", headers=PAGE, data={"csrf_token": token}
        )
    packet = soup(await client.get(f"/runs/{run_id}/packet", headers=PAGE))
    form = packet.select_one("form.share-form")
    fields = {i["name"]: i.get("value") for i in form.select("input")}
    assert fields["kind"] == "packet" and fields["target"] == run_id
    created = await client.post(
        "/shares", headers=PAGE, data={**fields, "csrf_token": token, "days": "7"}
    )
    assert created.status_code == 200
    url = soup(created).select_one("#created-link")["value"]
    scorecard = soup(await client.get(f"/interviews/{interview_id}/scorecard", headers=PAGE))
    assert scorecard.select_one("form.share-form input[name=kind]")["value"] == "scorecard"

    client.cookies.clear()  # signed out
    shared = await client.get(url.replace("http://onsite.test", ""), headers=PAGE)
    assert shared.status_code == 200
    page = soup(shared)
    assert page.find("h1").get_text() == "Hiring packet: Software Engineer"
    assert len(page.select("section.round-card")) == 5
    assert not page.select("form, nav, a[download], a[href^='/interviews'], a[href^='/runs']")
    assert "packeteer" not in shared.text
