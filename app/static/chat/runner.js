// The code runner's results: per test, passed or failed, with the input, expected and actual values.
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

export const element = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
};

export function renderRun(results, result) {
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
}
