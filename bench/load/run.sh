#!/usr/bin/env bash
# Load test: gunicorn with production settings on a PostgreSQL filled with 1,000,000 cadres
# and 100,000 tolerance cases (bench/load/fill.py), driven by wrk on this machine only.
#
#   bench/load/run.sh                 # creates and fills bench_load on first use (minutes)
#   BENCH_DB=other DURATION=30s CONNECTIONS=16 WORKERS=4 bench/load/run.sh
#
# Prints p50/p95 latency and requests/second for the case list, a case detail, the cadre
# list and the bare healthz view (one SELECT 1), and each page's ratio to healthz. The
# requests are made as `bench_clerk`, the intake clerk of one county (10,000 of the cases,
# 100,000 cadres in reach). Needs PostgreSQL on 127.0.0.1:5432 (user postgres, no password)
# and Redis on 127.0.0.1:6379 (production settings use it as the cache).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$PWD"
PY="$ROOT/.venv/bin/python"
DB="${BENCH_DB:-bench_load}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
PORT="${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-8}"
WORKERS="${WORKERS:-4}"
CADRES="${CADRES:-1000000}"
CASES="${CASES:-100000}"
export DATABASE_URL="$PG/$DB"

command -v wrk >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk </dev/null
}

if [ -z "$(psql "$PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
    echo "==> Creating and filling $DB ($CADRES cadres, $CASES cases)"
    psql "$PG/postgres" -qc "CREATE DATABASE \"$DB\""
    DJANGO_SETTINGS_MODULE=config.settings.test "$PY" manage.py migrate -v0
    DJANGO_SETTINGS_MODULE=config.settings.test "$PY" bench/load/fill.py \
        --cadres "$CADRES" --cases "$CASES"
fi

VAR="$(mktemp -d)"
GUNICORN_PID=""
cleanup() {
    if [ -n "$GUNICORN_PID" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
    rm -rf "$VAR"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=config.settings.production
DJANGO_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false
export SITE_URL=https://cadres.example.org
export CELERY_BROKER_URL="${BENCH_REDIS:-redis://127.0.0.1:6379/15}"
export APP_VAR_DIR="$VAR" PDF_FONT_DIRS="$ROOT/var/fonts" LOG_LEVEL=WARNING
"$PY" manage.py migrate -v0 --check >/dev/null || { echo "run migrate on $DB first" >&2; exit 1; }
"$PY" manage.py collectstatic --noinput -v0

read -r SESSION CASE <<<"$("$PY" - <<'PY'
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from core.models import User
from tolerance.permissions import visible_cases
user = User.objects.get(username="bench_clerk")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key, visible_cases(user).order_by("-id").values_list("pk", flat=True)[500])
PY
)"

gunicorn_log="$VAR/gunicorn.log"
"$ROOT/.venv/bin/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --log-level warning >"$gunicorn_log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 100); do
    kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$gunicorn_log" >&2; exit 1; }
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done

BASE="http://127.0.0.1:$PORT"
COOKIE="Cookie: sessionid=$SESSION"
declare -a NAMES=("healthz (bare view)" "case list" "case detail" "cadre list")
declare -a PATHS=("/healthz" "/tolerance/" "/tolerance/cases/$CASE/" "/cadres/")

echo "==> $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg)), gunicorn $WORKERS workers, wrk 2 threads × $CONNECTIONS connections, $DURATION each"
for path in "${PATHS[@]}"; do
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "$COOKIE" "$BASE$path")"
    if [ "$status" != 200 ]; then
        echo "$path answered $status, not 200:" >&2; tail -20 "$gunicorn_log" >&2; exit 1
    fi
done

declare -A P50 P95 RPS ERR
for i in "${!PATHS[@]}"; do
    wrk -t2 -c"$CONNECTIONS" -d5s -H "$COOKIE" "$BASE${PATHS[$i]}" >/dev/null  # warm-up
    line="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s bench/load/report.lua -H "$COOKIE" \
        "$BASE${PATHS[$i]}" | grep '^RESULT')"
    for kv in $line; do
        case "$kv" in
            p50=*) P50[$i]="${kv#p50=}" ;;
            p95=*) P95[$i]="${kv#p95=}" ;;
            rps=*) RPS[$i]="${kv#rps=}" ;;
            errors=*) ERR[$i]="${kv#errors=}" ;;
        esac
    done
done

printf '\n%-22s %9s %9s %9s %8s %12s %12s\n' "page" "p50 ms" "p95 ms" "req/s" "errors" "p50 / bare" "req/s / bare"
for i in "${!PATHS[@]}"; do
    printf '%-22s %9.1f %9.1f %9.1f %8d %12.1f %12.3f\n' "${NAMES[$i]}" "${P50[$i]}" "${P95[$i]}" \
        "${RPS[$i]}" "${ERR[$i]}" \
        "$(awk -v a="${P50[$i]}" -v b="${P50[0]}" 'BEGIN { print a / b }')" \
        "$(awk -v a="${RPS[$i]}" -v b="${RPS[0]}" 'BEGIN { print a / b }')"
done
echo "($CADRES cadres, $CASES cases in $DB; pages as bench_clerk: ${PATHS[1]} ${PATHS[2]} ${PATHS[3]})"
