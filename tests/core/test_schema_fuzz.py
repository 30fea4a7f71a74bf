"""schemathesis against /api/schema/: no operation answers with a server error.

The schema is loaded from the Django WSGI application itself (no server, no network) as an
administrator with a token, and every operation is called with generated valid and invalid
input: a bounded number of examples each, so the whole run stays well under a minute.
"""

from __future__ import annotations

import datetime as dt

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from assessments.models import TargetAssessment
from assessments.services.grades import GradeInput, unit_grades_enter
from config.wsgi import application
from core.api_tokens import api_token_issue
from core.documents import document_issue
from core.enums import Role
from core.models import DocumentKind
from promotions.triggers.scan import scan
from tests.factories import make_user
from tests.tolerance.conftest import flow, staff  # noqa: F401  (fixtures)

EXAMPLES = 12


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def wsgi_in_test_transaction():
    """Serve through the real WSGI handler inside the test's transaction: like Django's test
    client, do not let request_started/finished close the connection (PostgreSQL would
    lose the test's transaction; in-memory SQLite never notices)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(db, world, flow):  # noqa: F811
    """Some data to find (a case, a ruling, grades, a proposal) and a staff administrator's
    token."""
    case = flow.submitted()
    document_issue(
        key=f"fuzz:{case.pk}",
        kind=DocumentKind.TOLERANCE_RULING,
        authority=case.authority,
        series="容",
        title="容错认定决定书",
        render=lambda number, on: (f"{number}.pdf", "application/pdf", b"%PDF-1.4 fuzz"),
        subject=case,
        cadre=world.cadre_a1,
        issued_on=dt.date(2026, 3, 2),
    )
    admin = make_user("fuzz_admin", Role.ADMIN)
    admin.is_staff = True
    admin.save()
    unit_grades_enter(
        world.township_a1,
        actor=admin,
        year=2024,
        entries=[GradeInput(world.cadre_a1.pk, "competent")],
    )
    TargetAssessment.objects.create(unit=world.county_a, year=2024, grade="poor")
    scan(2024)
    return api_token_issue(admin, actor=None)[0]


SCHEMA = "/api/schema/?format=json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]
OPERATIONS = 32  # every method of every path in /api/schema/ (tests/core/test_api_schema.py)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_answers_no_server_error(fuzz_token, wsgi_in_test_transaction, mode):
    headers = {"Authorization": f"Token {fuzz_token}"}
    schema = schemathesis.openapi.from_wsgi(SCHEMA, wsgi_in_test_transaction, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == OPERATIONS
    failures = []
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
            phases=[Phase.explicit, Phase.generate],  # no shrinking: report the first failure
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)

        try:
            call()
        except (Exception, FailureGroup) as exc:  # noqa: BLE001  (collect every failure)
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
