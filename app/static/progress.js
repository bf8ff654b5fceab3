// Progress charts: one per round, overall and per-criterion scores (1-4) over time, with uPlot.
const source = document.getElementById("progress-data");
if (source && window.uPlot) {
  const series = JSON.parse(source.textContent);
  const palette = ["#2f5bd3", "#d9480f", "#2b8a3e", "#ae3ec9", "#1098ad", "#e67700", "#c2255c", "#5c940d"];
  const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  const axisColor = dark ? "#a0a6b4" : "#5c6270";
  for (const [round, data] of Object.entries(series)) {
    const target = document.querySelector(`[data-chart="${round}"]`);
    if (!target) continue;
    const lines = [
      { label: "Overall", stroke: dark ? "#e6e7ea" : "#1b1c1f", width: 3, points: { size: 7 } },
      ...data.criteria.map((c, i) => ({ label: c.name, stroke: palette[i % palette.length], width: 1.5, points: { size: 5 } })),
    ];
    const values = [data.times, data.overall, ...data.criteria.map((c) => c.scores)];
    const axis = { stroke: axisColor, grid: { stroke: dark ? "#343844" : "#e4e6eb" } };
    const options = {
      width: target.clientWidth || 600,
      height: 260,
      scales: {
        // a day either side of the data: one interview should not stretch the axis over years
        x: {
          time: true,
          auto: false,
          range: [Math.min(...data.times) - 86400, Math.max(...data.times) + 86400],
        },
        y: { range: [1, 4] },
      },
      axes: [axis, { ...axis, values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? t : "")) }],
      series: [{ label: "Date" }, ...lines],
    };
    const plot = new uPlot(options, values, target);
    new ResizeObserver(() => plot.setSize({ width: target.clientWidth, height: 260 })).observe(target);
  }
}
