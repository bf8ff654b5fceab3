"""Speech over the API: transcribe a recorded answer, send it with its timings, hear a sentence.

The transcription and speech servers are a real HTTP server on loopback (tests/fake_speech.py)
answering, failing, hanging and talking nonsense."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx2
import pytest

from app.config import Settings
from tests.conftest import AppClient, app_client, make_settings, sign_up
from tests.fake_llm import Fail, Hang
from tests.fake_speech import SPOKEN_MP3, FakeSpeech, Garbage, Said, words_at
from tests.speech_helpers import speech_settings, wav_bytes

API = "/api/v1"


@pytest.fixture
def fake_speech() -> Iterator[FakeSpeech]:
    with FakeSpeech() as fake:
        yield fake


@pytest.fixture
def settings(database_url: str, fake_speech: FakeSpeech) -> Settings:
    return speech_settings(database_url, fake_speech)


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[AppClient]:
    async with app_client(settings) as client:
        yield client


async def started(api: httpx2.AsyncClient, auth: dict[str, str]) -> str:
    response = await api.post(f"{API}/interviews", json={"round": "behavioral"}, headers=auth)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def transcribe(
    api: httpx2.AsyncClient, auth: dict, interview_id: str, audio: bytes, **form: str
) -> httpx2.Response:
    return await api.post(
        f"{API}/interviews/{interview_id}/transcriptions",
        files={"audio": ("answer.wav", audio, "audio/wav")},
        data=form,
        headers=auth,
    )


async def test_a_recording_is_transcribed_with_word_times_then_sent_as_an_edited_answer(
    api: AppClient, fake_speech: FakeSpeech
) -> None:
    fake_speech.transcript = words_at("So um I led the migration and uh cut costs", step=0.5)
    auth = await sign_up(api)
    interview = await started(api, auth)
    heard = await transcribe(api, auth, interview, wav_bytes(2.0))
    assert heard.status_code == 200, heard.text
    body = heard.json()
    assert body["text"] == "So um I led the migration and uh cut costs"
    assert body["timing"] == "word"
    assert [w["word"] for w in body["words"]][:3] == ["So", "um", "I"]
    assert body["speech"]["duration_seconds"] == pytest.approx(6.0)
    sent = fake_speech.requests[0]
    assert sent["filename"] == "answer.wav" and sent["size"] == len(wav_bytes(2.0))
    assert sent["fields"]["model"] == "fake-whisper"
    assert sent["fields"]["response_format"] == "verbose_json"
    assert "um" in sent["fields"]["prompt"]  # fillers are kept, not tidied away

    edited = "I led the migration and cut our costs by 30%."
    turn = await api.post(
        f"{API}/interviews/{interview}/messages",
        json={"content": edited, "speech": body["speech"]},
        headers=auth,
    )
    assert turn.status_code == 201, turn.text
    candidate = turn.json()["candidate"]
    assert candidate["content"] == edited
    assert candidate["speech"]["words"] == body["words"]
    read = await api.get(f"{API}/interviews/{interview}", headers=auth)
    stored = read.json()["messages"][1]
    assert stored["speech"]["duration_seconds"] == pytest.approx(6.0)
    assert stored["speech"]["timing"] == "word"
    assert read.json()["messages"][0]["speech"] is None  # the opening was not spoken


async def test_a_server_without_word_times_is_asked_for_text_from_then_on(
    api: AppClient, fake_speech: FakeSpeech
) -> None:
    fake_speech.refuse_verbose = True
    auth = await sign_up(api)
    interview = await started(api, auth)
    first = await transcribe(api, auth, interview, wav_bytes(1.5))
    second = await transcribe(api, auth, interview, wav_bytes(1.5))
    assert first.status_code == second.status_code == 200, first.text
    body = first.json()
    # without a server's measure, the WAV header's duration counts, and the words are spread
    # over it: pace and fillers can be measured, pauses cannot
    assert body["timing"] == "none" and body["duration_seconds"] == pytest.approx(1.5)
    assert [w["word"] for w in body["words"]] == fake_speech.transcript.text.split()
    assert body["words"][-1]["end"] == pytest.approx(1.5)
    formats = [r["fields"]["response_format"] for r in fake_speech.requests]
    assert formats == ["verbose_json", "json", "json"]


@pytest.mark.parametrize(
    ("behaviour", "status", "code", "retryable"),
    [
        (Fail(503), 503, "speech_unavailable", True),
        (Fail(429), 503, "speech_unavailable", True),
        (Fail(400, message="bad audio"), 502, "speech_failed", False),
        (Garbage(), 502, "speech_failed", False),
        (Hang(3), 503, "speech_unavailable", True),
    ],
    ids=["failing", "rate-limited", "refused", "garbage", "slow"],
)
async def test_a_failed_transcription_says_so_stores_nothing_and_the_same_recording_works_again(
    database_url: str,
    fake_speech: FakeSpeech,
    behaviour: object,
    status: int,
    code: str,
    retryable: bool,
) -> None:
    settings = speech_settings(database_url, fake_speech, stt_timeout_seconds=0.5)
    async with app_client(settings) as api:
        auth = await sign_up(api)
        interview = await started(api, auth)
        fake_speech.script(behaviour)  # type: ignore[arg-type]
        recording = wav_bytes(1.0)
        failed = await transcribe(api, auth, interview, recording)
        assert failed.status_code == status, failed.text
        error = failed.json()
        assert (error["code"], error["retryable"]) == (code, retryable)
        assert "the transcription server" in error["detail"]
        assert "the recording was not stored" in error["detail"]
        assert "server server" not in error["detail"]
        assert ("Retry-After" in failed.headers) is retryable
        read = await api.get(f"{API}/interviews/{interview}", headers=auth)
        assert len(read.json()["messages"]) == 1  # nothing stored
        again = await transcribe(api, auth, interview, recording)
        assert again.status_code == 200, again.text
        assert again.json()["text"] == fake_speech.transcript.text


async def test_garbage_word_times_keep_the_text(api: AppClient, fake_speech: FakeSpeech) -> None:
    auth = await sign_up(api)
    interview = await started(api, auth)
    fake_speech.script(Said(text="I would shard by user", duration=3.0, words=[("I", 2.0, 1.0)]))
    heard = await transcribe(api, auth, interview, wav_bytes(1.0))
    assert heard.status_code == 200, heard.text
    assert heard.json()["text"] == "I would shard by user"
    assert heard.json()["timing"] == "segment"  # the word ended before it began: segments used


@pytest.mark.parametrize(
    ("audio", "form", "status", "words"),
    [
        (b"", {}, 422, "empty"),
        (b"this is not audio at all", {}, 415, "WebM, Ogg, WAV"),
        (wav_bytes(4.0, rate=1000), {}, 422, "4 seconds long; the limit is 3"),
        (wav_bytes(1.0), {"duration_seconds": "10"}, 422, "the limit is 3 seconds"),
        (wav_bytes(1.0) + b"\x00" * 40_000, {}, 413, "the limit is 30,000"),
    ],
    ids=["empty", "not-audio", "too-long", "declared-too-long", "too-big"],
)
async def test_recordings_over_the_limits_are_refused_before_the_server_hears_them(
    database_url: str, fake_speech: FakeSpeech, audio: bytes, form: dict, status: int, words: str
) -> None:
    settings = speech_settings(database_url, fake_speech, stt_max_seconds=3, stt_max_bytes=30_000)
    async with app_client(settings) as api:
        auth = await sign_up(api)
        interview = await started(api, auth)
        refused = await transcribe(api, auth, interview, audio, **form)
    assert refused.status_code == status, refused.text
    assert words in refused.json()["detail"]
    assert fake_speech.requests == []


async def test_a_body_far_over_the_recording_limit_is_refused_before_it_is_read(
    database_url: str, fake_speech: FakeSpeech
) -> None:
    settings = speech_settings(database_url, fake_speech, stt_max_bytes=30_000)
    async with app_client(settings) as api:
        auth = await sign_up(api)
        interview = await started(api, auth)
        refused = await transcribe(api, auth, interview, wav_bytes(20.0))  # 160 kB
    assert refused.status_code == 413, refused.text
    assert refused.json()["code"] == "too_large"
    assert fake_speech.requests == []


async def test_a_server_measure_over_the_limit_is_refused(
    database_url: str, fake_speech: FakeSpeech
) -> None:
    settings = speech_settings(database_url, fake_speech, stt_max_seconds=3)
    async with app_client(settings) as api:
        auth = await sign_up(api)
        interview = await started(api, auth)
        fake_speech.script(Said(text="a long answer", duration=60.0))
        refused = await transcribe(api, auth, interview, wav_bytes(1.0))
    assert refused.status_code == 422
    assert "60 seconds long" in refused.json()["detail"]


async def test_silence_is_refused_with_a_reason(api: AppClient, fake_speech: FakeSpeech) -> None:
    auth = await sign_up(api)
    interview = await started(api, auth)
    fake_speech.script(Said(text="  ", duration=2.0))
    refused = await transcribe(api, auth, interview, wav_bytes(1.0))
    assert refused.status_code == 422
    assert "no speech was heard" in refused.json()["detail"]


async def test_a_finished_interview_takes_no_recording(api: AppClient) -> None:
    auth = await sign_up(api)
    interview = await started(api, auth)
    await api.post(f"{API}/interviews/{interview}/finish", headers=auth)
    refused = await transcribe(api, auth, interview, wav_bytes(1.0))
    assert refused.status_code == 409


async def test_a_sentence_is_spoken_by_the_speech_server(
    api: AppClient, fake_speech: FakeSpeech
) -> None:
    auth = await sign_up(api)
    interview = await started(api, auth)
    spoken = await api.post(
        f"{API}/interviews/{interview}/speech", json={"text": "Tell me more."}, headers=auth
    )
    assert spoken.status_code == 200, spoken.text
    assert spoken.headers["content-type"] == "audio/mpeg"
    assert spoken.content == SPOKEN_MP3
    request = fake_speech.requests[0]["json"]
    assert request["input"] == "Tell me more." and request["model"] == "fake-tts"
    assert request["voice"] == "alloy"


@pytest.mark.parametrize(
    ("behaviour", "status"), [(Fail(500), 503), (Garbage(), 502)], ids=["failing", "garbage"]
)
async def test_a_failed_sentence_says_so(
    api: AppClient, fake_speech: FakeSpeech, behaviour: object, status: int
) -> None:
    auth = await sign_up(api)
    interview = await started(api, auth)
    fake_speech.script(behaviour)  # type: ignore[arg-type]
    failed = await api.post(
        f"{API}/interviews/{interview}/speech", json={"text": "Tell me more."}, headers=auth
    )
    assert failed.status_code == status, failed.text
    assert "speech server" in failed.json()["detail"]


async def test_a_long_text_is_refused_not_cut(database_url: str, fake_speech: FakeSpeech) -> None:
    async with app_client(speech_settings(database_url, fake_speech, tts_max_chars=20)) as api:
        auth = await sign_up(api)
        interview = await started(api, auth)
        refused = await api.post(
            f"{API}/interviews/{interview}/speech",
            json={"text": "A sentence well over twenty characters."},
            headers=auth,
        )
    assert refused.status_code == 422
    assert "39 characters; the limit is 20" in refused.json()["detail"]


async def test_without_speech_servers_the_routes_say_what_to_configure(database_url: str) -> None:
    async with app_client(make_settings(database_url)) as client:
        await _not_configured(client)


async def _not_configured(client: httpx2.AsyncClient) -> None:
    auth = await sign_up(client)
    interview = await started(client, auth)
    options = await client.get(f"{API}/speech", headers=auth)
    assert options.json()["transcription"] is False and options.json()["speech"] is False
    refused = await transcribe(client, auth, interview, wav_bytes(1.0))
    assert refused.status_code == 501
    assert "ONSITE_STT_MODEL" in refused.json()["detail"]
    unspoken = await client.post(
        f"{API}/interviews/{interview}/speech", json={"text": "Hello."}, headers=auth
    )
    assert unspoken.status_code == 501
    assert "ONSITE_TTS_MODEL" in unspoken.json()["detail"]


async def test_options_say_what_is_configured(api: AppClient) -> None:
    auth = await sign_up(api)
    options = (await api.get(f"{API}/speech", headers=auth)).json()
    assert options["transcription"] is True and options["speech"] is True
    assert options["max_seconds"] == 600 and options["voice"] == "alloy"


async def test_another_users_interview_is_not_found(api: AppClient) -> None:
    owner = await sign_up(api)
    interview = await started(api, owner)
    intruder = await sign_up(api, "mallory")
    heard = await transcribe(api, intruder, interview, wav_bytes(1.0))
    spoken = await api.post(
        f"{API}/interviews/{interview}/speech", json={"text": "Hi."}, headers=intruder
    )
    assert heard.status_code == spoken.status_code == 404


@pytest.mark.parametrize(
    ("speech", "problem"),
    [
        ({"duration_seconds": 2, "words": [{"word": "hi", "start": 1, "end": 0.5}]}, "ends"),
        ({"duration_seconds": 1, "words": [{"word": "hi", "start": 0, "end": 9}]}, "after"),
        (
            {
                "duration_seconds": 5,
                "words": [{"word": "b", "start": 2, "end": 3}, {"word": "a", "start": 0, "end": 1}],
            },
            "starts before",
        ),
        ({"duration_seconds": 0}, "greater than 0"),
        ({"duration_seconds": 2, "extra": 1}, "Extra inputs"),
    ],
    ids=["backwards", "past-the-end", "out-of-order", "no-duration", "unknown-field"],
)
async def test_impossible_timings_are_refused(
    client: httpx2.AsyncClient, speech: dict, problem: str
) -> None:
    auth = await sign_up(client)
    interview = await started(client, auth)
    refused = await client.post(
        f"{API}/interviews/{interview}/messages",
        json={"content": "My answer.", "speech": speech},
        headers=auth,
    )
    assert refused.status_code == 422, refused.text
    assert problem in refused.json()["detail"]
    read = await client.get(f"{API}/interviews/{interview}", headers=auth)
    assert len(read.json()["messages"]) == 1


async def test_a_text_only_transcript_of_a_webm_takes_the_browsers_duration(
    api: AppClient, fake_speech: FakeSpeech
) -> None:
    fake_speech.refuse_verbose = True
    fake_speech.transcript = words_at("So, um, I would cache it")
    auth = await sign_up(api)
    interview = await started(api, auth)
    webm = b"\x1a\x45\xdf\xa3" + b"\x00" * 2000  # a WebM's header: no duration to read here
    heard = await api.post(
        f"{API}/interviews/{interview}/transcriptions",
        files={"audio": ("answer.webm", webm, "audio/webm")},
        data={"duration_seconds": "12"},
        headers=auth,
    )
    assert heard.status_code == 200, heard.text
    speech = heard.json()["speech"]
    assert speech["duration_seconds"] == 12 and speech["timing"] == "none"
    assert [w["start"] for w in speech["words"]] == pytest.approx([0, 2, 4, 6, 8, 10])
    assert fake_speech.requests[-1]["filename"] == "answer.webm"
