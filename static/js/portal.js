// Public portal: progressive enhancements only (CSP forbids inline scripts).
document.addEventListener("DOMContentLoaded", function () {
  // A link to "#phan-anh" opens the feedback form directly.
  if (location.hash === "#phan-anh") {
    var details = document.querySelector("#phan-anh details");
    if (details) details.open = true;
  }
});
