/*
 * The pairing page's histogram of match percentages. Data: the json_script block
 * #histogram-data ({labels: [...], counts: [...]}); the same figures are in the table below
 * the chart. Needs Chart.js (static/vendor/chartjs) loaded first.
 */
(function () {
  "use strict";

  var canvas = document.getElementById("percent-histogram");
  var source = document.getElementById("histogram-data");
  if (!canvas || !source || !window.Chart) return;
  var data = JSON.parse(source.textContent);
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [{ label: "Pairs", data: data.counts, backgroundColor: "#24406b" }]
    },
    options: {
      animation: false,
      plugins: { legend: { display: false } },
      scales: {
        y: { beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Pairs" } },
        x: { title: { display: true, text: "Match percent" } }
      }
    }
  });
})();
