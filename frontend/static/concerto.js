// Concerto: progressive enhancement only; every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", function () {
  // Take people straight to what went wrong (autofocus does not reach every reader).
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});
