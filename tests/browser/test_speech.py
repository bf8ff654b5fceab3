"""Speaking an answer and hearing the interviewer in the browser: Chromium's fake microphone
plays a WAV spoken by espeak-ng, the app (a uvicorn subprocess) sends the recording to a fake
transcription server on loopback, the words land in the box to edit, the answer goes with its
word times, and each sentence of the reply is handed to speech synthesis as it streams."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.config import PROJECT_ROOT
from app.store.migrate import upgrade
from tests.browser.conftest import CHROMIUM, FLAGS, playwright_api
from tests.browser.drive import DESKTOP, accessible, shot, sign_up, start, stored
from tests.fake_llm import Fail
from tests.fake_speech import FakeSpeech, words_at
from tests.servers import serve

HEARD = "So um I would start with a simple baseline and measure it"
# what the reply's sentences are handed to, instead of the machine's (silent) speakers
SPY = """
window.spoken = [];
speechSynthesis.speak = (utterance) => window.spoken.push(utterance.text);
"""


@pytest.fixture(scope="module")
def spoken_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        message = "espeak-ng is not installed (Debian: apt-get install espeak-ng)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    path = tmp_path_factory.mktemp("voice") / "answer.wav"
    subprocess.run([espeak, "-s", "150", "-w", str(path), HEARD], check=True, timeout=60)
    return path


@pytest.fixture(scope="module")
def fake_speech() -> Iterator[FakeSpeech]:
    with FakeSpeech() as fake:
        fake.transcript = words_at(HEARD, step=0.35)
        yield fake


@pytest.fixture(scope="module")
def voiced_server(
    tmp_path_factory: pytest.TempPathFactory, fake_speech: FakeSpeech
) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('voice-web') / 'onsite.db'}"
    upgrade(url, root=PROJECT_ROOT)
    running = serve(
        url,
        ONSITE_OFFLINE_WORD_DELAY_MS="25",
        ONSITE_STT_MODEL="fake-whisper",
        ONSITE_STT_BASE_URL=fake_speech.base_url,
        ONSITE_STT_API_KEY="test",
    )
    yield running.base
    running.stop()


@pytest.fixture(scope="module")
def microphone_browser(spoken_wav: Path) -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        message = f"Debian chromium is not installed at {CHROMIUM}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    microphone = [
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-audio-capture={spoken_wav}",
    ]
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*FLAGS, *microphone], headless=True
        )
        yield browser
        browser.close()


def sentences(text: str) -> list[str]:
    """What is spoken of a reply, one utterance each: sentences, and lines without a full stop."""
    return [s for s in re.split(r"(?<=[.!?…])\s+|\s*\n\s*", text.strip()) if s]


def test_an_answer_is_spoken_transcribed_edited_sent_and_the_reply_is_heard(
    voiced_server: str, microphone_browser, fake_speech: FakeSpeech
) -> None:
    context = microphone_browser.new_context(**DESKTOP)  # type: ignore[attr-defined]
    context.grant_permissions(["microphone"], origin=voiced_server)
    context.add_init_script(SPY)
    page = context.new_page()
    sign_up(page, voiced_server, "speaker")
    interview = start(page, "Behavioral (STAR)")
    mic = page.get_by_role("button", name="Speak", exact=True)
    expect(mic).to_have_attribute("data-mode", "server")
    # the opening question came with the page: it is read aloud on request
    page.get_by_role("button", name="Say it again").click()
    opening = page.locator("#transcript > li.interviewer").first.locator(".body").inner_text()
    assert page.evaluate("window.spoken") == sentences(opening)
    page.evaluate("window.spoken = []")
    mic.click()
    expect(page.locator("#mic")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#mic-state")).to_contain_text("Recording", timeout=5000)
    page.wait_for_timeout(2500)  # let the fake microphone speak into the recording
    shot(page, "chat-recording")
    page.locator("#mic").click()  # now labelled Stop
    box = page.get_by_label("Your answer")
    expect(box).to_have_value(HEARD, timeout=15000)
    expect(page.locator("#mic-state")).to_contain_text("Check the words")
    request = fake_speech.requests[-1]
    assert request["filename"] == "answer.webm"
    assert request["size"] > 2000  # seconds of Opus from the fake microphone, not an empty file
    assert request["fields"]["model"] == "fake-whisper"
    accessible(page, "chat with a transcribed answer")
    shot(page, "chat-transcribed")

    # edit the words, as one would a transcript, then send
    edited = HEARD.replace("So um I", "I") + ", then add features one at a time."
    box.fill(edited)
    box.press("Enter")
    expect(stored(page)).to_have_count(3, timeout=20000)
    expect(page.locator("#transcript")).to_have_attribute("aria-busy", "false")
    reply = page.locator("#transcript > li.interviewer").last.locator(".body").inner_text()
    page.wait_for_function(
        "n => window.spoken.length >= n", arg=len(sentences(reply)), timeout=5000
    )
    assert page.evaluate("window.spoken") == sentences(reply)

    # the answer was stored with how it was spoken: the scorecard says how
    page.locator("#finish-open").click()
    page.locator("#finish-confirm").click()
    page.wait_for_url(re.compile(rf"/interviews/{interview}/scorecard$"))
    rows = page.locator("section.speaking tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td").first).to_have_text("message 2")
    accessible(page, "scorecard with speaking feedback")
    shot(page, "scorecard-speaking")
    page.get_by_role("link", name="Progress").click()
    expect(page.locator("[data-chart=speaking] canvas")).to_be_visible()
    accessible(page, "progress with speaking")
    context.close()


def test_a_failed_transcription_keeps_the_recording_to_send_again(
    voiced_server: str, microphone_browser, fake_speech: FakeSpeech
) -> None:
    context = microphone_browser.new_context(**DESKTOP)  # type: ignore[attr-defined]
    context.grant_permissions(["microphone"], origin=voiced_server)
    page = context.new_page()
    sign_up(page, voiced_server, "retrier")
    start(page, "Behavioral (STAR)")
    expect(page.locator("#mic")).to_have_attribute("data-mode", "server")
    # the server's client tries three times (ONSITE_LLM_MAX_RETRIES=2) before it gives up
    fake_speech.script(*[Fail(503, message="the GPU is busy")] * 3)
    page.locator("#mic").click()
    expect(page.locator("#mic-state")).to_contain_text("Recording", timeout=5000)
    page.wait_for_timeout(1500)
    page.locator("#mic").click()
    expect(page.locator("#mic-state")).to_contain_text("Not transcribed", timeout=15000)
    expect(page.locator("#mic-state")).to_contain_text("the transcription server failed (503)")
    again = page.get_by_role("button", name="Transcribe again")
    expect(again).to_be_visible()
    accessible(page, "chat after a failed transcription")
    first, second = len(fake_speech.requests), None
    again.click()
    expect(page.get_by_label("Your answer")).to_have_value(HEARD, timeout=15000)
    second = fake_speech.requests[first - 1 :]
    assert second[0]["size"] == second[-1]["size"]  # the same recording, sent again
    expect(again).to_be_hidden()
    context.close()


def test_without_a_transcription_server_or_recognition_the_button_says_what_to_set(
    server: str, microphone_browser
) -> None:
    context = microphone_browser.new_context(**DESKTOP)  # type: ignore[attr-defined]
    # no recognition either (Chromium has webkitSpeechRecognition; a browser may not)
    context.add_init_script(
        "delete window.webkitSpeechRecognition; delete window.SpeechRecognition;"
    )
    page = context.new_page()
    sign_up(page, server, "typist")
    start(page, "Behavioral (STAR)")
    mic = page.get_by_role("button", name="Speak", exact=True)
    expect(mic).to_have_attribute("data-mode", "none")
    mic.click()
    expect(page.locator("#mic-state")).to_contain_text("ONSITE_STT_MODEL")
    accessible(page, "chat without speech")
    context.close()


# a stand-in for the browser's recognition (Chromium's sends audio to Google): it hears HEARD
# in two results, a second apart, then ends when stopped
FAKE_RECOGNITION = """
window.SpeechRecognition = window.webkitSpeechRecognition = class {
  constructor() { this.handlers = {}; }
  addEventListener(name, handler) { (this.handlers[name] ||= []).push(handler); }
  emit(name, event) { for (const h of this.handlers[name] || []) h(event); }
  result(text, final) {
    const results = [Object.assign([{ transcript: text }], { isFinal: final })];
    this.emit("result", { resultIndex: 0, results });
  }
  start() {
    setTimeout(() => this.result("So um I would start", false), 200);
    setTimeout(() => this.result("So um I would start", true), 500);
    setTimeout(() => this.result("with a simple baseline and measure it", true), 1200);
  }
  stop() { setTimeout(() => this.emit("end", {}), 50); }
};
"""


def test_without_a_server_the_browsers_recognition_fills_the_box_and_times_the_words(
    server: str, microphone_browser
) -> None:
    context = microphone_browser.new_context(**DESKTOP)  # type: ignore[attr-defined]
    context.add_init_script(FAKE_RECOGNITION + SPY)
    page = context.new_page()
    sign_up(page, server, "listener")
    start(page, "Behavioral (STAR)")
    mic = page.get_by_role("button", name="Speak", exact=True)
    expect(mic).to_have_attribute("data-mode", "browser")
    # push to talk: hold Alt+V, release after the words
    page.keyboard.down("Alt")
    page.keyboard.down("KeyV")
    expect(page.locator("#mic-state")).to_contain_text("Listening")
    box = page.get_by_label("Your answer")
    expect(box).to_have_value(HEARD, timeout=5000)
    page.keyboard.up("KeyV")
    page.keyboard.up("Alt")
    expect(page.locator("#mic-state")).to_contain_text("Check the words")
    with page.expect_request(lambda r: r.url.endswith("/turn")) as sent:
        box.press("Enter")
    body = sent.value.post_data_json
    assert body["content"] == HEARD
    speech = body["speech"]
    assert (speech["source"], speech["timing"]) == ("browser", "segment")
    assert [w["word"] for w in speech["words"]] == HEARD.split()
    assert speech["words"][4]["start"] >= 0.4  # the second result's words follow the first's
    expect(stored(page)).to_have_count(3, timeout=20000)
    context.close()


@pytest.fixture(scope="module")
def speaking_server(
    tmp_path_factory: pytest.TempPathFactory, fake_speech: FakeSpeech
) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('tts-web') / 'onsite.db'}"
    upgrade(url, root=PROJECT_ROOT)
    running = serve(
        url,
        ONSITE_OFFLINE_WORD_DELAY_MS="25",
        ONSITE_TTS_MODEL="fake-tts",
        ONSITE_TTS_BASE_URL=fake_speech.base_url,
        ONSITE_TTS_API_KEY="test",
    )
    yield running.base
    running.stop()


# the server's spoken sentences are played, one after another, instead of through the speakers
PLAYED = """
window.played = [];
HTMLMediaElement.prototype.play = function () {
  window.played.push(this.src);
  setTimeout(() => this.dispatchEvent(new Event("ended")), 20);
  return Promise.resolve();
};
"""


def test_with_a_speech_server_the_reply_is_spoken_by_it_sentence_by_sentence(
    speaking_server: str, microphone_browser, fake_speech: FakeSpeech
) -> None:
    context = microphone_browser.new_context(**DESKTOP)  # type: ignore[attr-defined]
    context.add_init_script(SPY + PLAYED)
    page = context.new_page()
    sign_up(page, speaking_server, "hearer")
    start(page, "Behavioral (STAR)")
    before = len(fake_speech.requests)
    box = page.get_by_label("Your answer")
    box.fill("I would start with a simple baseline and measure it.")
    box.press("Enter")
    expect(stored(page)).to_have_count(3, timeout=20000)
    reply = page.locator("#transcript > li.interviewer").last.locator(".body").inner_text()
    expected = sentences(reply)
    page.wait_for_function("n => window.played.length >= n", arg=len(expected), timeout=10000)
    spoken = [r["json"]["input"] for r in fake_speech.requests[before:] if r["path"] == "speech"]
    assert spoken == expected
    assert all(src.startswith("blob:") for src in page.evaluate("window.played"))
    assert page.evaluate("window.spoken") == []  # the browser's own voice stayed silent
    context.close()


def keep_recordings(page, base: str, on: bool) -> None:
    """Turn "Keep my recordings" on or off on the Settings page."""
    page.goto(f"{base}/settings")
    box = page.get_by_label("Keep my recordings")
    expect(box).not_to_be_checked()  # off by default
    if on:
        box.check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_have_text("Your settings are saved.")
    accessible(page, "settings")
    page.goto(f"{base}/")


def speak_and_send(page) -> None:
    """Record an answer from the fake microphone, let it be transcribed, send it."""
    mic = page.get_by_role("button", name="Speak", exact=True)
    expect(mic).to_have_attribute("data-mode", "server")
    mic.click()
    expect(page.locator("#mic-state")).to_contain_text("Recording", timeout=5000)
    page.wait_for_timeout(2000)
    page.locator("#mic").click()
    box = page.get_by_label("Your answer")
    expect(box).to_have_value(HEARD, timeout=15000)
    box.press("Enter")
    expect(stored(page)).to_have_count(3, timeout=20000)
    expect(page.locator("#transcript")).to_have_attribute("aria-busy", "false")


def finish(page, interview: str) -> None:
    page.locator("#finish-open").click()
    page.locator("#finish-confirm").click()
    page.wait_for_url(re.compile(rf"/interviews/{interview}/scorecard$"))


def test_with_keep_my_recordings_on_a_spoken_answer_plays_back_on_the_scorecard(
    voiced_server: str, microphone_browser
) -> None:
    context = microphone_browser.new_context(**DESKTOP)  # type: ignore[attr-defined]
    context.grant_permissions(["microphone"], origin=voiced_server)
    page = context.new_page()
    sign_up(page, voiced_server, "keeper")
    keep_recordings(page, voiced_server, on=True)
    interview = start(page, "Behavioral (STAR)")
    expect(page.locator("#chat")).to_have_attribute("data-keep-recordings", "true")
    page.locator(".speech-settings summary").click()  # where the setting is said and reached
    setting = page.locator(".recordings-setting")
    expect(setting).to_have_text("Recordings of your answers: kept (change in Settings)")
    expect(setting.get_by_role("link", name="change in Settings")).to_have_attribute(
        "href", "/settings"
    )
    accessible(page, "chat with the voice settings open")
    page.locator(".speech-settings summary").click()
    with page.expect_response(lambda r: "/recordings/" in r.url) as sent:
        speak_and_send(page)
    assert (sent.value.request.method, sent.value.status) == ("PUT", 201)
    expect(page.locator("#mic-state")).to_have_text("Your answer's recording is kept with it.")
    accessible(page, "chat with a kept recording")
    finish(page, interview)
    player = page.locator("#m-2 audio")
    expect(player).to_have_count(1)
    expect(player).to_have_accessible_name("Your recording of message 2")
    src = player.get_attribute("src")
    assert src == f"/interviews/{interview}/messages/2/recordings/1"
    fetched = page.evaluate(
        """async (src) => {
            const r = await fetch(src);
            const bytes = new Uint8Array(await r.arrayBuffer());
            return { status: r.status, type: r.headers.get("content-type"), size: bytes.length,
                     magic: Array.from(bytes.slice(0, 4)) };
        }""",
        src,
    )
    assert (fetched["status"], fetched["type"]) == (200, "audio/webm")
    assert fetched["size"] > 2000 and fetched["magic"] == [0x1A, 0x45, 0xDF, 0xA3]  # WebM
    # the browser can play it: it reads its metadata (a duration, or Infinity for live WebM)
    page.evaluate("document.querySelector('#m-2 audio').load()")
    page.wait_for_function(
        "() => document.querySelector('#m-2 audio').readyState >= 1", timeout=10000
    )
    assert page.evaluate("document.querySelector('#m-2 audio').error") is None
    accessible(page, "scorecard with a kept recording")
    context.close()


def test_with_keep_my_recordings_off_no_recording_is_sent_or_shown(
    voiced_server: str, microphone_browser
) -> None:
    context = microphone_browser.new_context(**DESKTOP)  # type: ignore[attr-defined]
    context.grant_permissions(["microphone"], origin=voiced_server)
    page = context.new_page()
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if "/recordings/" in r.url else None)
    sign_up(page, voiced_server, "forgetter")
    keep_recordings(page, voiced_server, on=False)
    interview = start(page, "Behavioral (STAR)")
    expect(page.locator("#chat")).to_have_attribute("data-keep-recordings", "false")
    speak_and_send(page)
    finish(page, interview)
    expect(page.locator(".speaking")).to_be_visible()  # it was a spoken answer
    expect(page.locator("audio")).to_have_count(0)
    assert sent == []
    context.close()
