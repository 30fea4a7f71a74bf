#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into an EMPTY database and media directory.
#
#   DATABASE_URL=postgres://.../new_db APP_VAR_DIR=/srv/cadres/var \
#       scripts/restore.sh cadres-<stamp>.dump media-<stamp>.tar.gz
#
# Create the database first (createdb new_db). The script refuses a database that already
# has tables or a media directory that already has files: the audit log is append-only (a
# trigger refuses UPDATE and DELETE), so a backup is restored fresh, never merged.
# Afterwards run `manage.py migrate` (a no-op unless the code is newer than the backup).
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL=postgres://... is required}"
DUMP="${1:?usage: restore.sh DUMP MEDIA_TAR}"
MEDIA_TAR="${2:?usage: restore.sh DUMP MEDIA_TAR}"
VAR_DIR="${APP_VAR_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/var}"

tables="$(psql --dbname="$DATABASE_URL" -tAc \
    "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [ "$tables" != "0" ]; then
    echo "restore.sh: the database already has $tables tables; restore into an empty one" >&2
    exit 1
fi
if [ -d "$VAR_DIR/media" ] && [ -n "$(find "$VAR_DIR/media" -type f -print -quit)" ]; then
    echo "restore.sh: $VAR_DIR/media already holds files; restore into an empty one" >&2
    exit 1
fi

pg_restore --no-owner --exit-on-error --single-transaction --dbname="$DATABASE_URL" "$DUMP"
mkdir -p "$VAR_DIR"
tar xzf "$MEDIA_TAR" -C "$VAR_DIR"
echo "restored $DUMP and $MEDIA_TAR"
