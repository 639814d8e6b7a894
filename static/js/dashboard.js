// The auditor's dashboard: draws each chart from its <script type="application/json"> block with the
// locally served Apache ECharts (no inline script, no network). Each block holds
// {kind: "bar"|"hbar"|"line"|"pie", title, categories: [...], series: [{name, data: [...]}]}.
(function () {
  "use strict";
  if (typeof window.echarts === "undefined") { return; }
  var palette = ["#b71c1c", "#1f4e8c", "#a56200", "#1b7f3b", "#6a1b9a", "#00838f", "#5f6b7a"];
  var font = window.getComputedStyle(document.body).fontFamily;

  function option(spec) {
    var base = { color: palette, textStyle: { fontFamily: font }, tooltip: { trigger: spec.kind === "pie" ? "item" : "axis" }, animation: false };
    if (spec.kind === "pie") {
      var serie = spec.series[0] || { name: "", data: [] };
      base.legend = { type: "scroll", bottom: 0 };
      base.series = [{
        name: serie.name, type: "pie", radius: ["35%", "65%"],
        data: spec.categories.map(function (name, i) { return { name: name, value: serie.data[i] }; })
      }];
      return base;
    }
    var horizontal = spec.kind === "hbar";
    var categoryAxis = { type: "category", data: spec.categories, axisLabel: { interval: 0, width: horizontal ? 190 : 120, overflow: "truncate" } };
    var valueAxis = { type: "value" };
    var counts = spec.series.every(function (serie) {
      return serie.data.every(function (value) { return Math.round(value) === value; });
    });
    if (counts) { valueAxis.minInterval = 1; }
    base.legend = { top: 0 };
    base.grid = { left: horizontal ? 200 : 48, right: 24, top: 32, bottom: horizontal ? 24 : 64, containLabel: false };
    base.xAxis = horizontal ? valueAxis : categoryAxis;
    base.yAxis = horizontal ? categoryAxis : valueAxis;
    if (!horizontal) { categoryAxis.axisLabel.rotate = spec.categories.length > 6 ? 30 : 0; }
    base.series = spec.series.map(function (serie) {
      return { name: serie.name, type: spec.kind === "line" ? "line" : "bar", data: serie.data };
    });
    return base;
  }

  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var height = spec.kind === "hbar" ? Math.max(240, 28 * spec.categories.length + 60) : 300;
    element.style.height = height + "px";
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option(spec));
    element.setAttribute("data-rendered", "true");
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
