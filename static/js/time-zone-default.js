/*
 * Time-zone selects that still hold the untouched default (the server marks them
 * data-browser-time-zone="UTC", mentoring.forms.TimeZoneField) are set to the browser's
 * own zone, and a note next to the select says so (added to its aria-describedby, so a
 * screen reader hears it with the field). Nothing changes when the browser's zone is not
 * in the list, when it is the default, or for a form that was already submitted (the
 * server leaves the marker off). Without JavaScript the select shows UTC and still works.
 */
(function () {
  "use strict";

  var zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!zone) return;

  document.querySelectorAll("select[data-browser-time-zone]").forEach(function (select) {
    if (select.disabled || select.closest("fieldset[disabled]")) return;
    if (select.value !== select.getAttribute("data-browser-time-zone") || select.value === zone) {
      return;
    }
    var option = Array.prototype.filter.call(select.options, function (o) {
      return o.value === zone;
    })[0];
    if (!option) return;
    select.value = zone;
    var note = document.createElement("div");
    note.className = "form-text";
    note.id = select.id + "_browser_zone";
    note.setAttribute("data-testid", "browser-time-zone-note");
    note.textContent = "Set to your browser’s time zone, " + option.text +
      ". Change it if that is not where you are.";
    select.insertAdjacentElement("afterend", note);
    var described = select.getAttribute("aria-describedby");
    select.setAttribute("aria-describedby", (described ? described + " " : "") + note.id);
    select.setAttribute("data-browser-time-zone", "applied");
  });
})();
