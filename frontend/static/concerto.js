// Concerto: progressive enhancement only; every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // Take people straight to what went wrong (autofocus does not reach every reader).
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  document.querySelectorAll("form[data-autosave]").forEach(setUpAutosave);
});

/** The answer a question's inputs hold now, shaped as the API expects. */
function valueOf(form, code) {
  var inputs = Array.prototype.filter.call(form.elements, function (el) {
    return el.dataset && el.dataset.question === code;
  });
  if (inputs.length === 0) return undefined;
  var first = inputs[0];
  if (first.type === "checkbox") {
    var keys = inputs.filter(function (el) { return el.checked; }).map(function (el) { return el.value; });
    return keys.length ? keys : null;
  }
  if (first.type === "radio") {
    var chosen = inputs.filter(function (el) { return el.checked; })[0];
    if (!chosen || chosen.value === "") return null;
    return /^-?\d+$/.test(chosen.value) && !isNaN(parseInt(chosen.value, 10)) && form.querySelector("[data-scale='" + code + "']") ? parseInt(chosen.value, 10) : chosen.value;
  }
  if (first.name.indexOf(".title.") > 0 || first.name.indexOf(".description.") > 0) {
    var items = [];
    inputs.forEach(function (el) {
      var match = el.name.match(/\.(title|description)\.(\d+)$/);
      if (!match) return;
      var i = parseInt(match[2], 10);
      items[i] = items[i] || { title: "", description: "" };
      items[i][match[1]] = el.value;
    });
    items = items.filter(function (p) { return p && (p.title.trim() || p.description.trim()); });
    return items.length ? items : null;
  }
  return first.value.trim() === "" ? null : first.value;
}

/** Every input's value, to keep typed text across an expired session. */
function snapshot(form) {
  var values = {};
  Array.prototype.forEach.call(form.elements, function (el) {
    if (!el.dataset || !el.dataset.question || !el.id) return;
    values[el.id] = (el.type === "checkbox" || el.type === "radio") ? el.checked : el.value;
  });
  return values;
}

function restore(form, values) {
  Object.keys(values).forEach(function (id) {
    var el = document.getElementById(id);
    if (!el) return;
    if (el.type === "checkbox" || el.type === "radio") el.checked = values[id]; else el.value = values[id];
  });
}

function setUpAutosave(form) {
  var status = document.getElementById("autosave-status");
  var draftKey = "concerto-draft:" + location.pathname + location.search;
  var url = form.dataset.autosave;
  var csrf = form.dataset.csrf;
  var dirty = {};
  var timer = null;
  var say = function (text) { if (status) status.textContent = text; };
  var t = function (key) { return form.dataset[key] || ""; };

  function versionInput(code) {
    return form.querySelector("[data-version-for='" + code + "']");
  }

  function save() {
    var codes = Object.keys(dirty);
    if (codes.length === 0) return;
    var answers = {};
    codes.forEach(function (code) {
      answers[code] = { value: valueOf(form, code), version: parseInt(versionInput(code).value, 10) || 0 };
    });
    dirty = {};
    fetch(url, {
      method: "PATCH",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ answers: answers })
    }).then(function (response) {
      return response.json().then(function (body) { return { status: response.status, body: body }; });
    }).then(function (result) {
      if (result.status === 200) {
        Object.keys(result.body.versions).forEach(function (code) {
          versionInput(code).value = result.body.versions[code];
        });
        var now = new Date();
        say(t("savedAt").replace("{time}", now.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
      } else if (result.status === 409 && result.body.conflicts) {
        // Someone else changed it: let the server-side save show both versions.
        say(t("conflict"));
        form.submit();
      } else if (result.status === 401) {
        // Signed out: keep every typed word in this tab until signed in again.
        sessionStorage.setItem(draftKey, JSON.stringify(snapshot(form)));
        codes.forEach(function (code) { dirty[code] = true; });
        say(t("signedOut"));
        var link = document.getElementById("autosave-sign-in");
        if (link) link.hidden = false;
      } else {
        say(t("refused"));
        form.submit();
      }
    }).catch(function () {
      codes.forEach(function (code) { dirty[code] = true; });
      say(t("offline"));
      timer = setTimeout(save, 5000);
    });
  }

  // Back from signing in: put back what was typed, and save it.
  var kept = sessionStorage.getItem(draftKey);
  if (kept) {
    sessionStorage.removeItem(draftKey);
    restore(form, JSON.parse(kept));
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.dataset && el.dataset.question) dirty[el.dataset.question] = true;
    });
    setTimeout(save, 500);
  }

  // The session ends after 30 minutes without a request: warn 5 minutes before.
  var warning = null;
  function armWarning() {
    clearTimeout(warning);
    warning = setTimeout(function () { say(t("expiring")); }, 25 * 60 * 1000);
  }
  armWarning();

  form.addEventListener("input", function (event) {
    armWarning();
    var code = event.target.dataset && event.target.dataset.question;
    if (!code) return;
    dirty[code] = true;
    var counter = document.getElementById("compteur-" + code);
    if (counter && event.target.dataset.max) {
      counter.textContent = t("counter").replace("{count}", Array.from(event.target.value).length).replace("{max}", event.target.dataset.max);
    }
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  });
}
