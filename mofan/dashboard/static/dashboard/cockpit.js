// The leader's dashboard's two charts, drawn from the figures the page embeds (#cockpit-data):
// overdue items and organisational-life completion by month, and assessment grades by year.
// The tables under each chart carry the same figures (for print, and for screen readers).
(function () {
  const source = document.getElementById("cockpit-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const tooltip = { trigger: "axis", renderMode: "richText" }; // no HTML: the CSP refuses its styles
  const charts = [];
  const trend = document.getElementById("cockpit-trend");
  if (trend && data.months.length) {
    const chart = echarts.init(trend, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip,
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: [
        { type: "value", name: "事项", minInterval: 1 },
        { type: "value", name: "%", min: 0, max: 100 },
      ],
      series: [
        { name: "超期事项", type: "bar", data: data.red, itemStyle: { color: "#d63939" } },
        { name: "组织生活完成率", type: "line", yAxisIndex: 1, data: data.compliance,
          itemStyle: { color: "#2fb344" } },
      ],
    });
    charts.push(chart);
  }
  const grades = document.getElementById("cockpit-grades");
  if (grades && data.years.length) {
    const colours = ["#2fb344", "#206bc4", "#f59f00", "#d63939"];
    const chart = echarts.init(grades, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip,
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.years.map((y) => `${y}年`) },
      yAxis: { type: "value", minInterval: 1 },
      series: data.grades.map((name, i) => ({
        name, type: "bar", stack: "grades", data: data.counts.map((row) => row[i]),
        itemStyle: { color: colours[i] },
      })),
    });
    charts.push(chart);
  }
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
})();
