// The code editor over the page's textarea: Tab indents, Shift+Tab dedents; get, set, on change.
export function makeEditor(textarea, onChange) {
  textarea.addEventListener("input", () => onChange(textarea.value));
  textarea.addEventListener("keydown", (event) => {
    if (event.key !== "Tab" || event.ctrlKey || event.altKey || event.metaKey) return;
    event.preventDefault();
    const { selectionStart: start, selectionEnd: end, value } = textarea;
    const lineStart = value.lastIndexOf("\n", start - 1) + 1;
    if (event.shiftKey) {
      const removable = value.slice(lineStart, lineStart + 4).match(/^ {1,4}/);
      if (!removable) return;
      const n = removable[0].length;
      textarea.value = value.slice(0, lineStart) + value.slice(lineStart + n);
      textarea.selectionStart = textarea.selectionEnd = Math.max(lineStart, start - n);
    } else {
      textarea.value = value.slice(0, start) + "    " + value.slice(end);
      textarea.selectionStart = textarea.selectionEnd = start + 4;
    }
    onChange(textarea.value);
  });
  return {
    get: () => textarea.value,
    set(text) {
      textarea.value = text;
    },
  };
}
