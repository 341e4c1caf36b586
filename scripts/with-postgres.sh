#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at PostgreSQL. Uses the server on
# 127.0.0.1:5432 when one answers; otherwise starts a throwaway cluster under /tmp
# (PostgreSQL refuses to run as root, so through runuser) and stops it afterwards.
set -euo pipefail

if [ -n "${DATABASE_URL:-}" ] && [[ "$DATABASE_URL" == postgres* ]]; then
    exec "$@"
fi

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    export DATABASE_URL="postgres://postgres@127.0.0.1:5432/cspportal"
    exec "$@"
fi

bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
datadir="$(mktemp -d /tmp/cspportal-pg.XXXXXX)"
port=55432
chown postgres "$datadir" 2>/dev/null || true
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

as_pg "$bindir/initdb" -D "$datadir" -U postgres -A trust >/dev/null
as_pg "$bindir/pg_ctl" -D "$datadir" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" -w start >/dev/null
cleanup() { as_pg "$bindir/pg_ctl" -D "$datadir" -m fast -w stop >/dev/null || true; rm -rf "$datadir"; }
trap cleanup EXIT

export DATABASE_URL="postgres://postgres@127.0.0.1:$port/cspportal"
"$@"
