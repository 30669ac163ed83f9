#!/usr/bin/env bash
# `make bench` loads the HTTP server with wrk (Debian package). PostgreSQL for the PG half comes from
# ensure_postgres.sh. Installs nothing when wrk is already there.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        echo "ensure_bench_tools: wrk không có và không phải root; hãy chạy: sudo apt-get install -y wrk" >&2
        exit 1
    fi
else
    SUDO=()
fi

echo "ensure_bench_tools: cài gói Debian wrk ..."
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends wrk >/dev/null
wrk --version 2>&1 | head -1 || true
