#!/usr/bin/env bash
# Make sure Debian's Chromium is at /usr/bin/chromium for the Playwright browser tests.
# Never downloads a browser build through `playwright install`: only Debian's package is used.
# Also DejaVu fonts (the certificate/decision PDFs embed DejaVu Sans for Vietnamese letters) and poppler-utils
# (tests render generated PDFs with pdftoppm to prove they open).
set -euo pipefail

if [ -x /usr/bin/chromium ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] && command -v pdftoppm >/dev/null; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        echo "ensure_chromium: /usr/bin/chromium không có và không phải root; hãy chạy: sudo apt-get install -y chromium" >&2
        exit 1
    fi
else
    SUDO=()
fi

echo "ensure_chromium: cài gói Debian chromium ..."
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core poppler-utils >/dev/null
test -x /usr/bin/chromium
/usr/bin/chromium --version || true
