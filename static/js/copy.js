/*
 * "Copy" buttons without inline handlers (the Content-Security-Policy refuses onclick=):
 * <button type="button" data-copy-target="#some-input">Copy</button> copies that input's value
 * to the clipboard and says "Copied" (or, where the browser refuses the clipboard, selects the
 * text so the person can copy it themselves).
 */
(function () {
  "use strict";

  function copy(button) {
    var field = document.querySelector(button.getAttribute("data-copy-target"));
    if (!field) return;
    var done = function () {
      button.textContent = "Copied";
    };
    var fallback = function () {
      field.focus();
      field.select();
      button.textContent = "Selected: copy it with Ctrl+C or ⌘C";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, fallback);
    } else {
      fallback();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (button) copy(button);
  });
})();
