/*
 * Session log form: the held-only fields (duration, roles, topics) show when the status is
 * "held", the cancellation reason when it is not. Without JavaScript every field shows and
 * the server still validates the combination.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-testid=log-form]");
  if (!form) return;
  function update() {
    var checked = form.querySelector("input[name=status]:checked");
    var held = !checked || checked.value === "held";
    form.querySelectorAll("[data-held-only]").forEach(function (el) { el.hidden = !held; });
    form.querySelectorAll("[data-not-held-only]").forEach(function (el) { el.hidden = held; });
  }
  form.addEventListener("change", update);
  update();
})();
