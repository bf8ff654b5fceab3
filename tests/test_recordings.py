"""Keeping the recordings of spoken answers, only for a user who opted in ("Keep my
recordings"): the setting, the upload to a stored message, playback by the owner alone, the
limits, and deletion (one message's, all of them, with the interview, with the account). On
SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx2
import pytest
from sqlalchemy import func
from sqlmodel import select

from app.config import Settings
from app.store.models import MessageRecording
from tests.conftest import AppClient, app_client, make_settings, sign_up
from tests.helpers import PAGE, browser_sign_up, soup, start_in_browser
from tests.speech_helpers import wav_bytes

API = "/api/v1"
# the first bytes of what Chromium's MediaRecorder writes (EBML, WebM): enough to be sniffed
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01" + b"webm opus frames " * 200
SPOKEN = {
    "duration_seconds": 3.0,
    "words": [
        {"word": "I", "start": 0.2, "end": 0.4},
        {"word": "would", "start": 0.5, "end": 0.8},
        {"word": "shard", "start": 0.9, "end": 1.3},
    ],
    "timing": "word",
    "source": "server",
}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url, stt_max_bytes=30_000, max_body_bytes=8 * 1024)


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[AppClient]:
    async with app_client(settings) as client:
        yield client


async def spoken_answer(api: httpx2.AsyncClient, auth: dict[str, str]) -> str:
    """A new interview whose message 2 is a spoken answer; its id."""
    created = await api.post(f"{API}/interviews", json={"round": "behavioral"}, headers=auth)
    assert created.status_code == 201, created.text
    interview = str(created.json()["id"])
    turn = await api.post(
        f"{API}/interviews/{interview}/messages",
        json={"content": "I would shard by user.", "speech": SPOKEN},
        headers=auth,
    )
    assert turn.status_code == 201, turn.text
    assert turn.json()["candidate"]["seq"] == 2
    return interview


async def opt_in(api: httpx2.AsyncClient, auth: dict[str, str], on: bool = True) -> dict:
    changed = await api.patch(
        f"{API}/users/me/settings", json={"keep_recordings": on}, headers=auth
    )
    assert changed.status_code == 200, changed.text
    return changed.json()


async def upload(
    api: httpx2.AsyncClient,
    auth: dict[str, str],
    interview: str,
    data: bytes,
    *,
    seq: int = 2,
    part: int = 1,
    name: str = "answer.wav",
    media: str = "audio/wav",
) -> httpx2.Response:
    return await api.put(
        f"{API}/interviews/{interview}/messages/{seq}/recordings/{part}",
        files={"audio": (name, data, media)},
        data={"duration_seconds": "1.5"},
        headers=auth,
    )


async def stored_rows(api: AppClient) -> int:
    async with api.runtime.sessions() as session:
        count = (await session.exec(select(func.count()).select_from(MessageRecording))).one()
    return int(count)


async def test_the_setting_is_off_by_default_and_changed_through_the_api(api: AppClient) -> None:
    auth = await sign_up(api)
    read = await api.get(f"{API}/users/me/settings", headers=auth)
    assert read.status_code == 200
    assert read.json() == {"keep_recordings": False, "recordings_kept": 0, "recording_bytes": 0}
    assert (await opt_in(api, auth))["keep_recordings"] is True
    unchanged = await api.patch(f"{API}/users/me/settings", json={}, headers=auth)
    assert unchanged.json()["keep_recordings"] is True
    for bad in ({"keep_recordings": "perhaps"}, {"keep_everything": True}):
        refused = await api.patch(f"{API}/users/me/settings", json=bad, headers=auth)
        assert refused.status_code == 422, refused.text
    assert (await opt_in(api, auth, on=False))["keep_recordings"] is False
    assert (await api.get(f"{API}/users/me/settings")).status_code == 401


async def test_without_the_opt_in_an_upload_is_refused_and_nothing_is_stored(
    api: AppClient,
) -> None:
    auth = await sign_up(api)
    interview = await spoken_answer(api, auth)
    refused = await upload(api, auth, interview, wav_bytes(1.5))
    assert refused.status_code == 403, refused.text
    body = refused.json()
    assert body["code"] == "forbidden"
    assert "Keep my recordings" in body["detail"] and "nothing was stored" in body["detail"]
    assert await stored_rows(api) == 0
    assert (await api.get(f"{API}/interviews/{interview}/recordings", headers=auth)).json() == []
    played = await api.get(f"{API}/interviews/{interview}/messages/2/recordings/1", headers=auth)
    assert played.status_code == 404


async def test_an_opted_in_recording_is_kept_and_played_back_by_its_owner(
    api: AppClient,
) -> None:
    auth = await sign_up(api)
    await opt_in(api, auth)
    interview = await spoken_answer(api, auth)
    recording = wav_bytes(1.5)
    kept = await upload(api, auth, interview, recording)
    assert kept.status_code == 201, kept.text
    url = f"{API}/interviews/{interview}/messages/2/recordings/1"
    described = kept.json()
    assert described["url"] == url
    assert (described["seq"], described["part"], described["media_type"]) == (2, 1, "audio/wav")
    assert described["size"] == len(recording)
    assert described["duration_seconds"] == pytest.approx(1.5)  # read from the WAV header
    played = await api.get(url, headers=auth)
    assert played.status_code == 200
    assert played.headers["content-type"] == "audio/wav"
    assert played.headers["cache-control"] == "private, no-store"
    assert played.content == recording
    # a second take of the same answer, as the browser records it (WebM), whatever it is called
    second = await upload(api, auth, interview, WEBM, part=2, name="x.bin", media="text/plain")
    assert second.status_code == 201, second.text
    assert second.json()["media_type"] == "audio/webm"
    assert second.json()["duration_seconds"] == pytest.approx(1.5)  # as the client measured
    webm = await api.get(f"{API}/interviews/{interview}/messages/2/recordings/2", headers=auth)
    assert (webm.headers["content-type"], webm.content) == ("audio/webm", WEBM)
    listed = (await api.get(f"{API}/interviews/{interview}/recordings", headers=auth)).json()
    assert [(r["seq"], r["part"], r["size"]) for r in listed] == [
        (2, 1, len(recording)),
        (2, 2, len(WEBM)),
    ]
    # sent again (a retry), a take replaces itself
    again = await upload(api, auth, interview, wav_bytes(0.5))
    assert again.status_code == 201
    assert await stored_rows(api) == 2
    assert (await api.get(url, headers=auth)).content == wav_bytes(0.5)
    summary = (await api.get(f"{API}/users/me/settings", headers=auth)).json()
    assert summary["recordings_kept"] == 2
    export = (await api.get(f"{API}/users/me/export", headers=auth)).json()
    assert export["keep_recordings"] is True
    assert [r["url"] for r in export["recordings"]] == [url, url[:-1] + "2"]
    assert summary["recording_bytes"] == len(wav_bytes(0.5)) + len(WEBM)


async def test_another_user_gets_404_on_every_recording_route(api: AppClient) -> None:
    owner = await sign_up(api)
    await opt_in(api, owner)
    interview = await spoken_answer(api, owner)
    assert (await upload(api, owner, interview, wav_bytes(1.0))).status_code == 201
    intruder = await sign_up(api, "intruder")
    await opt_in(api, intruder)  # opted in too: still not theirs
    base = f"{API}/interviews/{interview}"
    attempts = [
        await upload(api, intruder, interview, wav_bytes(0.5)),
        await api.get(f"{base}/messages/2/recordings/1", headers=intruder),
        await api.get(f"{base}/recordings", headers=intruder),
        await api.delete(f"{base}/messages/2/recordings", headers=intruder),
    ]
    assert [a.status_code for a in attempts] == [404] * 4, [a.text for a in attempts]
    # deleting "all my recordings" and the settings only ever reach the caller's own
    assert (await api.delete(f"{API}/users/me/recordings", headers=intruder)).status_code == 204
    theirs = (await api.get(f"{API}/users/me/settings", headers=intruder)).json()
    assert theirs["recordings_kept"] == 0
    await opt_in(api, intruder, on=False)
    mine = (await api.get(f"{API}/users/me/settings", headers=owner)).json()
    assert mine == {
        "keep_recordings": True,
        "recordings_kept": 1,
        "recording_bytes": len(wav_bytes(1.0)),
    }
    played = await api.get(f"{base}/messages/2/recordings/1", headers=owner)
    assert played.content == wav_bytes(1.0)


@pytest.mark.parametrize(
    ("data", "status", "code", "words"),
    [
        (wav_bytes(1.0) + b"\x00" * 22_000, 413, "too_large", "the limit is 30,000"),
        (wav_bytes(20.0), 413, "too_large", "larger than the limit"),  # 160 kB: refused unread
        (b"<html>not a recording</html>", 415, "unsupported_media_type", "WebM, Ogg, WAV"),
        (b"", 422, "invalid", "empty"),
    ],
    ids=["over-the-limit", "far-over", "not-audio", "empty"],
)
async def test_recordings_over_the_limit_or_not_audio_are_refused(
    api: AppClient, data: bytes, status: int, code: str, words: str
) -> None:
    auth = await sign_up(api)
    await opt_in(api, auth)
    interview = await spoken_answer(api, auth)
    refused = await upload(api, auth, interview, data)
    assert refused.status_code == status, refused.text
    assert refused.json()["code"] == code
    assert words in refused.json()["detail"]
    assert await stored_rows(api) == 0


async def test_only_a_spoken_answer_of_the_interview_takes_a_recording(api: AppClient) -> None:
    auth = await sign_up(api)
    await opt_in(api, auth)
    interview = await spoken_answer(api, auth)
    typed = await api.post(
        f"{API}/interviews/{interview}/messages", json={"content": "Typed."}, headers=auth
    )
    assert typed.status_code == 201
    cases = {
        4: 409,  # typed
        1: 409,  # the interviewer's opening
        99: 404,  # no such message
    }
    for seq, status in cases.items():
        refused = await upload(api, auth, interview, wav_bytes(0.5), seq=seq)
        assert refused.status_code == status, (seq, refused.text)
    assert "not a spoken answer" in (await upload(api, auth, interview, b"", seq=4)).text
    for part in (0, 11):
        assert (await upload(api, auth, interview, wav_bytes(0.5), part=part)).status_code == 422
    assert await stored_rows(api) == 0


async def test_turning_the_setting_off_keeps_no_new_ones_and_deleting_removes_them(
    api: AppClient,
) -> None:
    auth = await sign_up(api)
    await opt_in(api, auth)
    first = await spoken_answer(api, auth)
    second = await spoken_answer(api, auth)
    for interview in (first, second):
        assert (await upload(api, auth, interview, wav_bytes(0.5))).status_code == 201
    await opt_in(api, auth, on=False)
    assert (await upload(api, auth, first, wav_bytes(0.5), part=2)).status_code == 403
    assert await stored_rows(api) == 2  # turning it off deletes nothing by itself
    # one message's recording
    gone = await api.delete(f"{API}/interviews/{first}/messages/2/recordings", headers=auth)
    assert gone.status_code == 204
    assert (await api.get(f"{API}/interviews/{first}/recordings", headers=auth)).json() == []
    transcript = (await api.get(f"{API}/interviews/{first}", headers=auth)).json()
    assert transcript["messages"][1]["content"] == "I would shard by user."  # the words stay
    # all of them
    assert (await api.delete(f"{API}/users/me/recordings", headers=auth)).status_code == 204
    assert await stored_rows(api) == 0
    assert (await api.get(f"{API}/users/me/settings", headers=auth)).json()["recordings_kept"] == 0


async def test_deleting_the_interview_or_the_account_deletes_its_recordings(
    api: AppClient,
) -> None:
    auth = await sign_up(api)
    await opt_in(api, auth)
    interview = await spoken_answer(api, auth)
    kept = await spoken_answer(api, auth)
    for each in (interview, kept):
        assert (await upload(api, auth, each, wav_bytes(0.5))).status_code == 201
    assert (await api.delete(f"{API}/interviews/{interview}", headers=auth)).status_code == 204
    assert await stored_rows(api) == 1
    assert (await api.delete(f"{API}/users/me", headers=auth)).status_code == 204
    assert await stored_rows(api) == 0


# --- in the pages: the setting, the upload after a turn, playback on the scorecard


async def spoken_in_browser(api: AppClient, csrf: str) -> str:
    """An interview started in the pages whose message 2 is a spoken answer; its id."""
    interview = await start_in_browser(api, csrf)
    sent = await api.post(
        f"/interviews/{interview}/turn",
        json={"content": "I would shard by user.", "speech": SPOKEN},
        headers={"X-CSRF-Token": csrf, "Accept": "text/event-stream"},
    )
    assert sent.status_code == 200, sent.text
    return interview


async def keep_in_browser(
    api: AppClient, csrf: str, interview: str, data: bytes, part: int = 1
) -> httpx2.Response:
    return await api.put(
        f"/interviews/{interview}/messages/2/recordings/{part}",
        files={"audio": ("answer.webm", data, "audio/webm")},
        data={"duration_seconds": "2.5"},
        headers={"X-CSRF-Token": csrf, "Accept": "application/json"},
    )


async def test_the_settings_page_turns_keeping_recordings_on_and_off(api: AppClient) -> None:
    csrf = await browser_sign_up(api)
    page = soup(await api.get("/settings", headers=PAGE))
    box = page.find("input", attrs={"name": "keep_recordings"})
    assert box is not None and not box.has_attr("checked")
    assert box.find_parent("label").get_text(strip=True) == "Keep my recordings"
    assert "No recordings are kept." in page.get_text()
    saved = await api.post(
        "/settings", data={"csrf_token": csrf, "keep_recordings": "on"}, headers=PAGE
    )
    assert saved.status_code == 303 and saved.headers["location"] == "/settings?saved=true"
    page = soup(await api.get("/settings?saved=true", headers=PAGE))
    assert page.find("input", attrs={"name": "keep_recordings"}).has_attr("checked")
    assert "Your settings are saved." in page.find(attrs={"role": "status"}).get_text()
    chat = soup(await api.get(f"/interviews/{await start_in_browser(api, csrf)}", headers=PAGE))
    assert chat.find(id="chat")["data-keep-recordings"] == "true"
    off = await api.post("/settings", data={"csrf_token": csrf}, headers=PAGE)  # unticked
    assert off.status_code == 303
    page = soup(await api.get("/settings", headers=PAGE))
    assert not page.find("input", attrs={"name": "keep_recordings"}).has_attr("checked")
    forged = await api.post("/settings", data={"keep_recordings": "on"}, headers=PAGE)
    assert forged.status_code == 403  # no CSRF token: nothing changed
    assert (
        not soup(await api.get("/settings", headers=PAGE))
        .find("input", attrs={"name": "keep_recordings"})
        .has_attr("checked")
    )


async def test_a_kept_recording_plays_on_the_scorecard_and_can_be_deleted(api: AppClient) -> None:
    csrf = await browser_sign_up(api)
    interview = await spoken_in_browser(api, csrf)
    refused = await keep_in_browser(api, csrf, interview, WEBM)
    assert refused.status_code == 403 and "Keep my recordings" in refused.json()["detail"]
    await api.post("/settings", data={"csrf_token": csrf, "keep_recordings": "on"}, headers=PAGE)
    kept = await keep_in_browser(api, csrf, interview, WEBM)
    assert kept.status_code == 201, kept.text
    src = f"/interviews/{interview}/messages/2/recordings/1"
    assert kept.json()["url"] == src
    no_token = await api.put(src, files={"audio": ("a.webm", WEBM, "audio/webm")})
    assert no_token.status_code == 403 and no_token.json()["code"] == "csrf"
    finished = await api.post(
        f"/interviews/{interview}/finish", data={"csrf_token": csrf}, headers=PAGE
    )
    assert finished.status_code == 303
    card = soup(await api.get(f"/interviews/{interview}/scorecard", headers=PAGE))
    answer = card.find(id="m-2")
    players = answer.find_all("audio")
    assert [a["src"] for a in players] == [src]
    assert players[0]["aria-label"] == "Your recording of message 2"
    assert card.find(id="m-1").find("audio") is None  # the interviewer's opening has none
    played = await api.get(players[0]["src"])
    assert played.status_code == 200
    assert (played.headers["content-type"], played.content) == ("audio/webm", WEBM)
    settings = soup(await api.get("/settings", headers=PAGE)).find(id="recordings-kept")
    assert "You keep 1 recording (" in settings.get_text()
    # delete it under the answer: the words stay
    form = answer.find("form", attrs={"action": f"{src.rsplit('/', 1)[0]}/delete"})
    deleted = await api.post(form["action"], data={"csrf_token": csrf}, headers=PAGE)
    assert deleted.status_code == 303
    assert deleted.headers["location"] == f"/interviews/{interview}#m-2"
    card = soup(await api.get(f"/interviews/{interview}/scorecard", headers=PAGE))
    assert card.find("audio") is None
    assert "I would shard by user." in card.find(id="m-2").get_text()
    assert (await api.get(src)).status_code == 404


async def test_deleting_all_recordings_from_the_settings_page(api: AppClient) -> None:
    csrf = await browser_sign_up(api)
    await api.post("/settings", data={"csrf_token": csrf, "keep_recordings": "on"}, headers=PAGE)
    for _ in range(2):
        interview = await spoken_in_browser(api, csrf)
        assert (await keep_in_browser(api, csrf, interview, WEBM)).status_code == 201
    page = soup(await api.get("/settings", headers=PAGE))
    button = page.find("button", string="Delete all my recordings")
    assert button is not None and "Delete all 2" in button["data-confirm"]
    done = await api.post(button.find_parent("form")["action"], data={"csrf_token": csrf})
    assert done.status_code == 303 and done.headers["location"] == "/settings?deleted=2"
    page = soup(await api.get("/settings?deleted=2", headers=PAGE))
    assert "2 recordings deleted." in page.get_text()
    assert "No recordings are kept." in page.get_text()
    assert page.find("button", string="Delete all my recordings") is None
    assert await stored_rows(api) == 0


async def test_another_browser_user_gets_404_on_the_recording_pages(api: AppClient) -> None:
    csrf = await browser_sign_up(api, "owner")
    await api.post("/settings", data={"csrf_token": csrf, "keep_recordings": "on"}, headers=PAGE)
    interview = await spoken_in_browser(api, csrf)
    assert (await keep_in_browser(api, csrf, interview, WEBM)).status_code == 201
    api.cookies.clear()
    intruder = await browser_sign_up(api, "intruder")
    await api.post(
        "/settings", data={"csrf_token": intruder, "keep_recordings": "on"}, headers=PAGE
    )
    base = f"/interviews/{interview}/messages/2/recordings"
    attempts = [
        await keep_in_browser(api, intruder, interview, WEBM),
        await api.get(f"{base}/1"),
        await api.post(f"{base}/delete", data={"csrf_token": intruder}),
    ]
    assert [a.status_code for a in attempts] == [404] * 3
    # the intruder's settings page shows only their own (none kept)
    assert "No recordings are kept." in soup(await api.get("/settings", headers=PAGE)).get_text()
    assert await stored_rows(api) == 1
