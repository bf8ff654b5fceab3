// The coding pad's editor: CodeMirror 6 with Python highlighting, line numbers, auto-indent and
// bracket matching. Tab indents; Escape then Tab (or Ctrl+M / Shift+Alt+M on macOS, which turns
// Tab indenting off and on) moves focus out of the editor, so the keyboard is never trapped.
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorState } from "@codemirror/state";
import {
  EditorView, drawSelection, highlightActiveLine, highlightActiveLineGutter, highlightSpecialChars,
  keymap, lineNumbers,
} from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";

// `nonce`: the page's CSP nonce, which CodeMirror puts on the <style> element of its base theme
export function createEditor({ parent, doc = "", onChange = () => {}, attributes = {}, nonce = "" }) {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightSpecialChars(),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        python(),
        indentUnit.of("    "),
        EditorState.tabSize.of(4),
        // token classes (tok-keyword, tok-string, ...) coloured by the app's stylesheet, light or dark
        syntaxHighlighting(classHighlighter),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of(attributes),
        EditorView.cspNonce.of(nonce),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    get: () => view.state.doc.toString(),
    set(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    focus: () => view.focus(),
  };
}
