// The interview chat: send answers, show the interviewer typing and streaming, keep time, and say
// truthfully what happened to an answer when a send fails or is stopped.
import { events } from "./chat/sse.js";
import { paneTabs } from "./chat/tabs.js";

const chat = document.getElementById("chat");
if (chat) start(chat);

function start(chat) {
  const interviewId = chat.dataset.interview;
  const csrf = document.querySelector("meta[name=csrf-token]").content;
  const transcript = document.getElementById("transcript");
  const form = document.getElementById("composer");
  const answer = document.getElementById("answer");
  const answerError = document.getElementById("answer-error");
  const sendButton = document.getElementById("send");
  const stopButton = document.getElementById("stop");
  const includeCode = document.getElementById("include-code");
  const status = document.getElementById("status");
  const retryButton = document.getElementById("retry");
  const announcer = document.getElementById("announcer");
  // on a phone's keyboard Enter adds a line and the Send button sends
  const touch = window.matchMedia("(pointer: coarse)").matches;
  let busy = false;
  let controller = null;
  let attempt = null; // the answer being sent and its Idempotency-Key, until the server has it

  // --- the timer against the round's budget
  const started = Date.parse(chat.dataset.startedAt);
  const budget = Number(chat.dataset.duration) * 60;
  const elapsedEl = document.getElementById("elapsed");
  const bar = document.getElementById("time-bar");
  const timeUp = document.getElementById("time-up");
  const timeUpKey = `onsite:time-up-seen:${interviewId}`;
  const tick = () => {
    const seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
    elapsedEl.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    bar.value = Math.min(seconds, budget);
    elapsedEl.parentElement.classList.toggle("late", seconds >= budget);
    // said once, when the time runs out (an alert), with the ways to end well
    if (timeUp && seconds >= budget && !sessionStorage.getItem(timeUpKey)) {
      sessionStorage.setItem(timeUpKey, "1");
      const closed = document.getElementById("phase").dataset.phase === "closed";
      document.getElementById("wrap-up").hidden = closed;
      timeUp.hidden = false;
    }
  };
  tick();
  setInterval(tick, 1000);

  const showError = (message, { retry = false, tone = "error" } = {}) => {
    status.textContent = message;
    status.className = tone;
    status.hidden = false;
    retryButton.hidden = !retry;
  };
  const clearError = () => {
    status.hidden = true;
    status.textContent = "";
    retryButton.hidden = true;
  };

  const tabs = paneTabs();
  // the pad (and its editor, the largest script) loads only in coding rounds
  let pad = null;
  if (document.getElementById("pane-code")) {
    import("./chat/pad.js").then(({ createPad }) => {
      pad = createPad({
        interviewId,
        csrf,
        showError,
        clearError,
        submit: (code) => {
          tabs.show("chat");
          return run(`/interviews/${interviewId}/code/submit`, { code }, { echo: "Submitting my code…" });
        },
      });
    });
  }

  // the design diagram pane (system design rounds): app/static/diagram/
  let diagram = null;
  if (document.getElementById("pane-diagram")) {
    import("./diagram/pane.js").then(({ createDiagram }) => { diagram = createDiagram({ interviewId }); });
  }

  // --- the transcript scrolls, the page does not: keep the newest message in view
  const nearBottom = () => transcript.scrollHeight - transcript.scrollTop - transcript.clientHeight < 80;
  const toBottom = () => { transcript.scrollTop = transcript.scrollHeight; };
  const lastSeq = () => Number([...transcript.querySelectorAll("li[data-seq]")].at(-1)?.dataset.seq ?? 0);

  const bubble = (role, { seq, html, text, className } = {}) => {
    const li = document.createElement("li");
    li.className = `msg ${role}${className ? ` ${className}` : ""}`;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = role === "interviewer" ? "Interviewer" : "You";
    const body = document.createElement("div");
    body.className = "body";
    li.append(who, body);
    if (seq) settle(li, { seq, html });
    else if (text !== undefined) body.textContent = text;
    transcript.append(li);
    return li;
  };
  // a bubble becomes the stored message: its id, its seq and the server's (sanitised) HTML
  const settle = (li, { seq, html }) => {
    li.id = `m-${seq}`;
    li.dataset.seq = seq;
    li.classList.remove("sending", "streaming", "typing");
    li.removeAttribute("aria-hidden");
    li.querySelector(".body").innerHTML = html;
  };
  const typingBubble = () => {
    const li = bubble("interviewer", { className: "typing" });
    const dots = document.createElement("span");
    dots.className = "dots";
    dots.setAttribute("aria-hidden", "true");
    dots.append(document.createElement("i"), document.createElement("i"), document.createElement("i"));
    const label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = "The interviewer is typing";
    li.querySelector(".body").append(dots, label);
    return li;
  };

  const announce = (li) => {
    // one announcement per finished reply: the transcript itself is not a live region
    announcer.textContent = `Interviewer: ${li.querySelector(".body").innerText.trim()}`;
  };

  const updateHeader = (data) => {
    document.getElementById("hints").textContent = data.hints_used;
    const phase = document.getElementById("phase");
    phase.dataset.phase = data.phase;
    if (data.phase === "question") {
      const qnum = document.getElementById("qnum");
      if (qnum) qnum.textContent = data.question_number;
    } else {
      phase.textContent = data.phase === "candidate_questions" ? "Your questions" : "Wrapped up";
    }
  };

  const setBusy = (value) => {
    busy = value;
    transcript.setAttribute("aria-busy", String(value));
    for (const button of form?.querySelectorAll(".actions button") ?? []) {
      if (button.id !== "finish-open") button.disabled = value;
    }
    if (sendButton) {
      sendButton.hidden = value;
      stopButton.hidden = !value;
    }
    retryButton.disabled = value;
    pad?.setBusy(value);
  };

  // After a stopped or broken stream: ask the server what it stored, and show exactly that.
  async function reconcile(before, { text, stopped }) {
    const patience = 60; // half-seconds to wait for a reply the server is still writing
    if (stopped) showError("Stopped. The interviewer finishes the reply on the server; it shows here once it is saved.", { tone: "notice" });
    for (let tries = 0; tries < patience; tries++) {
      let state;
      try {
        const response = await fetch(`/interviews/${interviewId}/messages?after=${before}`, {
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(String(response.status));
        state = await response.json();
      } catch {
        dropLocal(before);
        if (text !== undefined) restore(text);
        showError(text === undefined
          ? "The connection dropped and the server cannot be reached. Reload the page when it is back."
          : "The connection dropped and the server cannot be reached, so your answer may not be saved. " +
            "It is back in the box: send it again when the connection is back (it will not be stored twice).");
        return;
      }
      const candidate = state.messages.find((m) => m.role === "candidate");
      if (!candidate && text !== undefined) {
        dropLocal(before);
        restore(text);
        showError("Your answer did not reach the server and is not saved. It is back in the box: send it again.");
        return;
      }
      if (!state.awaiting_reply || tries === patience - 1) {
        dropLocal(before);
        for (const message of state.messages) bubble(message.role, message);
        updateHeader(state);
        // the answer is stored, though its event never came: what waited for it goes on
        if (candidate) chat.dispatchEvent(new CustomEvent("onsite:stored", { detail: candidate }));
        if (state.awaiting_reply) {
          showError("Your answer is saved, but the interviewer's reply to it is missing.", { retry: true });
        } else {
          const reply = [...transcript.querySelectorAll(".msg.interviewer")].at(-1);
          if (reply) announce(reply);
          showError(stopped
            ? "You stopped the reply. Your answer is saved, and so is the interviewer's whole reply, shown above."
            : "The connection dropped, but your answer and the interviewer's reply are saved: both are shown above.",
          { tone: "notice" });
          pad?.refresh(state);
        }
        toBottom();
        attempt = null;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const dropLocal = (before) => {
    for (const li of [...transcript.children]) {
      if (!li.dataset.seq || Number(li.dataset.seq) > before) li.remove();
    }
  };
  const restore = (text) => {
    if (answer && !answer.value.trim()) answer.value = text;
  };

  async function run(url, body, { echo, text } = {}) {
    clearError();
    setBusy(true);
    const before = lastSeq();
    const pending = echo ? bubble("candidate", { text: echo, className: "sending" }) : null;
    let reply = typingBubble();
    let streaming = false;
    toBottom();
    controller = new AbortController();
    const headers = { "Content-Type": "application/json", Accept: "text/event-stream", "X-CSRF-Token": csrf };
    if (attempt && text !== undefined) headers["Idempotency-Key"] = attempt.key;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
      if (!response.ok) {
        let detail = `The request failed (${response.status}).`;
        try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
        if (response.status === 401) detail = "Your session expired. Reload the page to sign in again.";
        pending?.remove();
        reply.remove();
        if (text !== undefined) restore(text);
        showError(text === undefined ? detail : `Your answer was not saved: ${detail}`);
        return;
      }
      for await (const event of events(response)) {
        const stick = nearBottom();
        if (event.name === "candidate") {
          if (pending) settle(pending, event.data);
          else transcript.insertBefore(bubble("candidate", event.data), reply);
          attempt = null;
          if (includeCode) includeCode.checked = false;
          if (text !== undefined) diagram?.sent();
          chat.dispatchEvent(new CustomEvent("onsite:stored", { detail: event.data }));
        } else if (event.name === "token") {
          if (!streaming) {
            streaming = true;
            reply.classList.replace("typing", "streaming");
            reply.querySelector(".body").replaceChildren();
          }
          reply.querySelector(".body").append(event.data.text);
          chat.dispatchEvent(new CustomEvent("onsite:token", { detail: event.data.text }));
        } else if (event.name === "done") {
          settle(reply, event.data);
          announce(reply);
          chat.dispatchEvent(new CustomEvent("onsite:reply", { detail: event.data }));
          updateHeader(event.data);
          await pad?.refresh(event.data);
        } else if (event.name === "error") {
          reply.remove();
          showError(`Your answer is saved, but the reply failed: ${event.data.detail}`, {
            retry: event.data.retryable,
          });
          return;
        }
        if (stick) toBottom();
      }
    } catch {
      const stopped = controller.signal.aborted;
      if (stopped) reply.classList.add("stopped");
      await reconcile(before, { text, stopped });
    } finally {
      controller = null;
      setBusy(false);
    }
  }

  const compose = () => {
    const written = answer.value.trim();
    if (!includeCode?.checked || !pad?.code().trim()) return written;
    return `${written}\n\n\`\`\`python\n${pad.code().replace(/\s+$/, "")}\n\`\`\``.trim();
  };

  const send = async (text, { typed = false } = {}) => {
    if (busy) return;
    const extra = typed ? diagram?.attachment() ?? {} : {};
    if (!text.trim() && !extra.diagram) {
      answerError.textContent = diagram
        ? "Nothing to send: write your answer in the box, or tick \u201cInclude my diagram\u201d."
        : includeCode?.checked
        ? "Nothing to send: write an answer or some code first."
        : "Nothing to send: write your answer in the box first.";
      answerError.hidden = false;
      answer.setAttribute("aria-invalid", "true");
      answer.focus();
      return;
    }
    const identity = JSON.stringify([text, extra.diagram ?? null]);
    if (!attempt || attempt.text !== identity) {
      const key = window.crypto.randomUUID?.() ?? `${Date.now()}-${Math.random().toString(36).slice(2)}`;
      attempt = { text: identity, key };
    }
    // the box empties at once, as in any chat; a failed send puts the words back
    const written = typed ? answer.value : undefined;
    if (typed) answer.value = "";
    const refocus = document.activeElement === answer || form.contains(document.activeElement);
    const echo = extra.diagram ? `${text}${text.trim() ? "\n\n" : ""}(with my diagram)` : text;
    // speech.js adds how a spoken answer was spoken (its word times) to the body
    const body = { content: text, ...extra };
    chat.dispatchEvent(new CustomEvent("onsite:answer", { detail: { body, typed } }));
    await run(`/interviews/${interviewId}/turn`, body, { echo, text: written });
    if (refocus && !touch) answer.focus();
  };
  const clearAnswerError = () => {
    answerError.hidden = true;
    answer.removeAttribute("aria-invalid");
  };

  form?.addEventListener("submit", (event) => {
    event.preventDefault();
    send(compose(), { typed: true });
  });
  answer?.addEventListener("input", clearAnswerError);
  answer?.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !touch) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  stopButton?.addEventListener("click", () => controller?.abort());
  for (const button of document.querySelectorAll("[data-say]")) {
    button.addEventListener("click", () => send(button.dataset.say));
  }
  retryButton.addEventListener("click", () => run(`/interviews/${interviewId}/retry`));

  const dialog = document.getElementById("finish-dialog");
  const openFinish = () => {
    dialog.showModal();
    document.getElementById("finish-cancel").focus(); // the safe choice, whatever opened it
  };
  document.getElementById("finish-open")?.addEventListener("click", openFinish);
  document.getElementById("finish-cancel")?.addEventListener("click", () => dialog.close());
  document.getElementById("time-up-finish")?.addEventListener("click", openFinish);
  document.getElementById("time-up-dismiss")?.addEventListener("click", () => {
    timeUp.hidden = true;
    answer?.focus();
  });
  document.getElementById("wrap-up")?.addEventListener("click", () => { timeUp.hidden = true; });

  toBottom();
}
