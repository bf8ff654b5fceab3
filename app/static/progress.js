// Progress charts: one per round, overall and per-criterion scores (1-4) by interview, in the
// order taken (#1, #2, ...: three interviews in one morning are three points, not one line),
// with uPlot. The legend always shows values: the latest interview's, or the one pointed at.
const source = document.getElementById("progress-data");
if (source && window.uPlot) {
  const series = JSON.parse(source.textContent);
  const palette = ["#2f5bd3", "#d9480f", "#2b8a3e", "#ae3ec9", "#1098ad", "#e67700", "#c2255c", "#5c940d"];
  const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  const axisColor = dark ? "#a0a6b4" : "#5c6270";
  const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  for (const [round, data] of Object.entries(series)) {
    const target = document.querySelector(`[data-chart="${round}"]`);
    if (!target) continue;
    const count = data.overall.length;
    const order = data.overall.map((_, i) => i + 1);
    const score = (u, v) => (v == null ? "not assessed" : Number.isInteger(v) ? `${v}` : v.toFixed(2));
    const lines = [
      { label: "Overall", stroke: dark ? "#e6e7ea" : "#1b1c1f", width: 3, points: { size: 7 }, value: score },
      ...data.criteria.map((c, i) => ({
        label: c.name, stroke: palette[i % palette.length], width: 1.5, points: { size: 5 }, spanGaps: true, value: score,
      })),
    ];
    const values = [order, data.overall, ...data.criteria.map((c) => c.scores)];
    const axis = { stroke: axisColor, grid: { stroke: dark ? "#343844" : "#e4e6eb" }, labelFont: "600 12px system-ui, sans-serif" };
    const latest = (u) => u.setLegend({ idx: count - 1 });
    const options = {
      width: target.clientWidth || 600,
      height: 280,
      scales: {
        x: { time: false, auto: false, range: [0.5, count + 0.5] },
        y: { auto: false, range: [0.8, 4.2] },
      },
      axes: [
        {
          ...axis,
          label: "Interview, in the order taken",
          incrs: [1],
          values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) && t >= 1 && t <= count ? `#${t}` : "")),
        },
        {
          ...axis,
          label: "Score (1–4)",
          incrs: [1],
          values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) && t >= 1 && t <= 4 ? t : "")),
        },
      ],
      series: [
        {
          label: "Interview",
          value: (u, v) => (v == null ? "" : `#${v} · ${when.format(new Date(data.times[v - 1] * 1000))}`),
        },
        ...lines,
      ],
      // no cursor on the plot: the legend shows the latest interview rather than "--"
      hooks: { ready: [latest], setCursor: [(u) => { if (u.cursor.idx == null) latest(u); }] },
    };
    const plot = new uPlot(options, values, target);
    new ResizeObserver(() => plot.setSize({ width: target.clientWidth, height: 280 })).observe(target);
  }
}
