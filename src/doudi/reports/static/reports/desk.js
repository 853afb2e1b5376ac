// The director's dashboards (ECharts, served locally): data from the page's json_script tag, amounts in fen.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("desk-data");
  if (!el || typeof echarts === "undefined") return;
  var d = JSON.parse(el.textContent);
  var charts = [];
  var w = d.words;  // axis and series names, translated by the server
  function yuan(fen) { return (fen / 100).toLocaleString("zh-CN", {minimumFractionDigits: 2, maximumFractionDigits: 2}); }
  function wan(fen) { return Math.round(fen / 100) / 10000; }
  function chart(id, option) {
    var node = document.getElementById(id);
    if (!node) return;
    var c = echarts.init(node); c.setOption(option); charts.push(c);
  }
  chart("chart-programs", {
    tooltip: {trigger: "item"}, legend: {bottom: 0},
    series: [{type: "pie", radius: ["35%", "65%"], label: {formatter: "{b}\n{c}"}, data: d.programs}]
  });
  chart("chart-areas", {
    tooltip: {trigger: "axis"}, legend: {}, grid: {left: 50, right: 50, bottom: 60},
    xAxis: {type: "category", data: d.areas.map(function (a) { return a.name; }), axisLabel: {rotate: 30}},
    yAxis: [{type: "value", name: w.households}, {type: "value", name: w.ten_thousand_yuan}],
    series: [
      {name: w.entitled, type: "bar", data: d.areas.map(function (a) { return a.entitlements; })},
      {name: w.paid_this_month, type: "line", yAxisIndex: 1, data: d.areas.map(function (a) { return wan(a.payroll_fen); })}
    ]
  });
  chart("chart-monthly", {
    tooltip: {trigger: "axis"}, legend: {}, grid: {left: 50, right: 50, bottom: 30},
    xAxis: {type: "category", data: d.monthly.map(function (m) { return m.month; })},
    yAxis: [{type: "value", name: w.households}, {type: "value", name: w.ten_thousand_yuan}],
    series: [
      {name: w.entitled, type: "line", data: d.monthly.map(function (m) { return m.entitlements; })},
      {name: w.paid_in_month, type: "bar", yAxisIndex: 1, data: d.monthly.map(function (m) { return wan(m.payroll_fen); })}
    ]
  });
  chart("chart-cases", {
    tooltip: {}, grid: {left: 10, right: 30, top: 10, bottom: 20, containLabel: true},
    xAxis: {type: "value"}, yAxis: {type: "category", data: d.cases.map(function (c) { return c.name; })},
    series: [{type: "bar", data: d.cases.map(function (c) { return c.value; }), itemStyle: {color: "#b42318"}}]
  });
  var kinds = Object.keys(d.kinds);
  chart("chart-tickets", {
    tooltip: {trigger: "axis"}, legend: {}, grid: {left: 40, right: 10, bottom: 30},
    xAxis: {type: "category", data: d.tickets.map(function (t) { return t.month; })}, yAxis: {type: "value"},
    series: kinds.map(function (k) {
      return {name: d.kinds[k], type: "bar", stack: "all", data: d.tickets.map(function (t) { return t[k]; })};
    })
  });
  var f = d.flows;
  chart("chart-flows", {
    tooltip: {trigger: "axis"}, legend: {}, grid: {left: 40, right: 10, bottom: 30},
    xAxis: {type: "category", data: f.months}, yAxis: {type: "value", name: w.benefits},
    series: Object.keys(f.labels).map(function (k) {
      return {name: f.labels[k], type: k === "new" ? "bar" : "line", data: f.series[k]};
    })
  });
  chart("chart-steps", {
    tooltip: {trigger: "axis"}, legend: {}, grid: {left: 10, right: 30, top: 30, bottom: 20, containLabel: true},
    xAxis: {type: "value"}, yAxis: {type: "category", data: d.steps.map(function (s) { return s.label; })},
    series: [
      {name: w.on_time, type: "bar", stack: "n", data: d.steps.map(function (s) { return s.on_time; }), itemStyle: {color: "#2e7d32"}},
      {name: w.late, type: "bar", stack: "n", data: d.steps.map(function (s) { return s.late; }), itemStyle: {color: "#b42318"}}
    ]
  });
  chart("chart-funds", {
    tooltip: {trigger: "axis"}, legend: {}, grid: {left: 10, right: 10, top: 30, bottom: 20, containLabel: true},
    xAxis: {type: "category", data: d.funds.map(function (x) { return x.label; }), axisLabel: {interval: 0, rotate: 20}},
    yAxis: {type: "value", name: w.ten_thousand_yuan},
    series: [
      {name: w.allocated, type: "bar", data: d.funds.map(function (x) { return wan(x.allocated_fen); })},
      {name: w.spent, type: "bar", data: d.funds.map(function (x) { return wan(x.spent_fen); })}
    ]
  });
  var total = document.getElementById("payroll-total");
  if (total) total.textContent = yuan(d.totals.payroll_fen);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
});
