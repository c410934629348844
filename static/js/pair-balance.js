/*
 * A participant's balance on the pair page: two small bar charts, because hours and item
 * counts are different units and one axis would make either look tiny or huge.
 *   #pair-balance-hours: hours as mentor and as mentee, one bar per person in each group;
 *   #pair-balance-items: confirmed items received, one bar per person (whole numbers).
 * Data: the json_script block #pair-balance-data, one row per side ({label, position,
 * hours_as_mentor, hours_as_mentee, items_received, …}); the same figures are in the
 * visually hidden table next to the charts, and each canvas's aria-label says them in
 * words. Needs Chart.js (static/vendor/chartjs) loaded first.
 */
(function () {
  "use strict";

  var hoursCanvas = document.getElementById("pair-balance-hours");
  var itemsCanvas = document.getElementById("pair-balance-items");
  var source = document.getElementById("pair-balance-data");
  if (!hoursCanvas || !itemsCanvas || !source || !window.Chart) return;
  var rows = JSON.parse(source.textContent);
  // The pair page's side colours: side A brand blue, side B accent, a trio's third green.
  var colours = ["#24406b", "#b5472c", "#5a6b2f"];
  function colour(row) { return colours[row.position % colours.length]; }

  // suggestedMax: an axis with no bars yet (or tiny ones) still shows a few steps.
  function axis(title, wholeNumbers, suggestedMax) {
    var ticks = wholeNumbers ? { precision: 0, stepSize: 1 } : {};
    return {
      beginAtZero: true,
      suggestedMax: suggestedMax,
      title: { display: true, text: title },
      ticks: ticks
    };
  }

  new window.Chart(hoursCanvas, {
    type: "bar",
    data: {
      labels: ["As mentor", "As mentee"],
      datasets: rows.map(function (row) {
        return {
          label: row.label,
          backgroundColor: colour(row),
          data: [row.hours_as_mentor, row.hours_as_mentee]
        };
      })
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { y: axis("Hours", false, 1) },
      plugins: { legend: { position: "bottom" } }
    }
  });

  new window.Chart(itemsCanvas, {
    type: "bar",
    data: {
      labels: rows.map(function (row) { return row.label; }),
      datasets: [{
        label: "Confirmed items received",
        backgroundColor: rows.map(colour),
        data: rows.map(function (row) { return row.items_received; })
      }]
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { y: axis("Items", true, 3) },
      // The people are the bars' own labels: a legend would repeat the heading.
      plugins: { legend: { display: false } }
    }
  });
  hoursCanvas.setAttribute("data-drawn", "true");
  itemsCanvas.setAttribute("data-drawn", "true");
})();
