#!/usr/bin/env bash
# Back up the database and the stored files (uploads and issued documents).
#
#   DATABASE_URL=postgres://... APP_VAR_DIR=/srv/cadres/var scripts/backup.sh [OUT_DIR]
#
# Writes OUT_DIR/cadres-<stamp>.dump (pg_dump, custom format) and OUT_DIR/media-<stamp>.tar.gz
# (APP_VAR_DIR/media), then prints their names. Take the dump first: a file referenced by
# the dump is then always in the archive taken after it (issued documents are never removed).
set -euo pipefail

: "${DATABASE_URL:?DATABASE_URL=postgres://... is required}"
VAR_DIR="${APP_VAR_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/var}"
OUT_DIR="${1:-.}"
STAMP="${BACKUP_STAMP:-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT_DIR" "$VAR_DIR/media"

dump="$OUT_DIR/cadres-$STAMP.dump"
media="$OUT_DIR/media-$STAMP.tar.gz"
pg_dump --format=custom --no-owner --file="$dump" --dbname="$DATABASE_URL"
tar czf "$media" -C "$VAR_DIR" media
echo "$dump"
echo "$media"
