#!/usr/bin/env bash
# Start the local PostgreSQL (Debian's postgresql package) and make sure the role `jixiao` (password
# `jixiao`, allowed to create the test database) exists. Prints the DATABASE_URL to use, and only that:
# pg_ctlcluster and friends print notices ("Removed stale pid file.") on standard output, so everything
# they say goes to standard error. (No extra file descriptor either: the server would inherit it and
# keep the caller's $(...) waiting.)
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
start() {
    local version
    version=$(ls /usr/lib/postgresql | sort -n | tail -1)
    if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
        if ! pg_lsclusters -h 2>/dev/null | grep -q .; then $SUDO pg_createcluster "$version" main; fi
        $SUDO pg_ctlcluster "$version" main start
    fi
    if ! as_postgres "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='jixiao'\"" | grep -q 1; then
        as_postgres "psql -qc \"CREATE ROLE jixiao LOGIN PASSWORD 'jixiao' CREATEDB\""
    fi
    if ! as_postgres "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='jixiao'\"" | grep -q 1; then
        as_postgres "createdb -O jixiao jixiao"
    fi
}
start >&2
echo "postgres://jixiao:jixiao@127.0.0.1:5432/jixiao"
