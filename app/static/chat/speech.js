// Speaking and listening in the chat. The microphone records an answer (MediaRecorder) and the
// server transcribes it, or the browser's own speech recognition listens when no transcription
// server is configured; the words land in the box to edit, and go with the answer, with their
// times, when it is sent. The interviewer speaks each sentence of its reply as it streams: the
// browser's speech synthesis, or the server's speech model when one is configured. The reply is
// always shown as text. A user who chose "Keep my recordings" (Settings) has the recordings of
// a spoken answer sent to its message once the answer is stored (one part per take); nothing
// about the turn waits for them. Events from chat.js: onsite:answer, onsite:stored (with the
// stored message), onsite:token, onsite:reply.

const chat = document.getElementById("chat");
const composer = document.getElementById("composer");
if (chat && composer && document.getElementById("mic")) start();

const SETTINGS_KEY = "onsite:speech";
const RECORDING_TYPES = ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm", "audio/mp4"];
const EXTENSIONS = { "audio/webm": "webm", "audio/ogg": "ogg", "audio/mp4": "m4a", "audio/wav": "wav" };

function start() {
  const interviewId = chat.dataset.interview;
  const csrf = document.querySelector("meta[name=csrf-token]").content;
  const answer = document.getElementById("answer");
  const mic = document.getElementById("mic");
  const micLabel = mic.querySelector(".mic-label");
  const state = document.getElementById("mic-state");
  const retry = document.getElementById("mic-retry");
  const clockEl = document.getElementById("mic-clock");
  const settings = loadSettings();
  const speaker = createSpeaker({ interviewId, csrf, settings });
  let options = { transcription: false, speech: false, max_seconds: 600 };
  let pending = null; // the speech record of the words put in the box, until the answer is stored
  let kept = null; // the last recording, until its words are in the box (a failure loses nothing)
  let takes = []; // the recordings whose words are in the box, in order
  let sending = null; // the takes of the answer being sent, until it is stored
  const keepRecordings = chat.dataset.keepRecordings === "true";
  let listening = null; // the recorder or recognition running now

  const say = (message, tone = "muted") => {
    state.textContent = message;
    state.className = `mic-state ${tone}`;
  };
  const setListening = (on) => {
    mic.setAttribute("aria-pressed", String(on));
    micLabel.textContent = on ? "Stop" : "Speak";
  };

  // --- the answer goes with how it was spoken; the words and the recording are kept until stored
  chat.addEventListener("onsite:answer", (event) => {
    const spoken = Boolean(pending && event.detail.typed);
    if (spoken) event.detail.body.speech = pending;
    sending = spoken ? takes : null;
  });
  chat.addEventListener("onsite:stored", (event) => {
    const seq = event.detail?.seq;
    const recorded = sending;
    pending = null;
    kept = null;
    takes = [];
    sending = null;
    retry.hidden = true;
    if (state.classList.contains("notice")) say("");
    if (keepRecordings && recorded?.length && seq) keepTakes(seq, recorded);
  });
  answer.addEventListener("input", () => {
    if (!answer.value.trim()) {
      pending = null; // the spoken words were deleted: a typed answer
      takes = [];
    }
  });

  // --- the recordings of a stored answer, kept for a user who opted in (one request per take)
  async function keepTakes(seq, recorded) {
    for (const [index, take] of recorded.entries()) {
      const problem = await keepTake(seq, index + 1, take);
      if (problem) {
        say(`Your answer is saved, but its recording was not kept: ${problem}`, "error");
        return;
      }
    }
    say(recorded.length > 1 ? "Your answer's recordings are kept with it." : "Your answer's recording is kept with it.");
  }
  async function keepTake(seq, part, take) {
    for (let attempt = 0; ; attempt++) {
      const form = new FormData();
      form.append("audio", take.blob, `answer.${EXTENSIONS[take.media] ?? "webm"}`);
      form.append("duration_seconds", take.seconds.toFixed(2));
      let response;
      try {
        response = await fetch(`/interviews/${interviewId}/messages/${seq}/recordings/${part}`, {
          method: "PUT",
          body: form,
          headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
        });
      } catch {
        response = null; // the connection dropped: try again, as for a busy server
      }
      if (response?.ok) return null;
      const again = !response || response.status >= 500 || response.status === 429;
      if (again && attempt < 2) {
        await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
        continue;
      }
      if (!response) return "the server could not be reached";
      const data = await response.json().catch(() => ({}));
      return data.detail || `the request failed (${response.status})`;
    }
  }
  const putInBox = (text, speech) => {
    const before = answer.value.trim();
    answer.value = before ? `${before} ${text}` : text;
    pending = pending ? joined(pending, speech) : speech;
    answer.focus();
    answer.setSelectionRange(answer.value.length, answer.value.length);
  };

  // --- the interviewer's voice
  chat.addEventListener("onsite:token", (event) => speaker.token(event.detail));
  chat.addEventListener("onsite:reply", () => speaker.flush());
  document.getElementById("stop")?.addEventListener("click", () => speaker.cancel());
  // the interviewer's last message, read aloud (the opening question too, which arrives with
  // the page, before the browser lets a page speak)
  document.getElementById("speech-replay").addEventListener("click", () => {
    const last = [...document.querySelectorAll("#transcript > li.interviewer[data-seq] .body")].at(-1);
    if (!last) return;
    speaker.cancel();
    speaker.token(last.innerText);
    speaker.flush();
  });
  settingsControls(settings, speaker);

  // --- recording on the server's transcription
  async function record() {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      say(`The microphone is not available (${error.name}): allow it in the site settings, or type your answer.`, "error");
      return;
    }
    const type = RECORDING_TYPES.find((t) => MediaRecorder.isTypeSupported(t));
    const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    const chunks = [];
    const began = performance.now();
    const limit = setTimeout(() => stop(), options.max_seconds * 1000);
    // the clock ticks outside the status region, which a screen reader would read every second
    const clock = setInterval(() => { clockEl.textContent = elapsed(began); }, 1000);
    recorder.addEventListener("dataavailable", (event) => { if (event.data.size) chunks.push(event.data); });
    recorder.addEventListener("stop", () => {
      clearTimeout(limit);
      clearInterval(clock);
      clockEl.textContent = "";
      for (const track of stream.getTracks()) track.stop();
      listening = null;
      setListening(false);
      const media = (recorder.mimeType || type || "audio/webm").split(";")[0];
      kept = { blob: new Blob(chunks, { type: media }), seconds: (performance.now() - began) / 1000, media };
      transcribe();
    });
    const stop = () => { if (recorder.state === "recording") recorder.stop(); };
    listening = { stop };
    recorder.start(250);
    setListening(true);
    clockEl.textContent = "0:00";
    say("Recording… press Stop (or let go of Alt+V) when you are done.", "notice");
  }

  async function transcribe() {
    if (!kept) return;
    retry.hidden = true;
    say("Transcribing…", "notice");
    const form = new FormData();
    form.append("audio", kept.blob, `answer.${EXTENSIONS[kept.media] ?? "webm"}`);
    form.append("duration_seconds", kept.seconds.toFixed(2));
    let response;
    let data = {};
    try {
      response = await fetch(`/interviews/${interviewId}/transcriptions`, {
        method: "POST",
        body: form,
        headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
      });
      data = await response.json().catch(() => ({}));
    } catch {
      say("The server could not be reached. Your recording is kept: transcribe it again when the connection is back.", "error");
      retry.hidden = false;
      return;
    }
    if (!response.ok) {
      const detail = data.detail || `the request failed (${response.status})`;
      say(`Not transcribed: ${detail}`, "error");
      retry.hidden = !(data.retryable || response.status >= 500);
      return;
    }
    takes.push(kept);
    kept = null;
    putInBox(data.text, data.speech);
    say("Check the words, edit them if you like, then send.", "notice");
  }
  retry.addEventListener("click", transcribe);

  // --- the browser's own recognition, where no transcription server is configured
  function recognise() {
    const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
    const recognition = new Recognition();
    recognition.continuous = true;
    recognition.interimResults = true;
    recognition.lang = document.documentElement.lang || "en-US";
    const began = performance.now();
    const before = answer.value.trim();
    const heard = []; // final words, spread over the time between results
    let last = 0;
    recognition.addEventListener("result", (event) => {
      let interim = "";
      for (let i = event.resultIndex; i < event.results.length; i++) {
        const text = event.results[i][0].transcript.trim();
        if (!event.results[i].isFinal) { interim += ` ${text}`; continue; }
        const now = (performance.now() - began) / 1000;
        const words = text.split(/\s+/).filter(Boolean);
        const step = (now - last) / Math.max(words.length, 1);
        words.forEach((word, j) => heard.push({ word, start: last + j * step, end: last + (j + 1) * step }));
        last = now;
      }
      const said = heard.map((w) => w.word).join(" ");
      answer.value = [before, said, interim.trim()].filter(Boolean).join(" ");
    });
    recognition.addEventListener("error", (event) => {
      say(`Speech recognition stopped (${event.error}). Type your answer, or set up a transcription server.`, "error");
    });
    recognition.addEventListener("end", () => {
      listening = null;
      setListening(false);
      const seconds = Math.max((performance.now() - began) / 1000, last, 0.1);
      if (heard.length) {
        const words = heard.map((w) => ({ ...w, word: w.word.slice(0, 100) }));
        pending = joined(pending, { duration_seconds: seconds, words, timing: "segment", source: "browser" });
        say("Check the words, edit them if you like, then send.", "notice");
        answer.focus();
      } else if (!state.classList.contains("error")) {
        say("Nothing was heard. Try again, closer to the microphone.");
      }
    });
    listening = { stop: () => recognition.stop() };
    recognition.start();
    setListening(true);
    say("Listening…", "notice");
  }

  // --- the button and the push-to-talk key (hold Alt+V)
  let mode = "none";
  const begin = () => {
    if (listening) return;
    speaker.cancel(); // speaking over the interviewer stops it, as in a conversation
    if (mode === "server") record();
    else if (mode === "browser") recognise();
  };
  const end = () => listening?.stop();
  mic.addEventListener("click", () => {
    if (mode === "none") {
      say(
        "Speaking needs a transcription server (set ONSITE_STT_MODEL, see the README) or a browser " +
          "with speech recognition (Chrome, Edge, Safari). You can always type.",
        "error",
      );
      return;
    }
    if (listening) end();
    else begin();
  });
  let held = false;
  document.addEventListener("keydown", (event) => {
    if (event.altKey && event.code === "KeyV" && !event.repeat && mode !== "none") {
      event.preventDefault();
      held = true;
      begin();
    }
  });
  document.addEventListener("keyup", (event) => {
    if (held && (event.code === "KeyV" || event.key === "Alt")) {
      held = false;
      end();
    }
  });

  fetch("/speech/options", { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : options))
    .catch(() => options)
    .then((found) => {
      options = found;
      speaker.useServer(Boolean(found.speech));
      const canRecord = Boolean(navigator.mediaDevices?.getUserMedia && window.MediaRecorder);
      const canRecognise = Boolean(window.SpeechRecognition || window.webkitSpeechRecognition);
      mode = found.transcription && canRecord ? "server" : canRecognise ? "browser" : "none";
      mic.dataset.mode = mode;
      mic.title = mode === "none" ? "Speaking is not set up here" : "Click, or hold Alt+V, to speak your answer";
    });
}

// the words of two recordings in one answer: the second's times follow the first's
function joined(first, second) {
  if (!first) return second;
  const offset = first.duration_seconds;
  return {
    duration_seconds: offset + second.duration_seconds,
    words: [...first.words, ...second.words.map((w) => ({ ...w, start: w.start + offset, end: w.end + offset }))],
    timing: first.timing === second.timing ? first.timing : "segment",
    source: first.source === second.source ? first.source : "browser",
  };
}

function elapsed(since) {
  const seconds = Math.floor((performance.now() - since) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function loadSettings() {
  try {
    return { muted: false, voice: "", rate: 1, ...JSON.parse(localStorage.getItem(SETTINGS_KEY) || "{}") };
  } catch {
    return { muted: false, voice: "", rate: 1 };
  }
}

function settingsControls(settings, speaker) {
  const save = () => localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));
  const mute = document.getElementById("speech-mute");
  const voice = document.getElementById("speech-voice");
  const rate = document.getElementById("speech-rate");
  const rateValue = document.getElementById("speech-rate-value");
  mute.checked = settings.muted;
  rate.value = String(settings.rate);
  rateValue.textContent = Number(settings.rate).toFixed(1);
  mute.addEventListener("change", () => {
    settings.muted = mute.checked;
    if (settings.muted) speaker.cancel();
    save();
  });
  rate.addEventListener("input", () => {
    settings.rate = Number(rate.value);
    rateValue.textContent = settings.rate.toFixed(1);
    save();
  });
  voice.addEventListener("change", () => {
    settings.voice = voice.value;
    save();
  });
  const fill = () => {
    const voices = window.speechSynthesis?.getVoices() ?? [];
    for (const each of voices) {
      if ([...voice.options].some((o) => o.value === each.name)) continue;
      voice.append(new Option(`${each.name} (${each.lang})`, each.name, false, each.name === settings.voice));
    }
  };
  fill();
  window.speechSynthesis?.addEventListener?.("voiceschanged", fill);
}

// The interviewer's voice: sentences are spoken as soon as they are complete in the stream.
function createSpeaker({ interviewId, csrf, settings }) {
  let buffer = "";
  let server = false;
  let chain = Promise.resolve();
  let generation = 0; // a cancel makes every queued sentence of older generations silent
  let playing = null;

  const browserSay = (text) => {
    if (!window.speechSynthesis) return;
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.rate = settings.rate;
    const voice = window.speechSynthesis.getVoices().find((v) => v.name === settings.voice);
    if (voice) utterance.voice = voice;
    window.speechSynthesis.speak(utterance);
  };
  const serverSay = (text) => {
    const mine = generation;
    // fetched at once, played in order
    const fetched = fetch(`/interviews/${interviewId}/speech`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ text }),
    }).then((r) => (r.ok ? r.blob() : null)).catch(() => null);
    chain = chain.then(async () => {
      const blob = await fetched;
      if (mine !== generation) return;
      if (!blob) { browserSay(text); return; } // the speech server failed: the browser speaks
      const url = URL.createObjectURL(blob);
      playing = new Audio(url);
      playing.playbackRate = settings.rate;
      await new Promise((resolve) => {
        playing.addEventListener("ended", resolve);
        playing.addEventListener("error", resolve);
        playing.play().catch(resolve);
      });
      URL.revokeObjectURL(url);
      playing = null;
    });
  };
  const sentence = (raw) => {
    const text = spoken(raw);
    if (!text || settings.muted) return;
    if (server) serverSay(text);
    else browserSay(text);
  };
  return {
    useServer(value) { server = value; },
    token(text) {
      buffer += text;
      // a sentence ends at . ! ? or … followed by a space, or at the end of a line (a heading,
      // a list item, a paragraph)
      let match;
      while ((match = buffer.match(/^([\s\S]*?)(?:([.!?…]["')\]]*)\s+|[ \t]*\n\s*)(?=\S)/))) {
        sentence(match[1] + (match[2] ?? ""));
        buffer = buffer.slice(match[0].length);
      }
    },
    flush() {
      sentence(buffer);
      buffer = "";
    },
    cancel() {
      buffer = "";
      generation += 1;
      window.speechSynthesis?.cancel();
      playing?.pause();
    },
  };
}

// what is said aloud of a Markdown sentence: code is on the screen, formatting is not spoken
function spoken(markdown) {
  return markdown
    .replace(/```[\s\S]*?(```|$)/g, " (the code is on the screen) ")
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/^\s*(#+|>|[-*+]|\d+\.)\s+/gm, "")
    .replace(/[*_~]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
}
