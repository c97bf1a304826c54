#!/usr/bin/env bash
# Start the local PostgreSQL (Debian's postgresql package) and make sure the role `jixiao` (password
# `jixiao`, allowed to create the test database) exists. Prints the DATABASE_URL to use.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h 2>/dev/null | grep -q online; then
    if ! pg_lsclusters -h 2>/dev/null | grep -q .; then $SUDO pg_createcluster "$version" main >/dev/null; fi
    $SUDO pg_ctlcluster "$version" main start
fi
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres sh -c "$1"; fi; }
if ! as_postgres "psql -tAc \"SELECT 1 FROM pg_roles WHERE rolname='jixiao'\"" | grep -q 1; then
    as_postgres "psql -qc \"CREATE ROLE jixiao LOGIN PASSWORD 'jixiao' CREATEDB\""
fi
if ! as_postgres "psql -tAc \"SELECT 1 FROM pg_database WHERE datname='jixiao'\"" | grep -q 1; then
    as_postgres "createdb -O jixiao jixiao"
fi
echo "postgres://jixiao:jixiao@127.0.0.1:5432/jixiao"
