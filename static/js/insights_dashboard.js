/*
 * The HR dashboard's charts. Data: the json_script block #insights-chart-data, a list of
 * {key, type, title, yLabel, labels, datasets: [{label, data, texts}]} built by
 * insights.aggregates.contract.Chart.chartjs(); each chart draws into the canvas with
 * data-chart-key = key. A suppressed cell is null in data and "fewer than 5" in texts: its
 * bar is not drawn, and its label says so. The same figures are in each chart's table.
 * Needs Chart.js (static/vendor/chartjs) loaded first.
 */
(function () {
  "use strict";

  var source = document.getElementById("insights-chart-data");
  if (!source || !window.Chart) return;
  var charts = JSON.parse(source.textContent);
  // Colour-blind-safe palette (Okabe–Ito, darkened for contrast on white).
  var COLOURS = ["#24406b", "#c26a00", "#007a5e", "#8c3f8c", "#0072b2", "#b2442a", "#5c5c5c"];
  var HIDDEN = "fewer than 5";

  function labelFor(chart, index) {
    var label = chart.labels[index];
    var allHidden = chart.datasets.every(function (ds) { return ds.texts[index] === HIDDEN; });
    return allHidden ? label + " (" + HIDDEN + ")" : label;
  }

  charts.forEach(function (chart) {
    var canvas = document.querySelector('canvas[data-chart-key="' + chart.key + '"]');
    if (!canvas) return;
    var horizontal = chart.type === "hbar";
    var line = chart.type === "line";
    var valueAxis = horizontal ? "x" : "y";
    var scales = {};
    scales[valueAxis] = { beginAtZero: true, title: { display: !!chart.yLabel, text: chart.yLabel } };
    new window.Chart(canvas, {
      type: line ? "line" : "bar",
      data: {
        labels: chart.labels.map(function (_, i) { return labelFor(chart, i); }),
        datasets: chart.datasets.map(function (ds, i) {
          return {
            label: ds.label,
            data: ds.data,
            texts: ds.texts,
            backgroundColor: COLOURS[i % COLOURS.length],
            borderColor: COLOURS[i % COLOURS.length],
            spanGaps: false
          };
        })
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        indexAxis: horizontal ? "y" : "x",
        plugins: {
          legend: { display: chart.datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.dataset.label + ": " + item.dataset.texts[item.dataIndex];
              }
            }
          }
        },
        scales: scales
      }
    });
  });
})();
