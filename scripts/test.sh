#!/usr/bin/env bash
# Run the whole test suite: lint, import contracts, then pytest (browser tests included).
# Embedded defaults: SQLite and eager Celery. Set DATABASE_URL=postgres://... and
# CELERY_BROKER_URL=redis://... to run the same tests on PostgreSQL and Redis (.ci/run does).
# Extra arguments go to pytest, e.g. ./scripts/test.sh -x tests/cadres
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

setup_common chromium

step "Linting (ruff check)"
"$VENV/bin/ruff" check .

step "Security lint (bandit, high severity fails)"
"$VENV/bin/bandit" -q -r core cadres tolerance assessments promotions clarifications register workbench demo config -lll

step "Import contracts (import-linter in pyproject.toml; no import circle over two files)"
"$VENV/bin/lint-imports" --no-logo
"$VENV/bin/python" scripts/import_graph.py

step "Running the tests (database: ${DATABASE_URL:-SQLite}, broker: ${CELERY_BROKER_URL:-eager})"
unset DJANGO_SETTINGS_MODULE  # the tests use config.settings.test (pyproject.toml)
# Two processes by default (TEST_WORKERS=0 for one). The tests that share Redis's queues
# (their Celery workers would take each other's tasks) or drive a browser run afterwards in
# one process, in turn: xdist's --dist loadgroup cannot keep them together under pytest 9.2
# (the group suffix it writes into item._nodeid is no longer read), so they are kept apart
# from the parallel run by their marks instead.
workers=(-n "${TEST_WORKERS:-2}")
if [ "${TEST_WORKERS:-2}" = "0" ]; then workers=(); fi
set +e
"$VENV/bin/pytest" "${workers[@]}" -m "not redis and not browser" "$@"
parallel=$?
step "Running the Redis and browser tests, one at a time"
"$VENV/bin/pytest" -m "redis or browser" "$@"
serial=$?
set -e
# 5: that run collected no tests (a selection without any); both empty is a failure.
if [ "$parallel" -eq 5 ] && [ "$serial" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure" >&2
    exit 1
fi
for status in "$parallel" "$serial"; do
    if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then exit "$status"; fi
done
exit 0
