#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and media folder.
#
#   scripts/restore.sh BACKUP_FOLDER
#
# DATABASE_URL and MEDIA_ROOT name the targets, as for the app. It refuses to touch a
# database that already has tables, or a media folder that already has files: restoring
# over live data would mix two states. For PostgreSQL, create the empty database first
# (createdb); pg_restore runs in one transaction, so a failed restore leaves it empty.
# Checksums are verified before anything is written. Afterwards run
# `python manage.py migrate` in case the code is newer than the backup.
set -euo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
    echo "usage: scripts/restore.sh BACKUP_FOLDER" >&2
    exit 2
fi
backup="$(cd "$1" && pwd)"
root="$(cd "$(dirname "$0")/.." && pwd)"
database_url="${DATABASE_URL:-sqlite:///$root/db.sqlite3}"
media_root="${MEDIA_ROOT:-$root/media}"

(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || {
    echo "restore.sh: checksums do not match: the backup is damaged; nothing restored." >&2
    exit 1
}

if [ -f "$backup/media.tar.gz" ] && [ -d "$media_root" ] \
    && [ -n "$(find "$media_root" -mindepth 1 -type f -print -quit)" ]; then
    echo "restore.sh: $media_root already has files; restore into an empty folder." >&2
    exit 1
fi

case "$database_url" in
    postgres://* | postgresql://* | pgsql://*)
        url="${database_url/#pgsql:/postgresql:}"
        if [ ! -f "$backup/database.dump" ]; then
            echo "restore.sh: the backup holds no PostgreSQL dump (database.dump)." >&2
            exit 1
        fi
        tables="$(psql --dbname="$url" --no-psqlrc --tuples-only --no-align --command \
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public'")"
        if [ "$tables" != "0" ]; then
            echo "restore.sh: the database already has $tables tables; restore into an empty one (createdb)." >&2
            exit 1
        fi
        pg_restore --exit-on-error --single-transaction --no-owner --no-privileges \
            --dbname="$url" "$backup/database.dump"
        ;;
    sqlite://*)
        path="${database_url#sqlite://}"
        if [ ! -f "$backup/database.sqlite3" ]; then
            echo "restore.sh: the backup holds no SQLite database (database.sqlite3)." >&2
            exit 1
        fi
        if [ -s "$path" ]; then
            echo "restore.sh: $path already exists; restore into a new file." >&2
            exit 1
        fi
        mkdir -p "$(dirname "$path")"
        python3 - "$backup/database.sqlite3" "$path" <<'PY'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
result = target.execute("PRAGMA integrity_check").fetchone()[0]
target.close()
source.close()
if result != "ok":
    sys.exit(f"restore.sh: the restored database fails its integrity check: {result}")
PY
        ;;
    *)
        echo "restore.sh: DATABASE_URL must be postgres:// or sqlite://" >&2
        exit 1
        ;;
esac

if [ -f "$backup/media.tar.gz" ]; then
    mkdir -p "$media_root"
    tar --extract --gzip --no-same-owner --file="$backup/media.tar.gz" --directory="$media_root"
fi
echo "Restored $backup"
