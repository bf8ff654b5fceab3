// Small progressive enhancements shared by every page (no inline scripts: the CSP forbids them).
// Destructive buttons ask first, in a dialog that focuses the safe choice (a native confirm()
// would focus OK). The button's own words name the action, e.g. "Delete" or "Discard".
let confirmDialog = null;
const askFirst = (trigger) => {
  if (!confirmDialog) {
    confirmDialog = document.createElement("dialog");
    confirmDialog.className = "confirm";
    confirmDialog.setAttribute("aria-labelledby", "confirm-title");
    confirmDialog.setAttribute("aria-describedby", "confirm-text");
    const form = document.createElement("form");
    form.method = "dialog";
    const title = Object.assign(document.createElement("h2"), { id: "confirm-title", textContent: "Are you sure?" });
    const text = Object.assign(document.createElement("p"), { id: "confirm-text" });
    const actions = Object.assign(document.createElement("div"), { className: "actions" });
    const cancel = Object.assign(document.createElement("button"), { value: "cancel", className: "secondary", textContent: "Cancel" });
    const yes = Object.assign(document.createElement("button"), { value: "yes", className: "danger" });
    actions.append(cancel, yes);
    form.append(title, text, actions);
    confirmDialog.append(form);
    document.body.append(confirmDialog);
  }
  confirmDialog.querySelector("p").textContent = trigger.dataset.confirm;
  confirmDialog.querySelector("button.danger").textContent = trigger.textContent.trim();
  confirmDialog.returnValue = "";
  confirmDialog.onclose = () => {
    if (confirmDialog.returnValue === "yes") trigger.form?.requestSubmit();
    else trigger.focus();
  };
  confirmDialog.showModal();
  confirmDialog.querySelector("button.secondary").focus();
};
document.addEventListener("click", (event) => {
  const trigger = event.target.closest("[data-confirm]");
  if (!trigger) return;
  event.preventDefault();
  askFirst(trigger);
});
for (const select of document.querySelectorAll("select[data-autosubmit]")) {
  select.addEventListener("change", () => select.form.requestSubmit());
}
for (const back of document.querySelectorAll("[data-back]")) {
  if (window.history.length > 1) {
    back.hidden = false;
    back.addEventListener("click", () => window.history.back());
  }
}
// Times are sent in UTC; show them in the reader's own time zone and locale.
const localTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
for (const time of document.querySelectorAll("time[data-local]")) {
  time.title = time.textContent;
  time.textContent = localTime.format(new Date(time.dateTime));
}
