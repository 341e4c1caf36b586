#!/usr/bin/env bash
# Back up CSP Portal: the database and the media folder (uploaded imports, agenda
# papers, issued report PDFs), into one new folder with checksums.
#
#   scripts/backup.sh [DESTINATION]          (default DESTINATION: ./backups)
#
# Reads the same environment as the app: DATABASE_URL (PostgreSQL, or SQLite by
# default) and MEDIA_ROOT (default ./media). PostgreSQL is dumped with pg_dump in its
# custom format (-Fc), a consistent snapshot taken while the app keeps running.
# The media folder is archived after the dump, so every file the dump refers to is in
# the archive (files are only ever added, never changed). With S3 storage
# (STORAGE_BACKEND=s3 or AWS_STORAGE_BUCKET_NAME) the bucket is not copied: use the
# bucket's versioning or replication (see docs/deploy.md).
# Prints the backup folder's path on the last line.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
database_url="${DATABASE_URL:-sqlite:///$root/db.sqlite3}"
media_root="${MEDIA_ROOT:-$root/media}"
destination="${1:-$root/backups}"

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
target="$destination/csp-backup-$stamp"
if [ -e "$target" ]; then
    echo "backup.sh: $target already exists; try again in a second." >&2
    exit 1
fi
mkdir -p "$target"
chmod 700 "$target"
trap 'echo "backup.sh: failed; removing the incomplete $target" >&2; rm -rf "$target"' ERR

case "$database_url" in
    postgres://* | postgresql://* | pgsql://*)
        url="${database_url/#pgsql:/postgresql:}"
        pg_dump --format=custom --no-owner --no-privileges --file="$target/database.dump" --dbname="$url"
        engine=postgresql
        ;;
    sqlite://*)
        path="${database_url#sqlite://}"
        if [ ! -f "$path" ]; then
            echo "backup.sh: no SQLite database at $path" >&2
            exit 1
        fi
        # The online backup API copies a consistent snapshot even while the app writes.
        python3 - "$path" "$target/database.sqlite3" <<'PY'
import sqlite3, sys
source, copy = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with copy:
    source.backup(copy)
copy.close()
source.close()
PY
        engine=sqlite
        ;;
    *)
        echo "backup.sh: DATABASE_URL must be postgres:// or sqlite://" >&2
        exit 1
        ;;
esac

if [ "${STORAGE_BACKEND:-}" = "s3" ] || [ -n "${AWS_STORAGE_BUCKET_NAME:-}" ]; then
    media="s3 bucket ${AWS_STORAGE_BUCKET_NAME:-?} (not copied)"
else
    mkdir -p "$media_root"
    tar --create --gzip --file="$target/media.tar.gz" --directory="$media_root" .
    media="media.tar.gz"
fi

cat >"$target/manifest.txt" <<MANIFEST
CSP Portal backup
created: $stamp
database engine: $engine
database file: $(basename "$target"/database.*)
media: $media
MANIFEST
(cd "$target" && sha256sum database.* media.tar.gz manifest.txt 2>/dev/null >SHA256SUMS || true)
(cd "$target" && sha256sum --check --quiet SHA256SUMS)
trap - ERR
echo "$target"
