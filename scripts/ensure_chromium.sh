#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the Playwright browser tests.
# Never downloads a browser build through `playwright install`: only Debian's package is used.
# Also DejaVu fonts (the certificate/decision PDFs embed DejaVu Sans for Vietnamese letters) and poppler-utils
# (tests render generated PDFs with pdftoppm to prove they open).
set -euo pipefail
source "$(dirname "$0")/apt_install.sh"

if [ -x /usr/bin/chromium ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && command -v pdftoppm >/dev/null; then
    exit 0
fi

apt_install ensure_chromium chromium fonts-dejavu-core poppler-utils
test -x /usr/bin/chromium
/usr/bin/chromium --version || true
