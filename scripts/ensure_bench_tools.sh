#!/usr/bin/env bash
# `make bench` loads the HTTP server with wrk (Debian package). PostgreSQL for the PG half comes from
# ensure_postgres.sh. Installs nothing when wrk is already there.
set -euo pipefail
source "$(dirname "$0")/apt_install.sh"

if command -v wrk >/dev/null 2>&1; then
    exit 0
fi
apt_install ensure_bench_tools wrk
wrk --version 2>&1 | head -1 || true
