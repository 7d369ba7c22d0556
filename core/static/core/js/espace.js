// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // R-PWD-2: live strength level, computed by the server (one policy, one place).
  function strengthMeter(input) {
    var output = document.getElementById(input.getAttribute("data-strength-meter"));
    if (!output) { return; }
    var form = input.form;
    var url = output.getAttribute("data-level-url");
    var timer = null;
    var serial = 0;
    var EMPTY = output.textContent;  // the page's own wording before anything is typed (guide 002)
    function update() {
      var mine = ++serial;
      var body = new URLSearchParams();
      body.set("password", input.value);
      // The email typed (J1, J8) or the account's (J6 gives it to password managers).
      var email = form.querySelector("input[type=email], input[autocomplete=username]");
      if (email) { body.set("email", email.value); }
      var token = form.querySelector("input[name=csrfmiddlewaretoken]");
      fetch(url, {
        method: "POST",
        headers: {"X-CSRFToken": token ? token.value : "", "Content-Type": "application/x-www-form-urlencoded"},
        body: body.toString(),
        credentials: "same-origin"
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
        if (!data || mine !== serial) { return; }
        output.textContent = "Niveau de sécurité : " + data.niveau;
        output.classList.toggle("fr-message--error", !data.autorise);
        output.classList.toggle("fr-message--valid", data.autorise);
      }).catch(function () {});
    }
    // A level still waiting to be asked when the form is sent is never asked: the answer to the
    // form may rotate the CSRF token (a sign-in), and a late request would carry the old one.
    if (form) {
      form.addEventListener("submit", function () { clearTimeout(timer); serial++; });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (!input.value) { output.textContent = EMPTY; output.classList.remove("fr-message--error", "fr-message--valid"); return; }
      timer = setTimeout(update, 250);
    });
  }

  document.querySelectorAll("input[data-strength-meter]").forEach(strengthMeter);

  // RGAA 11.10: after a refused form, the focus goes to the error summary, whose links lead
  // to each wrong field (the summary is tabindex=-1: focusable by script, not in the tab order).
  var summary = document.getElementById("form-errors");
  if (summary) { summary.focus(); }

  // J4: each box opens its fields when ticked (without this file, every field shows).
  document.querySelectorAll("[data-box-fields]").forEach(function (fields) {
    var box = document.getElementById(fields.getAttribute("data-box-fields"));
    if (!box) { return; }
    function sync() {
      fields.hidden = !box.checked;
      box.setAttribute("aria-expanded", box.checked ? "true" : "false");
    }
    box.addEventListener("change", sync);
    sync();
  });
  // "Tout sélectionner" of a group of checkboxes (core/forms/grouped_checkboxes.html): the
  // server expands the box without JavaScript; here it ticks and unticks the group on screen.
  document.querySelectorAll("[data-select-all-group]").forEach(function (group) {
    var all = group.querySelector("input[data-select-all]");
    var boxes = Array.prototype.filter.call(group.querySelectorAll("input[type=checkbox]"), function (box) {
      return box !== all;
    });
    function sync() { all.checked = boxes.every(function (box) { return box.checked; }); }
    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
    });
    boxes.forEach(function (box) { box.addEventListener("change", sync); });
    sync();
  });
})();
