// The compliance heat map: organisations × months, one cell per organisation and month, coloured
// by whether the requirements due that month were met. A click opens the month's detail.
(function () {
  const source = document.getElementById("heatmap-data");
  const box = document.getElementById("heatmap");
  if (!source || !box || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  box.style.height = `${box.dataset.height}px`;
  const order = { future: 0, none: 1, met: 2, open: 3, unmet: 4 };
  const colours = ["#f1f3f5", "#dee2e6", "#2fb344", "#f59f00", "#d63939"];
  const names = ["future", "none", "met", "open", "unmet"];
  const chart = echarts.init(box, null, { renderer: "canvas" });
  const months = Array.from({ length: 12 }, (_, i) => `${i + 1}月`);
  chart.setOption({
    animation: false,
    grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
    tooltip: {
      // Drawn on the canvas: an HTML tooltip carries style attributes the CSP refuses.
      renderMode: "richText",
      formatter: (p) => {
        const [month, row, status, required, met, backFilled, others] = p.data.raw;
        let text = `${data.orgs[row]} · ${data.year}年${month + 1}月\n${data.labels[status]}`;
        if (required) text += `（到期要求 ${required} 项，达到 ${met} 项）`;
        if (backFilled) text += `\n补记录 ${backFilled} 次`;
        for (const note of others) text += `\n${note}`;
        return text;
      },
    },
    xAxis: { type: "category", data: months, splitArea: { show: true } },
    yAxis: {
      type: "category", data: data.orgs, inverse: true,
      axisLabel: { interval: 0, width: 160, overflow: "truncate" },
    },
    visualMap: {
      type: "piecewise", dimension: 2, orient: "horizontal", left: "center", bottom: 0,
      pieces: names.map((name, i) => ({ value: i, label: data.labels[name], color: colours[i] })),
    },
    series: [{
      type: "heatmap",
      data: data.cells.map((c) => ({ value: [c[0], c[1], order[c[2]]], raw: c })),
      // "补": a meeting recorded late; "!": a duty of another app (发展党员) overdue that month.
      label: {
        show: true, fontSize: 11,
        formatter: (p) => (p.data.raw[5] ? "补" : "") + (p.data.raw[6].length ? "!" : ""),
      },
      itemStyle: { borderColor: "#fff", borderWidth: 2 },
    }],
  });
  chart.on("click", (p) => {
    const [month, row] = p.data.raw;
    const url = data.cell_url.replace("/0/", `/${data.ids[row]}/`).replace(/\/1\/$/, `/${month + 1}/`);
    window.htmx.ajax("GET", url, { target: "#cell", swap: "innerHTML" });
  });
  window.addEventListener("resize", () => chart.resize());
})();
