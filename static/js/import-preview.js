/*
 * CSV import preview, small comforts on top of a page that works without JavaScript:
 * - ticking "Update people already in this cohort" checks the file again at once (the
 *   "Check again" button stays for anyone without JavaScript);
 * - the sentence under "Add these unknown skills to the vocabulary" says what the current
 *   choice does.
 */
(function () {
  "use strict";

  var modeForm = document.getElementById("update-mode-form");
  var mode = document.getElementById("update-mode");
  if (modeForm && mode) {
    modeForm.querySelectorAll("[data-auto-submit-hide]").forEach(function (button) {
      button.classList.add("d-none");
    });
    mode.addEventListener("change", function () { modeForm.submit(); });
  }

  var box = document.getElementById("add-skills");
  var outcome = document.querySelector("[data-skills-outcome]");
  if (box && outcome) {
    var sync = function () {
      outcome.textContent = outcome.getAttribute(
        box.checked ? "data-when-added" : "data-when-left-out"
      );
    };
    box.addEventListener("change", sync);
    sync();
  }
})();
