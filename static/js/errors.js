// The error summary at the top of a page sent back with errors (GOV.UK pattern), on staff and public pages:
// it takes the focus (and the screen) when the page loads, and each of its links moves the focus to the field
// it names — opening the <details> that holds it, if any. CSP forbids inline scripts: this file is loaded by
// both base templates.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.scrollIntoView({ block: "start" });
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    event.preventDefault();
    var details = target.closest("details");
    if (details) details.open = true;
    var label = document.querySelector("label[for='" + target.id + "']");
    (label || target).scrollIntoView({ block: "center" });
    target.focus();
  });
});
