/*
 * A participant's balance chart on the pair page. Data: the json_script block
 * #pair-balance-data, one row per side ({label, position, minutes_as_mentor,
 * minutes_as_mentee, items_received}); the same figures are in the visually hidden table
 * next to the chart. Needs Chart.js (static/vendor/chartjs) loaded first.
 */
(function () {
  "use strict";

  var canvas = document.getElementById("pair-balance-chart");
  var source = document.getElementById("pair-balance-data");
  if (!canvas || !source || !window.Chart) return;
  var rows = JSON.parse(source.textContent);
  // The pair page's side colours: side A brand blue, side B accent, a trio's third green.
  var colours = ["#24406b", "#b5472c", "#5a6b2f"];
  new window.Chart(canvas, {
    type: "bar",
    data: {
      labels: ["Hours as mentor", "Hours as mentee", "Confirmed items received"],
      datasets: rows.map(function (row) {
        return {
          label: row.label,
          backgroundColor: colours[row.position % colours.length],
          data: [
            Math.round(row.minutes_as_mentor / 6) / 10,
            Math.round(row.minutes_as_mentee / 6) / 10,
            row.items_received
          ]
        };
      })
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { y: { beginAtZero: true } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
