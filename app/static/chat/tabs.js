// Narrow screens show one pane of a coding round at a time: Chat, Problem or Code, as ARIA tabs.
export function paneTabs() {
  const tabs = [...document.querySelectorAll(".pane-tabs [role=tab]")];
  const select = (tab, focus = false) => {
    for (const other of tabs) {
      const selected = other === tab;
      other.setAttribute("aria-selected", String(selected));
      other.tabIndex = selected ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls"))?.classList.toggle("active", selected);
    }
    if (focus) tab.focus();
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => select(tab));
    tab.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (step) select(tabs[(i + step + tabs.length) % tabs.length], true);
      else if (event.key === "Home") select(tabs[0], true);
      else if (event.key === "End") select(tabs[tabs.length - 1], true);
      else return;
      event.preventDefault();
    });
  });
  if (tabs.length) select(tabs[0]);
  return { show: (id) => tabs.find((tab) => tab.id === `tab-${id}`) && select(tabs.find((tab) => tab.id === `tab-${id}`)) };
}
