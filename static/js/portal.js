// Public portal: progressive enhancements only (CSP forbids inline scripts).
document.addEventListener("DOMContentLoaded", function () {
  // A link to "#phan-anh" opens the feedback form directly.
  if (location.hash === "#phan-anh") {
    var details = document.querySelector("#phan-anh details");
    if (details) details.open = true;
  }
  // A form sent back with errors: the summary at the top takes the focus (and the screen), and each of its
  // links moves the focus to the field it names (GOV.UK error summary).
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.scrollIntoView({ block: "start" });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      var details = target.closest("details");
      if (details) details.open = true;
      target.scrollIntoView({ block: "center" });
      target.focus();
    });
  }
});
