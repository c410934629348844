/*
 * Skills with autocomplete: turns <select multiple data-skills-autocomplete> into a text box
 * with a list of suggestions and removable chips for the chosen skills. The select stays
 * in the form (hidden) and is what gets submitted, so without JavaScript the plain
 * multi-select still works. Once enhanced, the select carries data-skills-autocomplete="ready"
 * (what the browser tests wait for before typing into the text box).
 *
 * The text box follows the ARIA combobox pattern (an editable combobox with a list
 * popup, https://www.w3.org/WAI/ARIA/apg/patterns/combobox/): role="combobox",
 * aria-expanded, aria-controls the role="listbox" of suggestions, and aria-activedescendant
 * for the highlighted one (focus stays in the box). Typing filters the skills (any part of
 * the name, case-insensitive; names that start with the text first). Keys:
 *   Down / Up   open the list and move the highlight (wrapping round);
 *   Enter       adds the highlighted skill; with nothing highlighted, adds the only
 *               suggestion, or the skill whose name was typed in full; with several
 *               suggestions it adds nothing and says how many match. Enter never submits
 *               the form while the box holds text;
 *   Escape      closes the list (a second Escape clears the box).
 * A polite live region says what happened ("Python added.", "3 skills match …").
 */
(function () {
  "use strict";

  var instances = 0;

  function enhance(select) {
    if (select.getAttribute("data-skills-autocomplete") === "ready") return;
    instances += 1;
    var options = Array.prototype.slice.call(select.options);
    var wrapper = document.createElement("div");
    wrapper.className = "skills-autocomplete position-relative";

    var chips = document.createElement("ul");
    chips.className = "list-inline mb-2";
    chips.setAttribute("aria-label", "Chosen skills");

    var input = document.createElement("input");
    input.type = "text";
    input.className = "form-control";
    input.id = select.id + "_search";
    input.setAttribute("autocomplete", "off");
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.placeholder = "Type to find a skill, then press Enter";

    var listbox = document.createElement("ul");
    listbox.id = select.id + "_suggestions";
    listbox.className = "dropdown-menu show w-100 skills-suggestions";
    listbox.setAttribute("role", "listbox");
    listbox.hidden = true;
    input.setAttribute("aria-controls", listbox.id);

    var status = document.createElement("div");
    status.className = "form-text";
    status.id = select.id + "_status";
    status.setAttribute("aria-live", "polite");

    var described = select.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", (described ? described + " " : "") + status.id);

    var label = document.querySelector('label[for="' + select.id + '"]');
    if (label) {
      label.setAttribute("for", input.id);
      if (!label.id) label.id = select.id + "_label";
      listbox.setAttribute("aria-labelledby", label.id);
    }

    var suggestions = []; // the <option>s that match what is typed, in list order
    var active = -1; // index in suggestions of the highlighted one, -1 for none

    function renderChips() {
      chips.innerHTML = "";
      options.forEach(function (option) {
        if (!option.selected) return;
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
          renderChips();
          input.focus();
        });
        item.appendChild(remove);
        chips.appendChild(item);
      });
      if (!chips.children.length) {
        var none = document.createElement("li");
        none.className = "list-inline-item text-body-secondary small";
        none.textContent = "None chosen yet.";
        chips.appendChild(none);
      }
    }

    function matching(text) {
      var wanted = text.trim().toLowerCase();
      if (!wanted) return [];
      var starts = [];
      var contains = [];
      options.forEach(function (option) {
        if (option.selected) return;
        var name = option.text.toLowerCase();
        if (name.indexOf(wanted) === 0) starts.push(option);
        else if (name.indexOf(wanted) > 0) contains.push(option);
      });
      return starts.concat(contains);
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(listbox.children, function (item, i) {
        var on = i === index;
        item.setAttribute("aria-selected", on ? "true" : "false");
        item.classList.toggle("active", on);
        if (on) {
          input.setAttribute("aria-activedescendant", item.id);
          item.scrollIntoView({ block: "nearest" });
        }
      });
      if (index < 0) input.removeAttribute("aria-activedescendant");
    }

    function openWith(list) {
      suggestions = list;
      listbox.innerHTML = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!list.length) {
        close();
        return;
      }
      list.forEach(function (option, i) {
        var item = document.createElement("li");
        item.id = select.id + "_option_" + instances + "_" + i;
        item.className = "dropdown-item";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = option.text;
        // mousedown, not click: the box keeps the focus (and the list stays open) until the
        // choice is made.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          add(option);
        });
        listbox.appendChild(item);
      });
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function add(option) {
      option.selected = true;
      status.textContent = option.text + " added.";
      input.value = "";
      close();
      renderChips();
      input.focus();
    }

    function refresh() {
      var list = matching(input.value);
      openWith(list);
      if (!input.value.trim()) {
        status.textContent = "";
      } else if (list.length) {
        status.textContent = list.length === 1
          ? "1 suggestion: " + list[0].text + ". Press Enter to add it."
          : list.length + " suggestions. Use the up and down arrows to choose one.";
      } else {
        status.textContent = "No skill called “" + input.value.trim() + "” in this programme.";
      }
    }

    // Enter: true when it was handled here (the form must not be submitted).
    function choose() {
      var typed = input.value.trim();
      if (!typed) return false;
      if (active >= 0 && suggestions[active]) {
        add(suggestions[active]);
        return true;
      }
      var list = matching(typed);
      var exact = list.filter(function (o) { return o.text.toLowerCase() === typed.toLowerCase(); });
      if (exact.length) {
        add(exact[0]);
      } else if (list.length === 1) {
        add(list[0]);
      } else if (list.length > 1) {
        status.textContent = "“" + typed + "” matches " + list.length +
          " skills: choose one with the up and down arrows, then press Enter.";
        openWith(list);
      } else {
        var chosen = options.some(function (o) {
          return o.selected && o.text.toLowerCase() === typed.toLowerCase();
        });
        status.textContent = chosen
          ? typed + " is already chosen."
          : "No skill called “" + typed + "” in this programme. Pick one from the suggestions.";
      }
      return true;
    }

    input.addEventListener("keydown", function (event) {
      var open = !listbox.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!open) openWith(matching(input.value));
        if (!suggestions.length || listbox.hidden) return;
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        var count = suggestions.length;
        var next = active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count;
        highlight(next);
      } else if (event.key === "Enter") {
        if (choose()) event.preventDefault();
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          status.textContent = "";
        }
      }
    });
    input.addEventListener("input", refresh);
    input.addEventListener("blur", close);

    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    select.parentNode.insertBefore(wrapper, select);
    wrapper.appendChild(chips);
    wrapper.appendChild(input);
    wrapper.appendChild(listbox);
    wrapper.appendChild(status);
    renderChips();
    select.setAttribute("data-skills-autocomplete", "ready");
  }

  document.querySelectorAll("select[multiple][data-skills-autocomplete]").forEach(enhance);
})();
