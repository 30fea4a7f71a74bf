"""Prevention (防错): registering a filing and citing it in a tolerance case, up to the rules
summary that shows the risk was assessed and filed beforehand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from clarifications.errors import ClarificationError
from clarifications.filings import case_cite_filing, filing_create
from clarifications.models import CaseFilingCitation
from core.models import AuditEvent
from tests.tolerance.conftest import TOLERABLE_FINDINGS
from tolerance.investigation import entry_record_findings
from tolerance.models import CaseCadre
from tolerance.rules import RISK_FILED, summarize


@pytest.fixture
def filing(world, staff):
    return filing_create(
        actor=staff.clerk, authority=world.county_a_org, unit=world.township_a1,
        measure="乡村振兴资金拨付改革试点", description="试行先拨后审",
        risk_level="medium", risk_assessment="资金安全风险中等，设置双人复核。",
        argument="经专家论证会论证可行。", argued_on=dt.date(2024, 12, 1),
        filed_on=dt.date(2024, 12, 20), approving_body="甲县县委深改办",
        filing_ref="甲改备〔2024〕3号",
    )


def _summary(entry):
    return summarize(entry.findings(), entry.case.policy_version.policy)


def test_filing_create_is_audited(filing, world, staff):
    event = AuditEvent.objects.get(action="clarifications.filing.create")
    assert (event.authority_id, event.actor, event.after["approving_body"]) == (
        world.county_a_org.pk, staff.clerk, "甲县县委深改办",
    )


def test_filing_needs_staff_of_the_authority_and_argument_first(world, staff, people):
    kwargs = dict(
        authority=world.county_a_org, unit=world.township_a1, measure="m", description="",
        risk_level="low", risk_assessment="r", argument="a", argued_on=dt.date(2025, 1, 2),
        filed_on=dt.date(2025, 1, 1), approving_body="b",
    )
    with pytest.raises(ClarificationError):
        filing_create(actor=staff.clerk_b, **{**kwargs, "argued_on": dt.date(2024, 1, 1)})
    with pytest.raises(ClarificationError):
        filing_create(actor=staff.clerk, **kwargs)


def test_citing_during_investigation_records_findings_through_the_investigator(
    flow, filing, staff
):
    case = flow.investigating()
    entry = CaseCadre.objects.get(case=case)
    entry_record_findings(entry, actor=staff.investigator, **TOLERABLE_FINDINGS)
    entry.refresh_from_db()
    assert RISK_FILED not in _summary(entry).reason_codes
    citation = case_cite_filing(case, actor=staff.investigator, filing=filing)
    entry.refresh_from_db()
    assert (citation.case, citation.filing, entry.risk_filed) == (case, filing, True)
    # The other findings are kept as they were.
    assert (entry.situations, entry.severity, entry.remedy_taken) == (["SX-01"], "minor", True)
    findings = AuditEvent.objects.filter(action="tolerance.findings.record").latest("id")
    assert (findings.actor, findings.after) == (
        staff.investigator, {"entry": entry.pk, "risk_filed": True},
    )
    assert RISK_FILED in _summary(entry).reason_codes


def test_citing_while_deliberating_marks_the_entries_with_an_audit_row(flow, filing, staff):
    case = flow.deliberating()
    entry = CaseCadre.objects.get(case=case)
    case_cite_filing(case, actor=staff.clerk, filing=filing)
    entry.refresh_from_db()
    assert entry.risk_filed is True
    event = AuditEvent.objects.filter(action="tolerance.findings.record").latest("id")
    assert (event.actor, event.before, event.after, event.authority_id) == (
        staff.clerk, {"entry": entry.pk, "risk_filed": False},
        {"entry": entry.pk, "risk_filed": True}, case.authority_id,
    )
    cite = AuditEvent.objects.get(action="clarifications.filing.cite")
    assert cite.after == {"case": case.pk, "filing": filing.pk, "entries": [entry.pk]}
    assert RISK_FILED in _summary(entry).reason_codes


def test_citing_is_refused_after_the_decision_twice_or_by_others(flow, filing, staff):
    decided = flow.decided()
    with pytest.raises(ClarificationError):
        case_cite_filing(decided, actor=staff.clerk, filing=filing)
    case = flow.deliberating()
    for outsider in (staff.clerk_b, staff.cadre, staff.hr):
        with pytest.raises(ClarificationError):
            case_cite_filing(case, actor=outsider, filing=filing)
    case_cite_filing(case, actor=staff.clerk, filing=filing)
    with pytest.raises(ClarificationError):
        case_cite_filing(case, actor=staff.clerk, filing=filing)
    assert CaseFilingCitation.objects.count() == 1


def test_filing_page_cites_a_case(client, flow, filing, staff):
    case = flow.deliberating()
    client.force_login(staff.clerk)
    url = reverse("clarifications:filing", args=[filing.pk])
    assert client.post(url, {"case": case.pk}).status_code == 302
    assert CaseCadre.objects.get(case=case).risk_filed is True
    page = client.get(url).content.decode()
    assert case.reference in page and "甲县县委深改办" in page
    # A case the user cannot see is "no such case".
    other = client.post(url, {"case": case.pk + 999})
    assert other.status_code == 200 and "没有这个案件" in other.content.decode()


def test_filing_pages_are_not_found_outside_the_authority(client, filing, staff):
    for user in (staff.clerk_b, staff.cadre, staff.outsider):
        client.force_login(user)
        assert client.get(reverse("clarifications:filing", args=[filing.pk])).status_code == 404
