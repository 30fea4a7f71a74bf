#!/usr/bin/env bash
# Load test: gunicorn with production settings on a PostgreSQL filled with 1,000,000 cadres,
# 100,000 tolerance cases and 100,000 proposals (bench/load/fill.py; documents, petitions,
# commendations and exceptional requests by bench/load/fill_lists.py), driven by wrk on this
# machine only, side by side with a bare 50-row keyset view (bench/load/urls.py).
#
#   bench/load/run.sh                 # creates and fills cadres_bench_load on first use (~6 min)
#   BENCH_DB=other DURATION=20s CONNECTIONS=16 WORKERS=4 bench/load/run.sh
#   PG_TUNE=1 bench/load/run.sh       # with the recommended settings (README), per database
#
# For each clerk (bench_small: the smallest county, bench_big: the biggest county,
# bench_city: the city's organization department) and each page (case list, cadre list,
# register, proposal list, case detail) it measures req/s, p50 and p99 latency, the ratio
# of req/s to the bare view measured in the same run (the mean of a run before and a run
# after the clerk's pages), and the CPU seconds per request of
# the gunicorn workers and of the PostgreSQL backends serving this database (from
# /proc/<pid>/stat). Then bench/load/explain.py prints the SQL time per page (EXPLAIN
# ANALYZE of every query, median). The last line reads
#   min ratio to bare: R; max p99: N ms
# over the four list pages of all clerks.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT="$PWD"
PY="$ROOT/.venv/bin/python"
DB="${BENCH_DB:-cadres_bench_load}"
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
PORT="${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-16}"
WORKERS="${WORKERS:-4}"
CADRES="${CADRES:-1000000}"
CASES="${CASES:-100000}"
PROPOSALS="${PROPOSALS:-100000}"
export DATABASE_URL="$PG/$DB"

command -v wrk >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk </dev/null
}

if [ -z "$(psql "$PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
    echo "==> Creating and filling $DB ($CADRES cadres, $CASES cases, $PROPOSALS proposals)"
    psql "$PG/postgres" -qc "CREATE DATABASE \"$DB\""
    DJANGO_SETTINGS_MODULE=config.settings.test "$PY" manage.py migrate -v0
    DJANGO_SETTINGS_MODULE=config.settings.test "$PY" bench/load/fill.py \
        --cadres "$CADRES" --cases "$CASES" --proposals "$PROPOSALS"
    DJANGO_SETTINGS_MODULE=config.settings.test "$PY" bench/load/fill_lists.py
    psql "$PG/$DB" -qc "VACUUM ANALYZE"
fi

# The recommended settings (README, "PostgreSQL at provincial scale") that take effect
# without a restart, set for this database only and reset on exit; shared_buffers needs a
# server restart and is reported, not changed.
TUNED=""
if [ "${PG_TUNE:-0}" = 1 ]; then
    psql "$PG/postgres" -qc "ALTER DATABASE \"$DB\" SET work_mem = '16MB'" \
        -c "ALTER DATABASE \"$DB\" SET effective_cache_size = '12GB'" \
        -c "ALTER DATABASE \"$DB\" SET random_page_cost = 1.1"
    TUNED=1
fi

VAR="$(mktemp -d)"
GUNICORN_PID=""
cleanup() {
    if [ -n "$GUNICORN_PID" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
    if [ -n "$TUNED" ]; then
        psql "$PG/postgres" -qc "ALTER DATABASE \"$DB\" RESET work_mem" \
            -c "ALTER DATABASE \"$DB\" RESET effective_cache_size" \
            -c "ALTER DATABASE \"$DB\" RESET random_page_cost" || true
    fi
    rm -rf "$VAR"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=bench.load.settings
DJANGO_SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DJANGO_SECURE_SSL_REDIRECT=false
export SITE_URL=https://cadres.example.org
export CELERY_BROKER_URL="${BENCH_REDIS:-redis://127.0.0.1:6379/6}"
export APP_VAR_DIR="$VAR" PDF_FONT_DIRS="$ROOT/var/fonts" LOG_LEVEL=WARNING
"$PY" manage.py migrate -v0 --check >/dev/null || { echo "run migrate on $DB first" >&2; exit 1; }
"$PY" manage.py collectstatic --noinput -v0

# One session per clerk, and a case each may open.
declare -A SESSION CASE
while read -r name session case; do
    SESSION[$name]="$session"; CASE[$name]="$case"
done < <("$PY" - <<'PY'
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from core.models import User
from tolerance.permissions import visible_cases
for name in ("bench_small", "bench_big", "bench_city"):
    user = User.objects.get(username=name)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    case = visible_cases(user).order_by("-id").values_list("pk", flat=True)[500]
    print(name, session.session_key, case)
PY
)

gunicorn_log="$VAR/gunicorn.log"
"$ROOT/.venv/bin/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" \
    --env DJANGO_SETTINGS_MODULE=bench.load.settings --log-level warning >"$gunicorn_log" 2>&1 &
GUNICORN_PID=$!
for _ in $(seq 1 100); do
    kill -0 "$GUNICORN_PID" 2>/dev/null || { cat "$gunicorn_log" >&2; exit 1; }
    curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done
BASE="http://127.0.0.1:$PORT"
TICKS="$(getconf CLK_TCK)"

# CPU ticks (user + system) per process: "pid ticks" lines, for the gunicorn workers and
# for the PostgreSQL backends of $DB. A delta counts each process still alive at the end
# from its own start value (0 for a backend opened during the run).
snapshot() { local pid; for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] && echo "$pid $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
done; true; }
app_snapshot() { snapshot $(pgrep -P "$GUNICORN_PID" || true); }
pg_snapshot() { snapshot $(pgrep -f "^postgres: (.*: )?[^ ]+ $DB " || true); }
delta() { awk 'NR == FNR { before[$1] = $2; next } { total += $2 - (($1 in before) ? before[$1] : 0) } END { print total + 0 }' <(echo "$1") <(echo "$2"); }

# run NAME PATH COOKIE -> sets R_RPS R_P50 R_P99 R_ERR R_APP R_PG (ms CPU per request)
run() {
    local path="$2" cookie="$3" line kv a0 a1 p0 p1 requests
    status="$(curl -s -o /dev/null -w '%{http_code}' -H "$cookie" "$BASE$path")"
    if [ "$status" != 200 ]; then
        echo "$path answered $status, not 200:" >&2; tail -20 "$gunicorn_log" >&2; exit 1
    fi
    wrk -t2 -c"$CONNECTIONS" -d3s -H "$cookie" "$BASE$path" >/dev/null  # warm-up
    a0="$(app_snapshot)"; p0="$(pg_snapshot)"
    line="$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -s bench/load/report.lua -H "$cookie" \
        "$BASE$path" | grep '^RESULT')"
    a1="$(app_snapshot)"; p1="$(pg_snapshot)"
    for kv in $line; do
        case "$kv" in
            p50=*) R_P50="${kv#p50=}" ;;
            p99=*) R_P99="${kv#p99=}" ;;
            rps=*) R_RPS="${kv#rps=}" ;;
            requests=*) requests="${kv#requests=}" ;;
            errors=*) R_ERR="${kv#errors=}" ;;
        esac
    done
    R_APP="$(awk -v d="$(delta "$a0" "$a1")" -v n="$requests" -v t="$TICKS" 'BEGIN { printf "%.1f", n ? d * 1000 / t / n : 0 }')"
    R_PG="$(awk -v d="$(delta "$p0" "$p1")" -v n="$requests" -v t="$TICKS" 'BEGIN { printf "%.1f", n ? d * 1000 / t / n : 0 }')"
}

echo "==> $(nproc) cores (load average $(cut -d' ' -f1-3 /proc/loadavg), shared with other work), gunicorn $WORKERS workers, wrk 2 threads × $CONNECTIONS connections, $DURATION each${TUNED:+, recommended PostgreSQL settings}"
psql "$PG/$DB" -tAc "SELECT 'PostgreSQL: ' || string_agg(name || '=' || current_setting(name), ', ') FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost')"
declare -a NAMES=("case list" "cadre list" "register" "proposal list" "case detail")
RESULTS="$VAR/results"
printf '%-12s %-14s %8s %8s %8s %8s %7s %9s %8s\n' "clerk" "page" "req/s" "ratio" "p50 ms" "p99 ms" "errors" "app ms/r" "PG ms/r" >"$RESULTS"
# The machine's speed drifts (a shared virtual machine: the bare view has read 765 and
# 1,265 req/s a minute apart), so each clerk's pages sit between two runs of the bare view
# and their ratio is to the mean of both; both bare rows are printed.
row() {  # NAME RATIO: one line of the table from the last run's R_* values
    printf '%-12s %-14s %8.1f %8s %8.1f %8.1f %7d %9s %8s\n' "$clerk" "$1" "$R_RPS" "$2" \
        "$R_P50" "$R_P99" "$R_ERR" "$R_APP" "$R_PG"
}
for clerk in bench_small bench_big bench_city; do
    cookie="Cookie: sessionid=${SESSION[$clerk]}"
    paths=("/tolerance/" "/cadres/" "/register/" "/promotions/proposals/" "/tolerance/cases/${CASE[$clerk]}/")
    run bare "/bench/bare?after=500000" "$cookie"
    first_rps="$R_RPS"
    first="$(row "bare view" "@@@@@")"
    lines=()
    for i in "${!paths[@]}"; do
        run "${NAMES[$i]}" "${paths[$i]}" "$cookie"
        lines+=("$R_RPS|$(row "${NAMES[$i]}" "@@@@@")")
    done
    run bare "/bench/bare?after=500000" "$cookie"
    bare_rps="$(awk -v a="$first_rps" -v b="$R_RPS" 'BEGIN { printf "%.3f", (a + b) / 2 }')"
    ratio_of() { awk -v a="$1" -v b="$bare_rps" 'BEGIN { printf "%5.3f", a / b }'; }
    echo "${first/@@@@@/$(ratio_of "$first_rps")}" >>"$RESULTS"
    for line in "${lines[@]}"; do
        echo "${line#*|}" | sed "s/@@@@@/$(ratio_of "${line%%|*}")/" >>"$RESULTS"
    done
    row "bare again" "$(ratio_of "$R_RPS")" >>"$RESULTS"
done
echo
cat "$RESULTS"
echo
echo "==> SQL per page (EXPLAIN ANALYZE of each query, median of 5)"
DJANGO_SETTINGS_MODULE=config.settings.test "$PY" bench/load/explain.py 2>/dev/null
echo
echo "($CADRES cadres, $CASES cases, $PROPOSALS proposals in $DB)"
awk 'NR > 1 && !($2 == "bare") && !($2 == "case" && $3 == "detail") {
        ratio = $(NF - 5); p99 = $(NF - 3)
        if (min == "" || ratio < min) min = ratio
        if (p99 > max) max = p99
    }
    END { printf "min ratio to bare: %.3f; max p99: %.0f ms\n", min, max }' "$RESULTS"
