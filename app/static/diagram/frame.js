// Runs inside the sandboxed renderer frame (templates/diagram_frame.html, its own CSP): draws
// Mermaid source as SVG text for the page that framed it, which shows it as an image. Mermaid
// needs a laid-out document and inline styles to measure and draw; here it has both, and no
// access to the app (an opaque origin: no cookies, no network, no parent DOM).
const { mermaid } = window;
let theme = null;

const configure = (wanted) => {
  if (wanted === theme) return;
  theme = wanted;
  mermaid.initialize({
    startOnLoad: false,
    securityLevel: "strict",
    theme: wanted === "dark" ? "dark" : "default",
    // labels as SVG text, not HTML in a foreignObject: an image draws them the same everywhere
    htmlLabels: false,
    flowchart: { htmlLabels: false },
  });
};

// an SVG shown by <img> needs its own size: take it from the viewBox mermaid computed
const sized = (svg) => {
  const root = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement;
  const [, , width, height] = (root.getAttribute("viewBox") ?? "").split(/[\s,]+/).map(Number);
  if (width > 0 && height > 0) {
    root.setAttribute("width", String(Math.ceil(width)));
    root.setAttribute("height", String(Math.ceil(height)));
  }
  root.removeAttribute("style");
  return new XMLSerializer().serializeToString(root);
};

let count = 0;
window.addEventListener("message", async (event) => {
  if (event.source !== window.parent) return;
  const { id, source, theme: wanted } = event.data ?? {};
  if (typeof id !== "number" || typeof source !== "string") return;
  configure(wanted);
  try {
    await mermaid.parse(source); // a clear syntax error, without mermaid's error drawing
    const { svg } = await mermaid.render(`diagram-${++count}`, source);
    window.parent.postMessage({ id, svg: sized(svg) }, "*");
  } catch (error) {
    const message = String(error?.message ?? error).split("\n").filter(Boolean).slice(0, 4).join("\n");
    window.parent.postMessage({ id, error: message }, "*");
  }
});
// the framing page is our own origin, which this opaque-origin document cannot name: "*"
window.parent.postMessage({ ready: true }, "*");
