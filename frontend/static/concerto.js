// Concerto: progressive enhancement only; every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // Take people straight to what went wrong (autofocus does not reach every reader).
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  document.querySelectorAll("form[data-autosave]").forEach(setUpAutosave);
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("select[data-kind-select]").forEach(showSettingsOfKind);
  document.querySelectorAll("textarea[data-passage-text]").forEach(followSelection);
  document.querySelectorAll("form[data-upload]").forEach(uploadWithProgress);
  document.addEventListener("change", keepExclusiveAlone);
});

/**
 * The coding page: a passage selected in an answer's text (with Shift and the arrows, or
 * the mouse) fills its form's start and end, counted in characters as the service counts
 * them (code points: JavaScript's indexes count UTF-16 units). The text is not `readonly`
 * (Chromium moves no caret in a read-only field, so the keyboard could not select) but
 * is kept as it is: an edit is refused, and the field has no name, so nothing of it is
 * sent.
 */
function followSelection(text) {
  var form = text.form;
  var original = text.value;
  text.addEventListener("beforeinput", function (event) { event.preventDefault(); });
  text.addEventListener("input", function () { text.value = original; });
  var start = form.querySelector("[data-passage-start]");
  var end = form.querySelector("[data-passage-end]");
  function characters(units) {
    return Array.from(text.value.slice(0, units)).length;
  }
  function fill() {
    if (text.selectionStart === text.selectionEnd) return;
    start.value = characters(text.selectionStart);
    end.value = characters(text.selectionEnd);
  }
  ["select", "keyup", "mouseup"].forEach(function (name) {
    text.addEventListener(name, fill);
  });
}

/** The round builder: only the settings of the chosen kind are shown (all without JS). */
function showSettingsOfKind(select) {
  var groups = select.form.querySelectorAll("fieldset[data-kinds]");
  function show() {
    groups.forEach(function (group) {
      group.hidden = group.dataset.kinds.split(" ").indexOf(select.value) < 0;
    });
  }
  select.addEventListener("change", show);
  show();
}

/** An exclusive option ("none of these") ticked unticks the others, and the reverse;
 *  without JS the service refuses the mix with a message naming the option. */
function keepExclusiveAlone(event) {
  var box = event.target;
  if (box.type !== "checkbox" || !box.checked || !box.dataset.question) return;
  var exclusive = box.dataset.exclusive === "true";
  box.form.querySelectorAll("input[type=checkbox]").forEach(function (other) {
    if (other === box || other.dataset.question !== box.dataset.question) return;
    if (exclusive || other.dataset.exclusive === "true") other.checked = false;
  });
}

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

/**
 * The question a refusal names: `answers.<code>`, or a part of it (`answers.<code>[2]`,
 * `answers.<code>.title`); codes hold dots, so the longest matching code wins. (The
 * service reads refusals the same way, in `services::responses::write_valid_answers`.)
 */
function questionOf(field, codes) {
  var best = null;
  codes.forEach(function (code) {
    var prefix = "answers." + code;
    var tail = field.indexOf(prefix) === 0 ? field.slice(prefix.length) : null;
    if (tail === null) return;
    if ((tail === "" || tail[0] === "[" || tail[0] === ".") && (!best || code.length > best.length)) best = code;
  });
  return best;
}

function setUpAutosave(form) {
  var status = document.getElementById("autosave-status");
  var draftKey = "concerto-draft:" + location.pathname + location.search;
  var url = form.dataset.autosave;
  var csrf = form.dataset.csrf;
  var lang = document.documentElement.lang || undefined;
  var dirty = {};      // typed since its last save
  var invalid = {};    // refused as it stands (too long…): kept on the page, not saved
  var busy = 0;        // saves sent and not yet answered
  var keptForLater = false; // signed out: the text waits in this tab's storage
  var leaving = false; // the form itself is being sent, or a flushed link followed
  var timer = null;
  var chain = Promise.resolve();
  var say = function (text) { if (status) status.textContent = text; };
  var t = function (key) { return form.dataset[key] || ""; };

  function versionInput(code) {
    return form.querySelector("[data-version-for='" + code + "']");
  }

  function unsaved() {
    return !keptForLater && (busy > 0 || Object.keys(dirty).length > 0 || Object.keys(invalid).length > 0);
  }

  /** Shows a refusal beside its question, the typed text untouched. */
  function showError(code, message) {
    invalid[code] = true;
    var block = document.getElementById("question-" + code);
    if (!block) return;
    block.classList.add("field-error");
    var id = "erreur-" + code;
    var p = document.getElementById(id);
    if (!p) {
      p = document.createElement("p");
      p.className = "error-message";
      p.id = id;
      var prompt = block.querySelector(".prompt");
      if (prompt && prompt.nextSibling) block.insertBefore(p, prompt.nextSibling); else block.appendChild(p);
    }
    p.textContent = message;
    block.querySelectorAll("[data-question]").forEach(function (el) {
      el.setAttribute("aria-invalid", "true");
      var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(id) < 0) described.push(id);
      el.setAttribute("aria-describedby", described.join(" "));
    });
  }

  function clearError(code) {
    delete invalid[code];
    var block = document.getElementById("question-" + code);
    var p = document.getElementById("erreur-" + code);
    if (p) p.remove();
    if (!block) return;
    block.classList.remove("field-error");
    block.querySelectorAll("[data-question]").forEach(function (el) {
      el.removeAttribute("aria-invalid");
      var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (d) { return d && d !== "erreur-" + code; });
      if (described.length) el.setAttribute("aria-describedby", described.join(" ")); else el.removeAttribute("aria-describedby");
    });
  }

  /** The chapter's counters, from what the page holds now, refused answers left out
   * (strings rendered by the server, plurals included). */
  function updateProgress() {
    var progress = document.getElementById("chapter-progress");
    if (!progress) return;
    var answered = 0, missing = 0;
    form.querySelectorAll(".question[data-code]").forEach(function (block) {
      var value = invalid[block.dataset.code] ? null : valueOf(form, block.dataset.code);
      if (value !== null && value !== undefined) answered += 1;
      else if (block.dataset.required === "true") missing += 1;
    });
    var said = JSON.parse(progress.dataset.answered || "[]")[answered] || "";
    var lacking = JSON.parse(progress.dataset.missing || "[]")[missing] || "";
    progress.textContent = "(" + said + (missing > 0 && lacking ? ", " + lacking : "") + ")";
  }

  function send(codes, keepalive) {
    var answers = {};
    codes.forEach(function (code) {
      answers[code] = { value: valueOf(form, code), version: parseInt(versionInput(code).value, 10) || 0 };
    });
    busy += 1;
    return fetch(url, {
      method: "PATCH",
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify({ answers: answers })
    }).then(function (response) {
      var retryAfter = parseInt(response.headers.get("Retry-After"), 10);
      var result = function (body) { return { status: response.status, body: body, retryAfter: retryAfter }; };
      // A proxy's error page is not JSON.
      return response.json().then(result, function () { return result(null); });
    }).then(function (result) {
      busy -= 1;
      return handle(result, codes, answers);
    }, function () {
      busy -= 1;
      return retryLater(codes, 5, t("offline"));
    });
  }

  /** Not sent (offline, or the service briefly away: a restart, its database failing
   * over): kept here, sent again in `seconds`. */
  function retryLater(codes, seconds, message) {
    codes.forEach(function (code) { dirty[code] = true; });
    say(message);
    clearTimeout(timer);
    timer = setTimeout(save, (seconds > 0 ? seconds : 5) * 1000);
    return false;
  }

  function handle(result, codes, sent) {
    if (result.status >= 500) return retryLater(codes, result.retryAfter, t("unavailable"));
    if (result.status === 200) {
      Object.keys(result.body.versions).forEach(function (code) {
        versionInput(code).value = result.body.versions[code];
        clearError(code);
      });
      updateProgress();
      if (Object.keys(invalid).length) say(t("invalid"));
      else say(t("savedAt").replace("{time}", new Date().toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" })));
      return true;
    }
    if (result.status === 422 && result.body && result.body.errors) {
      // Show each refused answer in place; save the others at once.
      var refused = {};
      result.body.errors.forEach(function (e) {
        var code = questionOf(e.field, codes);
        if (code && !refused[code]) { refused[code] = true; showError(code, e.message); }
      });
      var rest = codes.filter(function (code) { return !refused[code]; });
      if (Object.keys(refused).length === 0) {
        codes.forEach(function (code) { dirty[code] = true; });
        say(t("refused"));
        return false;
      }
      say(t("invalid"));
      return rest.length ? send(rest).then(function () { return false; }) : false;
    }
    if (result.status === 409 && result.body && result.body.conflicts) {
      // A conflict with this very text is this page's own save, which landed though its
      // answer was lost on the way (a dropped connection, a proxy's 502): go on from it.
      var others = result.body.conflicts.filter(function (c) {
        var ours = sent[c.question] && JSON.stringify(c.current_value) === JSON.stringify(sent[c.question].value);
        if (ours) versionInput(c.question).value = c.current_version;
        return !ours;
      });
      if (others.length === 0) {
        codes.forEach(function (code) { dirty[code] = true; });
        clearTimeout(timer);
        timer = setTimeout(save, 0);
        return false;
      }
      // Someone else changed it: the server-side save shows both versions.
      say(t("conflict"));
      leaving = true;
      form.submit();
      return false;
    }
    if (result.status === 401) {
      // Signed out: keep every typed word in this tab until signed in again.
      sessionStorage.setItem(draftKey, JSON.stringify(snapshot(form)));
      keptForLater = true;
      codes.forEach(function (code) { dirty[code] = true; });
      say(t("signedOut"));
      var link = document.getElementById("autosave-sign-in");
      if (link) link.hidden = false;
      return false;
    }
    // Refused for the whole response (round closed, response submitted…): said, kept.
    codes.forEach(function (code) { dirty[code] = true; });
    say((result.body && result.body.detail) || t("refused"));
    return false;
  }

  /** Saves what is typed, after any save under way: one at a time, in order. */
  function save() {
    clearTimeout(timer);
    chain = chain.then(function () {
      var codes = Object.keys(dirty);
      if (codes.length === 0 || keptForLater) return true;
      dirty = {};
      return send(codes);
    });
    return chain;
  }

  /** The page is going: send what is typed now, outside the queue, and let it outlive
   * the page (`keepalive`). */
  function sendNow() {
    clearTimeout(timer);
    var codes = Object.keys(dirty);
    if (codes.length === 0 || keptForLater) return;
    dirty = {};
    send(codes, true);
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

  function count(el) {
    var counter = document.getElementById("compteur-" + el.dataset.question);
    var max = parseInt(el.dataset.max, 10);
    if (!counter || !max) return;
    var n = Array.from(el.value).length;
    var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang).select(n) : "other";
    var template = n > max ? t("counterOver") : (plural === "one" ? t("counterOne") : t("counter"));
    counter.textContent = template.replace("{count}", n).replace("{max}", max).replace("{over}", n - max);
    counter.classList.toggle("counter-near", n <= max && n >= max * 0.9);
    counter.classList.toggle("counter-over", n > max);
  }

  form.addEventListener("input", function (event) {
    armWarning();
    var code = event.target.dataset && event.target.dataset.question;
    if (!code) return;
    dirty[code] = true;
    if (keptForLater) sessionStorage.setItem(draftKey, JSON.stringify(snapshot(form)));
    if (event.target.dataset.max) count(event.target);
    clearTimeout(timer);
    timer = setTimeout(save, 1200);
  });

  form.addEventListener("submit", function () { leaving = true; });

  // Leaving by a link (another chapter, the review): save first, then go; stay and say
  // so when something could not be saved.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    if (!link || leaving || !unsaved() || link.target || link.hasAttribute("download")) return;
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      save();
      return;
    }
    event.preventDefault();
    say(t("saving"));
    save().then(function () {
      if (!unsaved() || window.confirm(t("leaveUnsaved"))) {
        leaving = true;
        location.href = link.href;
      }
    });
  });

  // The tab hidden or closed: what is typed leaves now, even if the page goes.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") sendNow();
  });
  window.addEventListener("pagehide", sendNow);
  window.addEventListener("beforeunload", function (event) {
    if (leaving || !unsaved()) return;
    event.preventDefault();
    event.returnValue = "";
  });
}

/**
 * The documents page: the form goes through the API instead, so that its progress can
 * be shown and said (every quarter, in the form's live region); a refusal is put next
 * to the file input, which it describes, and the input takes the focus. Once attached,
 * the page is loaded again (it lists the document and says so).
 */
function uploadWithProgress(form) {
  var messages = document.getElementById("upload-messages");
  var csrf = form.querySelector("input[name=csrf_token]");
  var box = form.querySelector(".upload-progress");
  var bar = box.querySelector("progress");
  var status = box.querySelector(".upload-status");
  var input = form.querySelector("input[type=file]");
  var error = document.getElementById(input.getAttribute("aria-describedby").split(" ").pop());
  function showError(text) {
    error.textContent = text;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.closest(".field").classList.add("field-error");
    status.textContent = messages.dataset.failed;
    input.focus();
  }
  form.addEventListener("submit", function (event) {
    if (!window.FormData || !input.files || input.files.length === 0) return;
    event.preventDefault();
    var data = new FormData(form);
    data.delete("csrf_token");
    var request = new XMLHttpRequest();
    var said = -1;
    request.open("POST", form.dataset.upload);
    request.setRequestHeader("X-CSRF-Token", csrf ? csrf.value : "");
    request.setRequestHeader("Accept", "application/json");
    box.hidden = false;
    bar.value = 0;
    form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    request.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var percent = Math.floor((e.loaded / e.total) * 100);
      bar.value = percent;
      var quarter = Math.floor(percent / 25) * 25;
      if (quarter > said) {
        said = quarter;
        status.textContent = messages.dataset.progress.replace("__percent__", String(quarter));
      }
    });
    request.addEventListener("load", function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      if (request.status === 201) {
        bar.value = 100;
        status.textContent = messages.dataset.done;
        location.assign(location.pathname + "?fait=ajoute");
        return;
      }
      var text = messages.dataset.failed;
      try {
        var problem = JSON.parse(request.responseText);
        var first = problem.errors && problem.errors[0];
        // The service speaks French; another page's language says it in its own words.
        var own = first && messages.getAttribute("data-error-" + first.code);
        if (first && own && document.documentElement.lang !== "fr") text = own;
        else if (first) text = first.message;
        else if (problem.detail) text = problem.detail;
      } catch (ignored) { /* the status says enough */ }
      showError(text);
    });
    request.addEventListener("error", function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      showError(messages.dataset.failed);
    });
    request.send(data);
  });
}
