"""Accounts: the password policy, sign-in limits that hold under concurrency and per address,
and password hashing that never stalls the event loop."""

from __future__ import annotations

import asyncio
import time
from collections import Counter

import httpx2
import pytest

from app.config import Settings
from app.services import users
from tests.conftest import SQLITE_ONLY, app_client, make_settings, sign_up
from tests.helpers import PAGE, soup
from tests.servers import serve

API = "/api/v1"
RIGHT = "correct horse battery"


def client_at(app, address: str) -> httpx2.AsyncClient:
    """Another client of the same app, seen as coming from `address`."""
    transport = httpx2.ASGITransport(app=app, client=(address, 40000))
    return httpx2.AsyncClient(transport=transport, base_url="http://onsite.test")


async def sign_in(api: httpx2.AsyncClient, username: str, password: str) -> httpx2.Response:
    return await api.post(f"{API}/auth/token", data={"username": username, "password": password})


@SQLITE_ONLY  # the password policy is the same on either database
@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password", "too easy to guess: This is a top-10 common password."),
        (" " * 8, 'Repeats like "aaa" are easy to guess.'),
        ("qwertyuiop", "common password"),
        ("ada.lovelace", "must not be the username"),
        ("Ada.Lovelace", "must not be the username"),
        ("ada.lovelace1", "too easy to guess"),
        ("summer2024", "too easy to guess"),
    ],
)
async def test_weak_passwords_are_refused_with_a_clear_422(
    client: httpx2.AsyncClient, password: str, reason: str
) -> None:
    body = {"username": "ada.lovelace", "password": password}
    refused = await client.post(f"{API}/users", json=body)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "invalid"
    assert reason in refused.json()["detail"]
    assert (await sign_in(client, "ada.lovelace", password)).status_code == 401  # nothing stored
    await sign_up(client, "ada.lovelace", RIGHT)  # a good one is taken


async def test_the_sign_up_form_refuses_weak_passwords(client: httpx2.AsyncClient) -> None:
    form = await client.get("/signup", headers=PAGE)
    token = form.text.split('name="csrf-token" content="')[1].split('"')[0]
    fields = {"username": "grace", "csrf_token": token}
    weak = await client.post(
        "/signup", headers=PAGE, data={**fields, "password": "password", "confirm": "password"}
    )
    assert weak.status_code == 422
    alert = soup(weak).find(attrs={"role": "alert"}).get_text()
    assert alert.startswith("The password is too easy to guess: This is a top-10 common password")
    same = await client.post(
        "/signup", headers=PAGE, data={**fields, "password": "grace123", "confirm": "grace123"}
    )
    assert same.status_code == 422
    assert "too easy to guess" in soup(same).find(attrs={"role": "alert"}).get_text()
    good = await client.post(
        "/signup", headers=PAGE, data={**fields, "password": RIGHT, "confirm": RIGHT}
    )
    assert good.status_code == 303


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> Counter:
    """Counts the password checks, by whether the password was the right one."""
    seen: Counter = Counter()
    verify = users.verify_password

    async def counting(password: str, password_hash: str | None, **kwargs) -> bool:
        seen[password == RIGHT] += 1
        return await verify(password, password_hash, **kwargs)

    monkeypatch.setattr(users, "verify_password", counting)
    return seen


async def test_simultaneous_wrong_passwords_are_checked_at_most_the_limit(
    database_url: str, checked: Counter
) -> None:
    settings = make_settings(database_url, login_attempts_per_address=5)
    async with app_client(settings) as api:
        await sign_up(api, "target", RIGHT)
        checked.clear()
        tries = [sign_in(api, "target", f"wrong guess {n}") for n in range(15)]
        codes = Counter(r.status_code for r in await asyncio.gather(*tries))
        assert codes == {401: 5, 429: 10}
        assert checked == {False: 5}, "every password beyond the limit is refused unchecked"
        locked = await sign_in(api, "target", RIGHT)
        assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
        assert checked[True] == 0


async def test_the_right_password_among_simultaneous_wrong_ones_cannot_widen_the_limit(
    database_url: str, checked: Counter
) -> None:
    settings = make_settings(database_url, login_attempts_per_address=5)
    async with app_client(settings) as api:
        await sign_up(api, "target", RIGHT)
        checked.clear()
        tries = [sign_in(api, "target", f"wrong guess {n}") for n in range(14)]
        tries.insert(7, sign_in(api, "target", RIGHT))
        responses = await asyncio.gather(*tries)
        right = responses.pop(7)
        codes = Counter(r.status_code for r in responses)
        assert checked[False] <= 5 and codes[401] == checked[False]
        assert codes[429] == 14 - checked[False]
        # the right one got a token only if it was checked inside the limit
        assert right.status_code == (200 if checked[True] else 429), right.text
        # a success gives its reservation back, so the wrong ones still got at most 5 checks
        # and the limit stays reached for whoever asks next
        assert (await sign_in(api, "target", "one more")).status_code in (401, 429)
        assert checked[False] <= 5


async def test_sign_ins_that_succeed_do_not_count(database_url: str) -> None:
    settings = make_settings(database_url, login_attempts_per_address=3)
    async with app_client(settings) as api:
        await sign_up(api, "regular", RIGHT)
        assert (await sign_in(api, "regular", "typo")).status_code == 401
        for _ in range(6):
            assert (await sign_in(api, "regular", RIGHT)).status_code == 200
        assert [(await sign_in(api, "regular", "typo")).status_code for _ in range(3)] == [
            401,
            401,
            429,
        ]


async def test_a_stranger_cannot_lock_the_owner_out(database_url: str) -> None:
    settings = make_settings(
        database_url, login_attempts_per_address=3, login_attempts_per_user=10
    )
    async with app_client(settings) as owner:
        await sign_up(owner, "owner", RIGHT)
        async with client_at(owner.app, "203.0.113.7") as stranger:
            codes = [(await sign_in(stranger, "owner", "guess")).status_code for _ in range(6)]
            assert codes == [401] * 3 + [429] * 3
            refused = await sign_in(stranger, "owner", RIGHT)
            assert refused.status_code == 429
            assert "from this address" in refused.json()["detail"]
        assert (await sign_in(owner, "owner", RIGHT)).status_code == 200
        # only a guesser spread over many addresses reaches the per-username limit
        for n in range(1, 5):
            async with client_at(owner.app, f"198.51.100.{n}") as guesser:
                for _ in range(3):
                    await sign_in(guesser, "owner", "guess")
        locked = await sign_in(owner, "owner", RIGHT)
        assert locked.status_code == 429
        assert "for this username" in locked.json()["detail"]


async def test_a_very_long_username_is_a_plain_failure(client: httpx2.AsyncClient) -> None:
    assert (await sign_in(client, "x" * 5000, "whatever")).status_code == 401


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("testclient", "testclient"),
    ],
)
def test_an_ipv6_host_is_counted_by_its_64(address: str, counted_as: str) -> None:
    assert users.address_key(address) == counted_as


async def test_healthz_answers_while_sign_ins_hash_at_production_cost(sqlite_url: str) -> None:
    # hashing is the same on either database: one is enough for what this shows
    server = serve(sqlite_url, ONSITE_LOGIN_ATTEMPTS_PER_ADDRESS="100")  # production cost
    try:
        async with httpx2.AsyncClient(base_url=server.base, timeout=60) as api:
            # warm up: the first check also computes the dummy hash unknown names are checked by
            await sign_in(api, "nobody", "warm up the dummy hash")
            began = time.perf_counter()
            sign_ins = [
                asyncio.ensure_future(sign_in(api, f"unknown{n}", "some password"))
                for n in range(12)
            ]
            await asyncio.sleep(0.3)  # the server is hashing by now
            start = time.perf_counter()
            health = await api.get("/healthz")
            answered = time.perf_counter() - start
            assert health.status_code == 200
            codes = {r.status_code for r in await asyncio.gather(*sign_ins)}
            hashing = time.perf_counter() - began
    finally:
        server.stop()
    assert codes == {401}
    # 12 hashes at production cost take seconds; /healthz does not wait for them
    assert hashing > 1.0, hashing
    assert answered < min(0.5, hashing / 4), (answered, hashing)


def test_cheap_password_hashes_are_refused_outside_tests() -> None:
    with pytest.raises(ValueError, match="ONSITE_PASSWORD_HASH_PROFILE=test"):
        Settings(env="development", password_hash_profile="test")
    assert Settings(env="development").password_hash_profile == "production"
