// Diagrams sent with answers: the transcript holds each one's Mermaid source (folded); draw it
// above its source, now and whenever the chat adds a message.
import { draw, image } from "./render.js";

async function drawBlock(block) {
  block.dataset.drawn = "pending";
  const source = block.querySelector("code")?.textContent ?? "";
  const view = block.querySelector(".diagram-view");
  const result = await draw(source);
  // a chat transcript that was at its newest message stays there as the drawing takes room
  const scroller = block.closest(".pane-chat .transcript");
  const stick = scroller && scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  if (result.svg) {
    const img = image(result.svg, "The diagram drawn from the Mermaid source below");
    if (stick) img.addEventListener("load", () => { scroller.scrollTop = scroller.scrollHeight; });
    view.replaceChildren(img);
  } else {
    const note = document.createElement("p");
    note.className = "muted";
    note.textContent = `This diagram could not be drawn: ${result.error}`;
    view.replaceChildren(note);
  }
  block.dataset.drawn = result.svg ? "yes" : "error";
}

export function drawDiagrams(root = document) {
  for (const block of root.querySelectorAll(".diagram-block:not([data-drawn])")) drawBlock(block);
}

drawDiagrams();
for (const transcript of document.querySelectorAll(".transcript")) {
  new MutationObserver(() => drawDiagrams(transcript)).observe(transcript, { childList: true, subtree: true });
}
