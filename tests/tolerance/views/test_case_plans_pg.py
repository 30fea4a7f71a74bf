"""Every query of the case page has an index path on PostgreSQL: no sequential scan of a
table that grows with the province (tests/core/test_list_plans_pg.py does the same for the
lists). With `enable_seqscan = off` the planner still picks a sequential scan where no
index can serve the query, so "Seq Scan on <table>" means the page would read the table."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tolerance.appeals import appeal_file
from tolerance.enums import Outcome, StartedBy
from tolerance.filing import attachment_add
from tolerance.models.case import AttachmentKind

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# What the case page reads that grows with the number of cadres, cases and documents.
BIG_TABLES = {
    "core_user",
    "core_auditevent",
    "core_issueddocument",
    "core_documentdraft",
    "core_outboxtask",
    "cadres_cadre",
    "cadres_unit",
    "clarifications_clarification",
    "clarifications_petition",
    "tolerance_case",
    "tolerance_casecadre",
    "tolerance_accountabilitymatter",
    "tolerance_accountabilitymatter_cadres",
    "tolerance_casenote",
    "tolerance_attachment",
    "tolerance_meeting",
    "tolerance_meetingmember",
    "tolerance_vote",
    "tolerance_appeal",
    "tolerance_remedy",
    "tolerance_extension",
    "tolerance_delivery",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def _seq_scans(sql: str, params) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    return [table for table in re.findall(r"Seq Scan on (\w+)", plan) if table in BIG_TABLES]


def _scans_of_page(client, user, case) -> dict[str, list[str]]:
    url = reverse("tolerance:case_detail", args=[case.pk])
    client.force_login(user)
    client.get(url)  # sessions, content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert len(selects) > 5
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    found = {sql[:160]: _seq_scans(sql, None) for sql in selects}
    return {sql: tables for sql, tables in found.items() if tables}


@pytest.mark.parametrize("who", ["clerk", "leader", "members"])
def test_a_deliberating_case_page_has_index_paths(client, on_postgres, flow, staff, world, who):
    case = flow.deliberating(by=staff.hr, started_by=StartedBy.UNIT)
    flow.meeting(case)
    attachment_add(
        case,
        actor=staff.cadre,
        kind=AttachmentKind.STATEMENT,
        upload=SimpleUploadedFile("说明.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
    )
    user = staff.members[0] if who == "members" else getattr(staff, who)

    assert _scans_of_page(client, user, case) == {}


@pytest.mark.parametrize("who", ["clerk", "leader", "cadre"])
def test_an_appealed_case_page_has_index_paths(client, on_postgres, flow, staff, who):
    case = flow.fed_back(outcome=Outcome.LIGHTER)
    appeal_file(case.entries.get(), actor=staff.cadre, reason="不服")

    assert _scans_of_page(client, getattr(staff, who), case) == {}
