// Traceability pages: confirm destructive stamp actions; on the public verify page, offer to send the
// phone's approximate position (rounded to ~1 km) by reloading with ?lat=&lon=&quet= (the signed scan it
// completes) — only when the user asks.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
  var share = document.querySelector("[data-share-location]");
  if (share && "geolocation" in navigator) {
    share.hidden = false;
    share.addEventListener("click", function () {
      share.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var url = new URL(window.location.href);
          url.searchParams.set("lat", position.coords.latitude.toFixed(2));
          url.searchParams.set("lon", position.coords.longitude.toFixed(2));
          // The scan this place belongs to: the reload completes it instead of counting a new one.
          url.searchParams.set("quet", share.getAttribute("data-scan") || "");
          window.location.replace(url.toString());
        },
        function () {
          share.disabled = false;
          share.textContent = "Không lấy được vị trí — bạn có thể bỏ qua bước này";
        },
        { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 }
      );
    });
  }
});
