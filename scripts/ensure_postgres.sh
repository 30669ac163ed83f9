#!/usr/bin/env bash
# Make sure PostgreSQL 15's server binaries (initdb, pg_ctl, postgres) and its contrib extensions
# (pg_trgm, unaccent) are there for the PostgreSQL half of `make test`. Installs Debian's package if not.
set -euo pipefail

have_pg() {
    { command -v initdb >/dev/null 2>&1 || [ -x /usr/lib/postgresql/15/bin/initdb ]; } &&
        [ -f /usr/share/postgresql/15/extension/pg_trgm.control ]
}

if have_pg; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure_postgres: không tìm thấy PostgreSQL 15; hãy chạy: sudo apt-get install -y postgresql-15" >&2
    exit 1
fi
echo "ensure_postgres: cài gói Debian postgresql-15 ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends postgresql-15 >/dev/null
# The Debian package starts a cluster of its own as a service; the test suite never uses it.
have_pg
