// 发放趋势: draws the monthly totals passed by the page in <script type="application/json" id="chart-data">.
// Kept in a static file so the Content-Security-Policy can forbid inline scripts.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("chart-data");
  var target = document.getElementById("chart");
  if (!source || !target || typeof echarts === "undefined") { return; }
  var d = JSON.parse(JSON.parse(source.textContent));
  var c = echarts.init(target);
  c.setOption({tooltip: {trigger: "axis"}, legend: {}, xAxis: {type: "category", data: d.months},
               yAxis: {type: "value"}, series: d.series});
  window.addEventListener("resize", function () { c.resize(); });
});
