// ECharts for the figures pages. The numbers come from a JSON data block the server renders
// (<script type="application/json" id="wh-chart-data">); no inline script, no CDN.
(function () {
  "use strict";
  var block = document.getElementById("wh-chart-data");
  if (!block || typeof echarts === "undefined") { return; }
  var data = JSON.parse(block.textContent);
  var red = "#b71c1c", gold = "#e0a100", blue = "#3d6fb6";
  var base = {
    textStyle: { fontFamily: "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif" },
    grid: { left: 16, right: 16, top: 40, bottom: 44, containLabel: true },
    tooltip: { trigger: "axis" },
    animation: false
  };
  function options(kind) {
    if (kind === "months") {
      return Object.assign({}, base, {
        legend: { data: [data.labels.training, data.labels.personTimes], bottom: 0 },
        xAxis: { type: "category", data: data.months, axisLabel: { rotate: 45 } },
        yAxis: [{ type: "value", name: data.labels.training, minInterval: 1 },
                { type: "value", name: data.labels.personTimes, minInterval: 1 }],
        series: [
          { name: data.labels.training, type: "bar", data: data.monthTraining, itemStyle: { color: red } },
          { name: data.labels.personTimes, type: "line", yAxisIndex: 1, data: data.monthPersonTimes,
            itemStyle: { color: blue } }
        ]
      });
    }
    return Object.assign({}, base, {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.kinds, inverse: true },
      series: [{ name: data.labels.activities, type: "bar", data: data.kindActivities, itemStyle: { color: gold },
                 label: { show: true, position: "right" } }]
    });
  }
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(options(el.getAttribute("data-chart")));
    el.setAttribute("data-ready", "1");
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
