/*
 * Skills with autocomplete: turns <select multiple data-skills-autocomplete> into a text box
 * with suggestions (a <datalist>) and removable chips for the chosen skills. The select stays
 * in the form (hidden) and is what gets submitted, so without JavaScript the plain
 * multi-select still works. Once enhanced, the select carries data-skills-autocomplete="ready"
 * (what the browser tests wait for before typing into the text box).
 */
(function () {
  "use strict";

  function enhance(select) {
    if (select.getAttribute("data-skills-autocomplete") === "ready") return;
    var options = Array.prototype.slice.call(select.options);
    var wrapper = document.createElement("div");
    wrapper.className = "skills-autocomplete";

    var chips = document.createElement("ul");
    chips.className = "list-inline mb-2";
    chips.setAttribute("aria-label", "Chosen skills");

    var input = document.createElement("input");
    input.type = "text";
    input.className = "form-control";
    input.id = select.id + "_search";
    input.setAttribute("autocomplete", "off");
    input.placeholder = "Type to find a skill, then press Enter";
    var datalist = document.createElement("datalist");
    datalist.id = select.id + "_choices";
    input.setAttribute("list", datalist.id);
    if (select.getAttribute("aria-describedby")) {
      input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    }

    var status = document.createElement("div");
    status.className = "form-text";
    status.setAttribute("aria-live", "polite");

    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) label.setAttribute("for", input.id);

    function render() {
      chips.innerHTML = "";
      datalist.innerHTML = "";
      options.forEach(function (option) {
        if (option.selected) {
          var item = document.createElement("li");
          item.className = "list-inline-item badge text-bg-primary fw-normal fs-6 mb-1";
          item.appendChild(document.createTextNode(option.text + " "));
          var remove = document.createElement("button");
          remove.type = "button";
          remove.className = "btn-close btn-close-white ms-1 skills-chip-remove";
          remove.setAttribute("aria-label", "Remove " + option.text);
          remove.addEventListener("click", function () {
            option.selected = false;
            status.textContent = option.text + " removed.";
            render();
            input.focus();
          });
          item.appendChild(remove);
          chips.appendChild(item);
        } else {
          var choice = document.createElement("option");
          choice.value = option.text;
          datalist.appendChild(choice);
        }
      });
      if (!chips.children.length) {
        var none = document.createElement("li");
        none.className = "list-inline-item text-body-secondary small";
        none.textContent = "None chosen yet.";
        chips.appendChild(none);
      }
    }

    function choose() {
      var wanted = input.value.trim().toLowerCase();
      if (!wanted) return false;
      var match = options.filter(function (o) { return o.text.toLowerCase() === wanted; })[0];
      if (!match) {
        status.textContent = "No skill called “" + input.value.trim() + "” in this programme. Pick one from the suggestions.";
        return true;
      }
      match.selected = true;
      status.textContent = match.text + " added.";
      input.value = "";
      render();
      return true;
    }

    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && choose()) event.preventDefault();
    });
    // Picking a suggestion fires "input" without a typing inputType: add it at once. Typed
    // text waits for Enter ("Data" may be the start of "Data analysis").
    input.addEventListener("input", function (event) {
      if (event.inputType && event.inputType !== "insertReplacementText") return;
      var wanted = input.value.trim().toLowerCase();
      if (options.some(function (o) { return !o.selected && o.text.toLowerCase() === wanted; })) choose();
    });

    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(chips);
    wrapper.appendChild(input);
    wrapper.appendChild(datalist);
    wrapper.appendChild(status);
    render();
    select.setAttribute("data-skills-autocomplete", "ready");
  }

  document.querySelectorAll("select[multiple][data-skills-autocomplete]").forEach(enhance);
})();
