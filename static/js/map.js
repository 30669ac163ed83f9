// Public maps (Leaflet + markercluster, vendored from npm). Each [data-map] element is a map:
//  - data-points: address of the points (JSON: products grouped by commune, points of sale) — the big map;
//  - data-lat / data-lon / data-label: one place — a place's or a fair's page.
// Tiles come from data-tiles (settings OCOP_MAP_TILES). When they cannot be loaded, the markers stay usable
// and the page says the background map is unavailable ([data-map-down]).
(function () {
  "use strict";

  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) el.className = className;
    return el;
  }

  function link(href, value) {
    var a = text("a", value);
    a.href = href;
    return a;
  }

  function watchTiles(layer, box) {
    var loaded = 0;
    var failed = 0;
    var down = box.parentNode.querySelector("[data-map-down]") || document.querySelector("[data-map-down]");
    layer.on("tileload", function () {
      loaded += 1;
      if (down) down.hidden = true;
    });
    layer.on("tileerror", function () {
      failed += 1;
      if (down && loaded === 0 && failed >= 1) down.hidden = false;
    });
  }

  function baseMap(box, center, zoom) {
    var map = L.map(box, { scrollWheelZoom: false }).setView(center, zoom);
    var tiles = L.tileLayer(box.dataset.tiles, {
      attribution: box.dataset.attribution,
      maxZoom: parseInt(box.dataset.maxZoom || "19", 10),
      referrerPolicy: "strict-origin-when-cross-origin",
      crossOrigin: false,
    });
    watchTiles(tiles, box);
    tiles.addTo(map);
    return map;
  }

  function escapeHtml(value) {
    var el = document.createElement("span");
    el.textContent = value;
    return el.innerHTML;
  }

  // label: trusted markup built below (numbers, fixed words and escaped names only).
  function pin(label, className, size) {
    return L.divIcon({
      className: "",
      html: '<div class="pin ' + className + '">' + label + "</div>",
      iconSize: [size, size],
    });
  }

  function onePlace(box) {
    var lat = parseFloat(box.dataset.lat);
    var lon = parseFloat(box.dataset.lon);
    var map = baseMap(box, [lat, lon], 14);
    var marker = L.marker([lat, lon], { title: box.dataset.label, alt: box.dataset.label, keyboard: true });
    marker.addTo(map);
  }

  function productPopup(data) {
    // data: {name, count, url (the full list), products: [[name, url, stars]…]}
    var english = document.documentElement.lang === "en";
    var box = document.createElement("div");
    box.appendChild(text("strong", data.name || ""));
    var list = document.createElement("ul");
    data.products.forEach(function (p) {
      var item = document.createElement("li");
      item.appendChild(link(p[1], p[0]));
      item.appendChild(text("span", " " + "★".repeat(p[2])));
      list.appendChild(item);
    });
    if (data.products.length) box.appendChild(list);
    var more = document.createElement("p");
    more.appendChild(link(data.url, (english ? "All " : "Tất cả ") + data.count + (english ? " products ›" : " sản phẩm ›")));
    box.appendChild(more);
    return box;
  }

  function communeMarker(box, row, english) {
    // row: [lat, lon, products, commune id, commune name]; the products are read when the marker opens.
    var name = (row[4] || "") + ": " + row[2] + (english ? " OCOP products" : " sản phẩm OCOP");
    var marker = L.marker([row[0], row[1]], {
      icon: pin(String(row[2]) + '<span class="vh"> ' + escapeHtml(name) + "</span>", "", 30),
      title: name,
      keyboard: true,
    });
    marker.bindPopup(text("span", english ? "Loading…" : "Đang tải…"));
    marker.on("popupopen", function () {
      var url = box.dataset.commune.replace("/0.json", "/" + row[3] + ".json");
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (data) {
          marker.setPopupContent(productPopup(data));
        })
        .catch(function () {
          marker.setPopupContent(text("span", english ? "Could not load the products." : "Không tải được danh sách."));
        });
    });
    return marker;
  }

  function placePopup(row) {
    // row: [lat, lon, name, url]
    var box = document.createElement("div");
    box.appendChild(link(row[3], row[2]));
    return box;
  }

  function bigMap(box) {
    var map = baseMap(box, [16.0, 106.0], 5);
    var english = document.documentElement.lang === "en";
    var cluster = L.markerClusterGroup({
      showCoverageOnHover: false,
      maxClusterRadius: 50,
      iconCreateFunction: function (group) {
        var n = group.getChildCount();
        var size = n < 10 ? 32 : n < 100 ? 38 : 46;
        var label = n + '<span class="vh">' + (english ? " places on the map" : " điểm trên bản đồ") + "</span>";
        return pin(label, "pin--group", size);
      },
    });
    fetch(box.dataset.points, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var bounds = [];
        data.communes.forEach(function (row) {
          cluster.addLayer(communeMarker(box, row, english));
          bounds.push([row[0], row[1]]);
        });
        data.places.forEach(function (row) {
          var name = (english ? "Point of sale: " : "Điểm bán: ") + row[2];
          var marker = L.marker([row[0], row[1]], { icon: pin('<span aria-hidden="true">⌂</span><span class="vh">' + escapeHtml(name) + "</span>", "pin--shop", 28), title: name, keyboard: true });
          marker.bindPopup(function () { return placePopup(row); });
          cluster.addLayer(marker);
          bounds.push([row[0], row[1]]);
        });
        map.addLayer(cluster);
        box.setAttribute("data-markers", String(data.communes.length + data.places.length));
        if (bounds.length) map.fitBounds(bounds, { padding: [20, 20], maxZoom: 12 });
      })
      .catch(function () {
        var down = document.querySelector("[data-map-down]");
        if (down) down.hidden = false;
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-map]").forEach(function (box) {
      if (box.dataset.points) bigMap(box);
      else if (box.dataset.lat && box.dataset.lon) onePlace(box);
    });
  });
})();
