// Home: the chosen round's description and bank questions; the inputs of the chosen question mode;
// a one-line summary of what Start will do, so the folded options are never a surprise.
const form = document.getElementById("start-form");
if (form) {
  const select = form.querySelector("#question_id");
  const duration = form.querySelector("#duration_minutes");
  const update = () => {
    const chosen = form.querySelector("input[name=round]:checked");
    const round = chosen?.value;
    document.getElementById("round-about").textContent = chosen?.dataset.description ?? "";
    duration.options[0].textContent = `The round's own (${chosen?.dataset.duration} min)`;
    for (const group of select.querySelectorAll("optgroup")) {
      const match = group.dataset.round === round;
      group.hidden = !match;
      group.disabled = !match;
    }
    if (select.selectedOptions[0]?.parentElement?.disabled) select.value = "";
    const mode = form.querySelector("input[name=question_choice]:checked")?.value;
    const difficulty = form.querySelector("#difficulty");
    difficulty.disabled = mode !== "random";
    select.disabled = mode !== "bank";
    select.required = mode === "bank";
    const custom = form.querySelector("#custom_question");
    custom.disabled = mode !== "custom";
    custom.required = mode === "custom";
    const question = {
      random: difficulty.value ? `A random ${difficulty.value} question` : "A random question",
      bank: select.value ? `“${select.selectedOptions[0].textContent}”` : "A question you choose",
      custom: "Your own question",
    }[mode];
    const minutes = duration.value || chosen?.dataset.duration;
    document.getElementById("start-summary").textContent = `${question}; ${minutes} minutes.`;
  };
  form.addEventListener("change", update);
  // a required field inside the folded options opens them, so the browser can point at it
  form.addEventListener("invalid", () => { document.getElementById("more-options").open = true; }, true);
  update();
}
