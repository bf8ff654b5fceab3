// The pad's editor: CodeMirror 6 (vendored, see frontend/) in place of the page's plain textarea.
import { createEditor } from "../vendor/codemirror/editor.js";

export function makeEditor(textarea, onChange) {
  const editor = createEditor({
    parent: textarea.parentElement,
    doc: textarea.value,
    onChange,
    nonce: document.querySelector("meta[name=csp-nonce]")?.content ?? "",
    attributes: { "aria-labelledby": "code-label", "aria-describedby": "code-help", tabindex: "0" },
  });
  textarea.remove();
  return editor;
}
