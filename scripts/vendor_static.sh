#!/usr/bin/env bash
# Front-end packages from npm (package.json / package-lock.json), copied into static/vendor/ where Django's
# static files (and WhiteNoise) serve them from our own origin: no CDN, no bundler. Called by `make install`.
#   static/vendor/leaflet/                 leaflet.js(.map), leaflet.css, images/ (the public map)
#   static/vendor/leaflet.markercluster/   clustering plugin                  (the public map)
#   node_modules/axe-core/axe.min.js       read by the browser tests only (conftest: axe), not served
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v npm >/dev/null; then
    echo "vendor_static: cần Node.js và npm (npm ci) để lấy Leaflet và axe-core" >&2
    exit 1
fi
npm ci --no-audit --no-fund --ignore-scripts --loglevel=error

rm -rf static/vendor
mkdir -p static/vendor/leaflet static/vendor/leaflet.markercluster
cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images \
    static/vendor/leaflet/
cp node_modules/leaflet/LICENSE static/vendor/leaflet/LICENSE
cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
    node_modules/leaflet.markercluster/dist/leaflet.markercluster.js.map \
    node_modules/leaflet.markercluster/dist/MarkerCluster.css \
    node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css \
    static/vendor/leaflet.markercluster/
cp node_modules/leaflet.markercluster/MIT-LICENCE.txt static/vendor/leaflet.markercluster/LICENSE 2>/dev/null || true
test -f node_modules/axe-core/axe.min.js
