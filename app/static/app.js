// Small progressive enhancements shared by every page (no inline scripts: the CSP forbids them).
document.addEventListener("click", (event) => {
  const confirmer = event.target.closest("[data-confirm]");
  if (confirmer && !window.confirm(confirmer.dataset.confirm)) event.preventDefault();
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
