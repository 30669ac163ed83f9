#!/usr/bin/env bash
# Make sure PostgreSQL 15's server binaries (initdb, pg_ctl, postgres) and its contrib extensions
# (pg_trgm, unaccent) are there for the PostgreSQL half of `make test`. Installs Debian's package if not
# (as root or through passwordless sudo, see apt_install.sh).
set -euo pipefail
source "$(dirname "$0")/apt_install.sh"

have_pg() {
    { command -v initdb >/dev/null 2>&1 || [ -x /usr/lib/postgresql/15/bin/initdb ]; } &&
        [ -f /usr/share/postgresql/15/extension/pg_trgm.control ]
}

if have_pg; then
    exit 0
fi
apt_install ensure_postgres postgresql-15
# The Debian package starts a cluster of its own as a service; the test suite never uses it.
have_pg
