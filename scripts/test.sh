#!/usr/bin/env bash
# Run the whole test suite: lint, translations, then pytest (browser tests included).
# Embedded defaults: SQLite and eager Celery. Set DATABASE_URL=postgres://... and
# CELERY_BROKER_URL=redis://... to run the same tests on PostgreSQL and Redis (.ci/run does).
# Extra arguments go to pytest, e.g. ./scripts/test.sh -x tests/cadres
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

setup_common chromium

step "Linting (ruff check)"
"$VENV/bin/ruff" check .

step "Security lint (bandit, high severity fails)"
"$VENV/bin/bandit" -q -r core cadres tolerance assessments promotions config -lll

step "Running the tests (database: ${DATABASE_URL:-SQLite}, broker: ${CELERY_BROKER_URL:-eager})"
unset DJANGO_SETTINGS_MODULE  # the tests use config.settings.test (pyproject.toml)
set +e
"$VENV/bin/pytest" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests: that is a failure" >&2
    exit 1
fi
exit "$status"
