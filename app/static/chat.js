// The interview chat: send answers, stream the interviewer's reply, keep time, keep the code.
const chat = document.getElementById("chat");
if (chat) {
  const interviewId = chat.dataset.interview;
  const csrf = document.querySelector("meta[name=csrf-token]").content;
  const transcript = document.getElementById("transcript");
  const form = document.getElementById("composer");
  const answer = document.getElementById("answer");
  const code = document.getElementById("code");
  const status = document.getElementById("status");
  const retryButton = document.getElementById("retry");
  const workspaceData = document.getElementById("workspace-data");
  let workspace = workspaceData ? JSON.parse(workspaceData.textContent) : null;
  // the editor's text is kept per question, so a new question starts from its own starter
  const codeKey = () => `onsite:code:${interviewId}:${workspace ? workspace.question_id : "notes"}`;
  let busy = false;

  // --- the timer against the round's budget
  const started = Date.parse(chat.dataset.startedAt);
  const budget = Number(chat.dataset.duration) * 60;
  const elapsedEl = document.getElementById("elapsed");
  const bar = document.getElementById("time-bar");
  const tick = () => {
    const seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
    elapsedEl.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    bar.value = Math.min(seconds, budget);
    elapsedEl.parentElement.classList.toggle("late", seconds > budget);
  };
  tick();
  setInterval(tick, 1000);

  // --- the code editor: Tab indents, Shift+Tab dedents, content survives reloads and turns
  if (code) {
    code.value = localStorage.getItem(codeKey()) ?? workspace?.code ?? "";
    code.addEventListener("input", () => localStorage.setItem(codeKey(), code.value));
    code.addEventListener("keydown", (event) => {
      if (event.key !== "Tab" || event.ctrlKey || event.altKey || event.metaKey) return;
      event.preventDefault();
      const { selectionStart: start, selectionEnd: end, value } = code;
      const lineStart = value.lastIndexOf("\n", start - 1) + 1;
      if (event.shiftKey) {
        const removable = value.slice(lineStart, lineStart + 4).match(/^ {1,4}/);
        if (!removable) return;
        const n = removable[0].length;
        code.value = value.slice(0, lineStart) + value.slice(lineStart + n);
        code.selectionStart = code.selectionEnd = Math.max(lineStart, start - n);
      } else {
        code.value = value.slice(0, start) + "    " + value.slice(end);
        code.selectionStart = code.selectionEnd = start + 4;
      }
      localStorage.setItem(codeKey(), code.value);
    });
  }

  const showError = (message) => {
    status.textContent = message;
    status.hidden = false;
  };
  const clearError = () => {
    status.hidden = true;
    status.textContent = "";
  };
  const runnerButtons = ["run-code", "submit-code"].map((id) => document.getElementById(id));
  const setBusy = (value) => {
    busy = value;
    for (const button of form?.querySelectorAll("button") ?? []) {
      if (button.id !== "finish-open") button.disabled = value;
    }
    for (const button of runnerButtons) {
      if (button) button.disabled = value || !workspace?.enabled;
    }
  };

  const bubble = (role, seq) => {
    const li = document.createElement("li");
    li.className = `msg ${role}`;
    if (seq) li.id = `m-${seq}`;
    const who = document.createElement("span");
    who.className = "who";
    who.textContent = role === "interviewer" ? "Interviewer" : "You";
    const body = document.createElement("div");
    body.className = "body";
    li.append(who, body);
    transcript.append(li);
    return li;
  };

  const updateHeader = (done) => {
    document.getElementById("hints").textContent = done.hints_used;
    const phase = document.getElementById("phase");
    phase.dataset.phase = done.phase;
    if (done.phase === "question") {
      const qnum = document.getElementById("qnum");
      if (qnum) qnum.textContent = done.question_number;
    } else {
      phase.textContent = done.phase === "candidate_questions" ? "Your questions" : "Wrapped up";
    }
  };

  // Read an SSE body from fetch (EventSource cannot POST).
  async function* events(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        let name = "message";
        let data = "";
        for (const line of frame.split("\n")) {
          if (line.startsWith("event: ")) name = line.slice(7);
          else if (line.startsWith("data: ")) data += line.slice(6);
        }
        yield { name, data: data ? JSON.parse(data) : null };
      }
    }
  }

  async function run(url, body, onStored = () => {}) {
    clearError();
    setBusy(true);
    let reply = null;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream", "X-CSRF-Token": csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) {
        let detail = `The request failed (${response.status}).`;
        try { detail = (await response.json()).detail || detail; } catch { /* not JSON */ }
        if (response.status === 401) detail = "Your session expired. Reload the page to sign in again.";
        showError(detail);
        return;
      }
      for await (const event of events(response)) {
        if (event.name === "candidate") {
          const mine = bubble("candidate", event.data.seq);
          mine.querySelector(".body").innerHTML = event.data.html; // sanitised by the server
          onStored();
        } else if (event.name === "token") {
          if (!reply) {
            reply = bubble("interviewer");
            reply.classList.add("streaming");
          }
          reply.querySelector(".body").append(event.data.text);
          reply.scrollIntoView({ block: "end" });
        } else if (event.name === "done") {
          reply = reply || bubble("interviewer");
          reply.classList.remove("streaming");
          reply.id = `m-${event.data.seq}`;
          reply.querySelector(".body").innerHTML = event.data.html; // sanitised by the server
          updateHeader(event.data);
          retryButton.hidden = true;
          await refreshWorkspace();
        } else if (event.name === "error") {
          reply?.remove();
          showError(event.data.detail);
          retryButton.hidden = !event.data.retryable;
          return; // the answer itself was stored
        }
      }
    } catch (error) {
      reply?.remove();
      showError("The connection dropped. Your answer is saved: reload the page to see the reply, or retry.");
      retryButton.hidden = false;
      return;
    } finally {
      setBusy(false);
      answer?.focus();
    }
  }

  const send = async (text) => {
    if (busy || !text.trim()) return;
    const typed = text === compose();
    await run(`/interviews/${interviewId}/turn`, { content: text }, () => {
      if (typed) answer.value = "";
    });
  };

  const compose = () => {
    const written = answer.value.trim();
    const program = code?.value.trim();
    if (!program) return written;
    const language = "python";
    return `${written}\n\n\`\`\`${language}\n${code.value.replace(/\s+$/, "")}\n\`\`\``.trim();
  };

  form?.addEventListener("submit", (event) => {
    event.preventDefault();
    send(compose());
  });
  answer?.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  for (const button of document.querySelectorAll("[data-say]")) {
    button.addEventListener("click", () => send(button.dataset.say));
  }
  retryButton.addEventListener("click", () => run(`/interviews/${interviewId}/retry`));

  // --- the code runner: Run checks the visible examples, Submit is a turn the interviewer sees
  const runner = document.getElementById("runner");
  const results = document.getElementById("results");

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  };
  const STATUS = {
    passed: "passed",
    failed: "wrong answer",
    error: "error",
    time_limit: "time limit exceeded",
    memory_limit: "memory limit exceeded",
    output_limit: "output limit exceeded",
    compile_error: "does not compile",
    not_run: "not run",
  };

  const renderRun = (result) => {
    results.replaceChildren();
    if (!result) return;
    const what = result.kind === "submit" ? "Submission" : "Examples";
    const hidden = result.kind === "submit" ? ` (hidden tests: ${result.hidden_passed}/${result.hidden_total})` : "";
    const summary = element("p", `run-summary ${result.status}`,
      `${what}: ${result.passed}/${result.total} passed${hidden} · ${STATUS[result.status] ?? result.status}`);
    summary.id = "run-summary";
    results.append(summary);
    if (result.error) results.append(element("pre", "run-error", result.error));
    const list = element("ol", "tests");
    for (const test of result.tests) {
      const item = element("li", `test ${test.status}`);
      const head = element("div", "test-head");
      head.append(element("strong", null, test.visible ? test.name : "Hidden test"), " ",
        element("span", "badge", STATUS[test.status] ?? test.status));
      if (test.runtime_ms !== null) head.append(" ", element("span", "muted", `${test.runtime_ms.toFixed(1)} ms`));
      item.append(head);
      if (test.visible && test.status !== "passed") {
        if (test.input) item.append(element("pre", "test-input", test.input));
        if (test.expected !== null) item.append(element("div", "test-expected", `Expected: ${test.expected}`));
        if (test.actual !== null) item.append(element("div", "test-actual", `Got: ${test.actual}`));
      }
      if (test.error) item.append(element("pre", "test-error", test.error));
      list.append(item);
    }
    results.append(list);
    if (result.output) {
      const out = element("details", "run-output");
      out.append(element("summary", null, result.output_truncated ? "Printed output (truncated)" : "Printed output"),
        element("pre", null, result.output));
      results.append(out);
    }
  };

  const applyWorkspace = (next) => {
    const changed = next?.question_id !== workspace?.question_id;
    workspace = next;
    if (!runner) return;
    runner.hidden = !workspace;
    if (!workspace) return;
    document.getElementById("runner-info").textContent =
      `Write ${workspace.entry}${workspace.framework === "pytorch" ? " with PyTorch" : ""}. Run checks the ${workspace.examples.length} example(s); ` +
      `Submit also runs ${workspace.hidden_tests} hidden tests and the interviewer sees the result.`;
    document.getElementById("runner-off").hidden = workspace.enabled;
    document.getElementById("runner-reason").textContent = workspace.reason ?? "";
    for (const button of runnerButtons) button.disabled = busy || !workspace.enabled;
    if (changed && code) {
      code.value = localStorage.getItem(codeKey()) ?? workspace.code;
      results.replaceChildren();
    }
  };

  async function refreshWorkspace() {
    if (!runner) return;
    const response = await fetch(`/interviews/${interviewId}/code`, { headers: { Accept: "application/json" } });
    applyWorkspace(response.ok ? await response.json() : null);
    if (workspace?.last_run) renderRun(workspace.last_run);
  }

  document.getElementById("run-code")?.addEventListener("click", async () => {
    if (busy || !code.value.trim()) return;
    clearError();
    setBusy(true);
    results.replaceChildren(element("p", "muted", "Running the examples…"));
    try {
      const response = await fetch(`/interviews/${interviewId}/code/run`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ code: code.value }),
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        results.replaceChildren();
        showError(body.detail || `The run failed (${response.status}).`);
        return;
      }
      renderRun(body);
    } catch {
      results.replaceChildren();
      showError("The connection dropped; try again.");
    } finally {
      setBusy(false);
    }
  });
  document.getElementById("submit-code")?.addEventListener("click", async () => {
    if (busy || !code.value.trim()) return;
    results.replaceChildren(element("p", "muted", "Running every test…"));
    await run(`/interviews/${interviewId}/code/submit`, { code: code.value });
  });
  if (workspace?.last_run) renderRun(workspace.last_run);

  const dialog = document.getElementById("finish-dialog");
  document.getElementById("finish-open")?.addEventListener("click", () => dialog.showModal());
  document.getElementById("finish-cancel")?.addEventListener("click", () => dialog.close());

  const last = transcript.lastElementChild;
  last?.scrollIntoView({ block: "end" });
}
