// Monitoring charts (ECharts, served locally): data comes from the page's JSON script tag.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("monitoring-data");
  if (!el || typeof echarts === "undefined") return;
  var d = JSON.parse(JSON.parse(el.textContent));
  var colors = {red: "#d92d20", orange: "#f79009", yellow: "#eaaa08"};
  var charts = [];
  function chart(id, option) {
    var node = document.getElementById(id);
    if (!node) return;
    var c = echarts.init(node); c.setOption(option); charts.push(c);
  }
  chart("chart-trend", {
    tooltip: {trigger: "axis"}, legend: {}, grid: {left: 40, right: 10, bottom: 30},
    xAxis: {type: "category", data: d.months}, yAxis: {type: "value"},
    series: d.severity.map(function (s) {
      return {name: s.label, type: "bar", stack: "all", data: s.data, itemStyle: {color: colors[s.code]}};
    })
  });
  chart("chart-rules", {
    tooltip: {}, grid: {left: 10, right: 30, top: 10, bottom: 20, containLabel: true},
    xAxis: {type: "value"}, yAxis: {type: "category", data: d.rules.map(function (r) { return r.name; })},
    series: [{type: "bar", data: d.rules.map(function (r) { return r.value; }), itemStyle: {color: "#b42318"}}]
  });
  chart("chart-funnel", {
    tooltip: {trigger: "item"},
    series: [{type: "funnel", sort: "none", left: "5%", width: "90%", label: {position: "inside", formatter: "{b}：{c}"},
              data: d.funnel}]
  });
  chart("chart-towns", {
    tooltip: {trigger: "axis"}, legend: {}, grid: {left: 40, right: 10, bottom: 60},
    xAxis: {type: "category", data: d.towns.map(function (t) { return t.name; }), axisLabel: {rotate: 30}},
    yAxis: {type: "value"},
    series: [{name: d.labels.alerts, type: "bar", data: d.towns.map(function (t) { return t.total; }), itemStyle: {color: "#98a2b3"}},
             {name: d.labels.overdue, type: "bar", data: d.towns.map(function (t) { return t.overdue; }), itemStyle: {color: "#d92d20"}}]
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
