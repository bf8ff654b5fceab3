// The design diagram pane (system design rounds): Mermaid source on the left of the pair, drawn
// live below it; kept per interview in localStorage; sent with a message when "Include my
// diagram" is ticked, which editing it does.
import { draw, image } from "./render.js";

const STARTER = "flowchart LR\n  client[Client] --> api[API service]\n  api --> db[(Database)]\n";
const DELAY_MS = 350; // redraw once typing pauses

export function createDiagram({ interviewId }) {
  const source = document.getElementById("diagram-source");
  const preview = document.getElementById("diagram-preview");
  const problem = document.getElementById("diagram-error");
  const include = document.getElementById("include-diagram");
  const key = `onsite:diagram:${interviewId}`;
  source.value = localStorage.getItem(key) ?? STARTER;
  let timer = null;
  let latest = 0;

  const redraw = async () => {
    const text = source.value;
    const mine = ++latest;
    if (!text.trim()) {
      preview.replaceChildren();
      problem.hidden = true;
      return;
    }
    preview.setAttribute("aria-busy", "true");
    const result = await draw(text);
    if (mine !== latest) return; // a newer edit is being drawn
    preview.setAttribute("aria-busy", "false");
    if (result.svg) {
      preview.replaceChildren(image(result.svg, "Preview of your diagram"));
      problem.hidden = true;
      source.removeAttribute("aria-invalid");
    } else {
      // the last good drawing stays, dimmed, while the source has a mistake
      preview.classList.add("stale");
      problem.textContent = `Not drawn yet: ${result.error}`;
      problem.hidden = false;
      source.setAttribute("aria-invalid", "true");
      return;
    }
    preview.classList.remove("stale");
  };

  source.addEventListener("input", () => {
    localStorage.setItem(key, source.value);
    include.checked = source.value.trim() !== "";
    clearTimeout(timer);
    timer = setTimeout(redraw, DELAY_MS);
  });
  redraw();

  return {
    // what a typed message carries: the diagram's source, when the candidate includes it
    attachment: () => (include.checked && source.value.trim() ? { diagram: source.value } : {}),
    included: () => include.checked && source.value.trim() !== "",
    sent: () => { include.checked = false; },
  };
}
