// Running totals of a score sheet (a producer's self-assessment, a council member's sheet), updated as
// options are chosen, without a reload. The one client-side copy of the totals' rule: the sum of the chosen
// options' points, by part; a "choose one of two" group counts as answered when either case is. The server
// stays the authority: the page is rendered with its figures, and a member's autosave answers with them.
(function () {
  "use strict";

  function figures(sheet) {
    var total = 0;
    var parts = {};
    sheet.querySelectorAll("input[type=radio][data-points]:checked").forEach(function (input) {
      var points = parseInt(input.getAttribute("data-points"), 10) || 0;
      var part = input.getAttribute("data-part") || "";
      total += points;
      parts[part] = (parts[part] || 0) + points;
    });
    var missing = 0;
    var groups = {};
    sheet.querySelectorAll("fieldset[data-criterion]").forEach(function (fieldset) {
      var answered = !!fieldset.querySelector("input[type=radio]:checked");
      var group = fieldset.getAttribute("data-alternative");
      if (!group) {
        if (!answered) missing += 1;
        return;
      }
      groups[group] = groups[group] || answered;
    });
    Object.keys(groups).forEach(function (group) {
      if (!groups[group]) missing += 1;
    });
    return { total: total, parts: parts, missing: missing };
  }

  function show(sheet) {
    var found = figures(sheet);
    document.querySelectorAll("[data-score-total]").forEach(function (el) {
      el.textContent = String(found.total);
    });
    document.querySelectorAll("[data-score-part]").forEach(function (el) {
      el.textContent = String(found.parts[el.getAttribute("data-score-part")] || 0);
    });
    document.querySelectorAll("[data-score-missing]").forEach(function (el) {
      el.textContent = String(found.missing);
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!target || target.type !== "radio" || !target.hasAttribute("data-points")) return;
    var sheet = target.closest("[data-score-sheet]");
    if (sheet) show(sheet);
  });
})();
