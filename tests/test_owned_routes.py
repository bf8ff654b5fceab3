"""Every route about a loop run, a practice item or a share link answers 404 to anyone but
its owner, through the API and the pages alike. Routes are enumerated from the app, so a route
added later is checked without editing this file."""

from __future__ import annotations

import re

import httpx2

from tests.conftest import sign_up
from tests.helpers import PAGE, browser_sign_up, controlled_clock, every_route, weak_interview

API = "/api/v1"
OWNED = {"run_id", "item_id", "link_id"}
# every parameter such a route may have besides the owned one
ALSO = {"number": "1", "fmt": "pdf", "format": "json"}
BODIES = {
    "RunCreate": {},
    "DrillAnswer": {"answer": "A drill answer from someone else."},
    "ShareCreate": {"kind": "scorecard"},
    "ScorecardShare": {"kind": "scorecard"},
}


async def test_every_owned_route_is_not_found_for_another_user(
    client: httpx2.AsyncClient, auth: dict[str, str], content
) -> None:
    controlled_clock(client)
    scored = await weak_interview(client, auth, content, content.questions_for("ml_theory")[0].id)
    run = (await client.post(f"{API}/loops/software-engineer/runs", json={}, headers=auth)).json()
    for number in range(1, 6):
        started = (
            await client.post(f"{API}/runs/{run['id']}/rounds/{number}", headers=auth)
        ).json()
        await client.post(f"{API}/interviews/{started['id']}/finish", headers=auth)
    item = (await client.get(f"{API}/practice", headers=auth)).json()["items"][0]
    link = (
        await client.post(
            f"{API}/shares", json={"kind": "packet", "run_id": run["id"]}, headers=auth
        )
    ).json()
    ids = {"run_id": run["id"], "item_id": str(item["id"]), "link_id": str(link["id"])}

    intruder_api = await sign_up(client, "intruder")
    intruder_csrf = await browser_sign_up(client, "intruder_web")
    checked = []
    for route in every_route(client.app.routes):
        named = set(re.findall(r"{(\w+)}", route.path))
        if not named & OWNED:
            continue
        assert named <= OWNED | set(ALSO), f"{route.path}: add its parameters to this test"
        path = route.path
        for name, value in {**ids, **ALSO}.items():
            path = path.replace(f"{{{name}}}", value)
        api = route.path.startswith("/api/")
        for method in sorted(route.methods):
            headers = intruder_api if api else {**PAGE, "X-CSRF-Token": intruder_csrf}
            kwargs: dict = {"headers": headers}
            if method == "POST" and api:
                body = [p.field_info.annotation.__name__ for p in route.dependant.body_params]
                kwargs["json"] = BODIES[body[0]] if body else None
            elif method == "POST":
                kwargs["data"] = {"csrf_token": intruder_csrf, "answer": "mine now"}
            response = await client.request(method, path, **kwargs)
            assert response.status_code == 404, (method, path, response.status_code)
            checked.append((method, route.path))
    assert len(checked) >= 14, checked
    # and nothing changed for the owner
    mine = (await client.get(f"{API}/runs/{run['id']}", headers=auth)).json()
    assert mine["complete"]
    assert (await client.get(f"{API}/shares", headers=auth)).json()[0]["active"]
    assert (await client.get(f"{API}/practice/items/{item['id']}", headers=auth)).is_success
    assert scored["status"] == "scored"
