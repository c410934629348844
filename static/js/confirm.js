/*
 * Confirmation before destructive actions, without inline handlers (the Content-Security-Policy
 * refuses onclick=/onsubmit=). Put data-confirm="Question?" on a <form> (asked whatever
 * submits it) or on one submit button (asked only when that button submits). Cancelling the
 * dialog cancels the submission. Loaded on every page by base.html.
 */
(function () {
  "use strict";

  // Capture phase: runs before any handler on the form itself (htmx's included), so a
  // cancelled confirmation stops the request everywhere.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      var button = event.submitter;
      var question =
        (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );
})();
