/*
 * The error summary of a long form (templates/_form_errors.html): focused when the page
 * loads, so keyboard and screen-reader users start from the list of problems; each link
 * moves the focus to its field (to the skill search box where static/js/skills-autocomplete.js
 * replaced a list by one) and scrolls the field's label into view.
 */
(function () {
  "use strict";

  function fieldOf(link) {
    var id = decodeURIComponent(link.hash.slice(1));
    var field = document.getElementById(id);
    if (field && field.hidden) field = document.getElementById(id + "_search") || field;
    return field;
  }

  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && fieldOf(link);
      if (!field) return;
      event.preventDefault();
      var label = field.id && document.querySelector('label[for="' + field.id + '"]');
      (label || field).scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
