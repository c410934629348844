/*
 * CSV import preview: "Import N participants" stays disabled until the admin ticks the box
 * that adds the unknown skills to the vocabulary (the server checks it too).
 */
(function () {
  "use strict";

  var box = document.getElementById("add-skills");
  var button = document.querySelector("#apply-button[data-needs-skills]");
  if (!box || !button) return;
  var sync = function () { button.disabled = !box.checked; };
  box.addEventListener("change", sync);
  sync();
})();
