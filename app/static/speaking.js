// Progress: words a minute and fillers a minute of the spoken interviews over time, with uPlot
// (loaded by the page; this runs once every deferred script has).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("speaking-data");
  const target = document.querySelector("[data-chart=speaking]");
  if (!source || !target || !window.uPlot) return;
  const points = JSON.parse(source.textContent);
  const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  const axis = { stroke: dark ? "#a0a6b4" : "#5c6270", grid: { stroke: dark ? "#343844" : "#e4e6eb" } };
  const times = points.map((p) => p.time);
  const options = {
    width: target.clientWidth || 600,
    height: 220,
    scales: {
      x: { time: true, auto: false, range: [Math.min(...times) - 86400, Math.max(...times) + 86400] },
      wpm: { range: [0, 250] },
      fpm: { range: [0, 15] },
    },
    axes: [axis, { ...axis, scale: "wpm", label: "words a minute" }, { ...axis, scale: "fpm", side: 1, label: "fillers a minute", grid: { show: false } }],
    series: [
      { label: "Date" },
      { label: "Words a minute", scale: "wpm", stroke: "#2f5bd3", width: 2, points: { size: 6 } },
      { label: "Fillers a minute", scale: "fpm", stroke: "#d9480f", width: 2, points: { size: 6 } },
    ],
  };
  const values = [times, points.map((p) => p.words_per_minute), points.map((p) => p.fillers_per_minute)];
  const plot = new uPlot(options, values, target);
  new ResizeObserver(() => plot.setSize({ width: target.clientWidth, height: 220 })).observe(target);
});
