#!/usr/bin/env bash
# Set everything up and start the app at http://127.0.0.1:8000/ with demo data.
# Embedded defaults: SQLite in var/, Celery tasks run in-process (no broker needed).
# Set DATABASE_URL / CELERY_BROKER_URL to use PostgreSQL / Redis instead (see README).
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-config.settings.local}"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

setup_common

step "Applying database migrations"
"$PY" manage.py migrate --noinput

step "Seeding demo data"
"$PY" manage.py seed_demo
"$PY" manage.py seed_assessments
"$PY" manage.py seed_demo_cases
"$PY" manage.py seed_demo_petitions
"$PY" manage.py seed_demo_promotions

step "Serving on http://$HOST:$PORT/ (Ctrl-C to stop)"
exec "$PY" manage.py runserver "$HOST:$PORT"
