// The coding pad: the problem, the editor (kept per question in localStorage), Run and Submit.
import { makeEditor } from "./editor.js";
import { element, renderRun } from "./runner.js";

export function createPad({ interviewId, csrf, showError, clearError, submit }) {
  const runner = document.getElementById("runner");
  const results = document.getElementById("results");
  const runButton = document.getElementById("run-code");
  const submitButton = document.getElementById("submit-code");
  const workspaceData = document.getElementById("workspace-data");
  let workspace = workspaceData ? JSON.parse(workspaceData.textContent) : null;
  let busy = false;
  // the editor's text is kept per question, so a new question starts from its own starter
  const codeKey = () => `onsite:code:${interviewId}:${workspace ? workspace.question_id : "notes"}`;
  const textarea = document.getElementById("code");
  textarea.value = localStorage.getItem(codeKey()) ?? workspace?.code ?? "";
  const editor = makeEditor(textarea, (text) => localStorage.setItem(codeKey(), text));

  const enable = () => {
    for (const button of [runButton, submitButton]) button.disabled = busy || !workspace?.enabled;
  };

  const applyWorkspace = (next) => {
    const changed = next?.question_id !== workspace?.question_id;
    workspace = next;
    runner.hidden = !workspace;
    enable();
    if (!workspace) return;
    document.getElementById("runner-info").replaceChildren("Write ", element("code", null, workspace.entry),
      `${workspace.framework === "pytorch" ? " with PyTorch" : ""}. Run checks the ${workspace.examples.length} example(s); ` +
      `Submit also runs ${workspace.hidden_tests} hidden tests and the interviewer sees the result.`);
    document.getElementById("runner-off").hidden = workspace.enabled;
    document.getElementById("runner-reason").textContent = workspace.reason ?? "";
    if (changed) {
      editor.set(localStorage.getItem(codeKey()) ?? workspace.code);
      results.replaceChildren();
    }
  };

  const showProblem = (problem) => {
    if (!problem) return;
    document.getElementById("problem-title").textContent = problem.title;
    document.getElementById("problem-body").innerHTML = problem.html; // sanitised by the server
  };

  async function refresh(header) {
    showProblem(header?.problem);
    const response = await fetch(`/interviews/${interviewId}/code`, { headers: { Accept: "application/json" } });
    applyWorkspace(response.ok ? await response.json() : null);
    if (workspace?.last_run) renderRun(results, workspace.last_run);
  }

  runButton.addEventListener("click", async () => {
    if (busy || !editor.get().trim()) return;
    clearError();
    busy = true;
    enable();
    results.replaceChildren(element("p", "muted", "Running the examples…"));
    try {
      const response = await fetch(`/interviews/${interviewId}/code/run`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify({ code: editor.get() }),
      });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        results.replaceChildren();
        showError(body.detail || `The run failed (${response.status}).`);
        return;
      }
      renderRun(results, body);
    } catch {
      results.replaceChildren();
      showError("The connection dropped before the examples ran; try again.");
    } finally {
      busy = false;
      enable();
    }
  });
  submitButton.addEventListener("click", async () => {
    if (busy || !editor.get().trim()) return;
    results.replaceChildren(element("p", "muted", "Running every test…"));
    await submit(editor.get());
  });
  if (workspace?.last_run) renderRun(results, workspace.last_run);

  return {
    code: () => editor.get(),
    setBusy(value) {
      busy = value;
      enable();
    },
    refresh,
  };
}
