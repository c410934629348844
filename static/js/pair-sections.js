/*
 * The pair page's folding sections (native <details>): a link to a place inside a closed
 * section opens it, so deep links keep working: the page's own contents, #asks after an
 * ask, #ledger after confirming an item, a bookmark or an email with a #hash. The section
 * the address's hash points into opens on load and on every hash change; a click on an
 * in-page link opens its target before the browser scrolls to it (also when the hash is
 * already the same, which fires no hashchange). On a phone, some sections start closed.
 */
(function () {
  "use strict";

  function targetOf(hash) {
    if (!hash || hash.length < 2) return null;
    try {
      return document.getElementById(decodeURIComponent(hash.slice(1)));
    } catch (error) {
      return null; // a malformed hash names nothing
    }
  }

  // Opens every closed <details> around (and at) the target; true when one was closed.
  function openTo(hash) {
    var target = targetOf(hash);
    var opened = false;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) {
        node.open = true;
        opened = true;
      }
    }
    return opened ? target : null;
  }

  function fromAddress() {
    var target = openTo(window.location.hash);
    // It was hidden when the browser looked for it: scroll now that it shows.
    if (target) target.scrollIntoView();
  }

  // On a phone the sections marked data-fold-on-phone (the people and goals, the role
  // history, asks that await nobody) start closed: the page opens on what is next.
  if (window.matchMedia && window.matchMedia("(max-width: 767.98px)").matches) {
    document.querySelectorAll("details[data-fold-on-phone][open]").forEach(function (section) {
      section.open = false;
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (link) openTo(link.getAttribute("href"));
  });
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
})();
