// Mermaid source to an image: one sandboxed renderer frame per page draws it (see
// app/web/security.py for why it is framed), and the page shows the SVG as a data: image, which
// the page's strict CSP allows while it forbids the inline styles mermaid writes.
const PATIENCE_MS = 20000; // the frame loads a 5.6 MB script once; after this, say so
let frame = null;
let ready = null;
let next = 0;
const waiting = new Map();

function renderer() {
  if (ready) return ready;
  frame = document.createElement("iframe");
  frame.setAttribute("sandbox", "allow-scripts");
  frame.className = "diagram-renderer";
  frame.title = "Diagram renderer (not shown)";
  frame.tabIndex = -1;
  frame.setAttribute("aria-hidden", "true");
  ready = new Promise((resolve) => {
    window.addEventListener("message", (event) => {
      if (!frame || event.source !== frame.contentWindow) return;
      const data = event.data ?? {};
      if (data.ready) resolve(true);
      else if (waiting.has(data.id)) {
        waiting.get(data.id)(data);
        waiting.delete(data.id);
      }
    });
    setTimeout(() => resolve(false), PATIENCE_MS);
  });
  frame.src = "/diagram-frame";
  document.body.append(frame);
  return ready;
}

// {svg} or {error}
export async function draw(source) {
  if (!(await renderer())) return { error: "The diagram renderer did not load; reload the page to try again." };
  const id = ++next;
  const theme = window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    frame.contentWindow.postMessage({ id, source, theme }, "*");
  });
}

export function image(svg, alt) {
  const img = document.createElement("img");
  img.className = "diagram-image";
  img.alt = alt;
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  return img;
}
