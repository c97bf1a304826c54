/* 财政局看板: draws each figure of the page (JSON in #dashboard-charts) with the vendored ECharts.
   Numbers arrive as exact decimal strings; a click on a bar or a point opens the documents behind it. */
(function () {
  "use strict";
  var COLOURS = { "错误": "#C62828", "警告": "#E65100", "提示": "#1565C0",
    "草稿": "#9AA1AB", "已提交": "#1565C0", "已退回": "#C62828", "已重新提交": "#6A8FD0", "已通过": "#2E7D32",
    "复核等级": "#B71C1C", "自评等级": "#9AA1AB" };
  var PALETTE = ["#B71C1C", "#1565C0", "#E65100", "#2E7D32", "#6A1B9A", "#00838F", "#9AA1AB"];
  var ROW_HEIGHT = 22, VISIBLE_ROWS = 20;

  function num(v) { return v === null || v === undefined ? null : Number(v); }

  function colour(name, index) { return COLOURS[name] || PALETTE[index % PALETTE.length]; }

  function barOption(fig) {
    var horizontal = fig.kind !== "column";
    var many = horizontal && fig.labels.length > VISIBLE_ROWS;
    var category = { type: "category", data: fig.labels, inverse: horizontal,
      axisLabel: { width: horizontal ? 190 : 80, overflow: "truncate", interval: 0 } };
    var value = { type: "value", name: fig.unit, minInterval: fig.unit === "" ? 0 : 1 };
    var series = fig.series.map(function (name, s) {
      return { name: name, type: "bar", stack: fig.stacked ? "all" : undefined, barMaxWidth: 26,
        itemStyle: { color: colour(name, s) }, emphasis: { focus: "series" },
        data: fig.values.map(function (row) { return num(row[s]); }) };
    });
    var option = {
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, show: fig.series.length > 1 },
      grid: { left: 8, right: 24, top: fig.series.length > 1 ? 30 : 12, bottom: 8, containLabel: true },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: series
    };
    if (many) {
      option.dataZoom = [{ type: "slider", yAxisIndex: 0, right: 0, width: 14, startValue: 0,
        endValue: VISIBLE_ROWS - 1, showDetail: false, brushSelect: false },
        { type: "inside", yAxisIndex: 0, zoomOnMouseWheel: false, moveOnMouseWheel: true }];
      option.grid.right = 30;
    }
    return option;
  }

  function scatterOption(fig) {
    return {
      animation: false,
      tooltip: { trigger: "item", formatter: function (p) {
        return p.data[2] + "<br>" + fig.xName + "：" + p.data[0] + "<br>" + fig.yName + "：" + p.data[1]; } },
      grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: fig.xName, nameLocation: "middle", nameGap: 26, scale: true },
      yAxis: { type: "value", name: fig.yName, max: 100, scale: true },
      series: [{ type: "scatter", symbolSize: 7, itemStyle: { color: "#1565C0", opacity: 0.7 },
        large: fig.labels.length > 2000,
        data: fig.values.map(function (row, i) { return [num(row[0]), num(row[1]), fig.labels[i]]; }) }]
    };
  }

  function height(fig) {
    if (fig.kind === "scatter" || fig.kind === "column") { return 300; }
    var rows = Math.min(fig.labels.length, VISIBLE_ROWS);
    return Math.max(160, rows * ROW_HEIGHT + 60);
  }

  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof echarts === "undefined") { return; }
    JSON.parse(source.textContent).forEach(function (fig) {
      var element = document.getElementById("chart-" + fig.key);
      if (!element) { return; }
      var old = echarts.getInstanceByDom(element);
      if (old) { old.dispose(); }
      element.style.height = height(fig) + "px";
      var chart = echarts.init(element, null, { renderer: "canvas", locale: "ZH" });
      chart.setOption(fig.kind === "scatter" ? scatterOption(fig) : barOption(fig));
      chart.on("click", function (p) {
        var url = fig.linkPattern ? fig.linkPattern.replace("{}", fig.links[p.dataIndex])
          : (fig.links[p.dataIndex] || [])[p.seriesIndex];
        if (url) { window.location.href = url; }
      });
    });
  }

  function resize() {
    document.querySelectorAll(".chart").forEach(function (element) {
      var chart = typeof echarts !== "undefined" && echarts.getInstanceByDom(element);
      if (chart) { chart.resize(); }
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("resize", resize);
})();
