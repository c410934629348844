/*
 * Schedule and reschedule forms: the slot in each person's own time zone, live.
 *
 * Data: the json_script block #slot-people, the viewer first ({name, zone, is_me}). The
 * date-time box holds a wall-clock time in the viewer's zone (their account's, which
 * need not be the browser's). This script turns it into an instant with the Intl API,
 * writes "Tue 3 Dec 09:00 for you (Europe/London) · 04:00 for Ben (America/New_York) —
 * outside 08:00–20:00 for Ben" into [data-slot-preview] (a polite live region), and shows
 * the "schedule it anyway" tick only when the slot falls outside 08:00–20:00 for anyone.
 * The server computes the same line and refuses an unconfirmed out-of-hours slot
 * (pairing/selectors/slots.py), so without JavaScript the form still works.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-testid=schedule-form]");
  var source = document.getElementById("slot-people");
  var preview = document.querySelector("[data-slot-preview]");
  if (!form || !source || !preview || !window.Intl) return;
  var people = JSON.parse(source.textContent);
  if (!people.length) return;
  var viewer = people.filter(function (p) { return p.is_me; })[0] || people[0];
  var startInput = form.querySelector("[name=scheduled_start]");
  var minutesInput = form.querySelector("[name=planned_minutes]");
  var confirmBox = form.querySelector("[data-out-of-hours-confirm]");
  var previewBox = form.querySelector("[data-slot-preview-box]");
  var emptyText = preview.getAttribute("data-empty-text") || "";

  var DAY_STARTS = 8 * 60;
  var DAY_ENDS = 20 * 60;
  var WORKING_HOURS = "08:00–20:00";
  // Django's "D" and "M" date formats, so both sides write the same words.
  var WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var DAY_MS = 24 * 60 * 60 * 1000;
  var formatters = {};

  function wallClock(zone, instant) {
    if (!formatters[zone]) {
      formatters[zone] = new Intl.DateTimeFormat("en-GB", {
        timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
        hour: "numeric", minute: "numeric", second: "numeric"
      });
    }
    var out = {};
    formatters[zone].formatToParts(new Date(instant)).forEach(function (part) {
      if (part.type !== "literal") out[part.type] = parseInt(part.value, 10);
    });
    return {
      year: out.year, month: out.month, day: out.day,
      hour: out.hour % 24, minute: out.minute, second: out.second
    };
  }

  function asUtc(w) {
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second || 0);
  }

  function offset(zone, instant) {
    return asUtc(wallClock(zone, instant)) - Math.floor(instant / 1000) * 1000;
  }

  // The instant a wall-clock time names in ``zone``, as Python's zoneinfo reads it (fold=0):
  // the earlier of two when clocks go back, the offset from before the change when they
  // jump forward over it.
  function instantOf(zone, wall) {
    var guess = asUtc(wall);
    var before = guess - offset(zone, guess - DAY_MS);
    var after = guess - offset(zone, guess + DAY_MS);
    var valid = [before, after].filter(function (instant) {
      return asUtc(wallClock(zone, instant)) === guess;
    });
    return valid.length ? Math.min.apply(null, valid) : before;
  }

  function local(zone, instant) {
    var w = wallClock(zone, instant);
    w.weekday = WEEKDAYS[new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()];
    w.dayKey = w.year * 10000 + w.month * 100 + w.day;
    w.minutes = w.hour * 60 + w.minute;
    return w;
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function names(list) {
    if (list.length < 2) return list.join("");
    return list.slice(0, -1).join(", ") + " and " + list[list.length - 1];
  }

  function parseTyped(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})/.exec(value || "");
    if (!m) return null;
    return {
      year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: 0
    };
  }

  function warn(on) {
    if (confirmBox) confirmBox.hidden = !on;
    if (previewBox) {
      previewBox.classList.toggle("alert-warning", on);
      previewBox.classList.toggle("alert-light", !on);
    }
  }

  function update() {
    var typed = parseTyped(startInput && startInput.value);
    if (!typed) {
      preview.textContent = emptyText;
      warn(false);
      return;
    }
    var length = parseInt(minutesInput && minutesInput.value, 10);
    if (!(length > 0)) length = 60;
    var start = instantOf(viewer.zone, typed);
    var end = start + length * 60 * 1000;
    var late = [];
    var firstDay = null;
    var parts = people.map(function (person, index) {
      var from = local(person.zone, start);
      var to = local(person.zone, end);
      if (from.dayKey !== to.dayKey || from.minutes < DAY_STARTS || to.minutes > DAY_ENDS) {
        late.push(person.name);
      }
      if (index === 0) firstDay = from.dayKey;
      var time = pad(from.hour) + ":" + pad(from.minute);
      var when = index && from.dayKey === firstDay
        ? time
        : from.weekday + " " + from.day + " " + MONTHS[from.month - 1] + " " + time;
      return when + " for " + person.name + " (" + person.zone + ")";
    });
    var text = parts.join(" · ");
    if (late.length) text += " — outside " + WORKING_HOURS + " for " + names(late);
    preview.textContent = text;
    warn(late.length > 0);
  }

  [startInput, minutesInput].forEach(function (input) {
    if (!input) return;
    input.addEventListener("input", update);
    input.addEventListener("change", update);
  });
  update();
  preview.setAttribute("data-slot-preview", "live");
})();
