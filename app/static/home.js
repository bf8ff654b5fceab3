// Home: show only the chosen round's bank questions; enable the inputs of the chosen question mode.
const form = document.getElementById("start-form");
if (form) {
  const select = form.querySelector("#question_id");
  const update = () => {
    const round = form.querySelector("input[name=round]:checked")?.value;
    for (const group of select.querySelectorAll("optgroup")) {
      const match = group.dataset.round === round;
      group.hidden = !match;
      group.disabled = !match;
    }
    if (select.selectedOptions[0]?.parentElement?.disabled) select.value = "";
    const mode = form.querySelector("input[name=question_choice]:checked")?.value;
    form.querySelector("#difficulty").disabled = mode !== "random";
    select.disabled = mode !== "bank";
    select.required = mode === "bank";
    const custom = form.querySelector("#custom_question");
    custom.disabled = mode !== "custom";
    custom.required = mode === "custom";
  };
  form.addEventListener("change", update);
  update();
}
