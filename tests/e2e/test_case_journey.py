"""One error-tolerance case from application to the register export, in a real browser.

Every person logs in through the login form and acts by clicking and typing on the pages
they would use: the cadre files an application with a PDF, the intake clerk accepts it and
assigns the investigator, the investigator records the findings and refers the case, a
committee member records the meeting with as many members present and voting as the
policy's quorum and majority need, the approving leader records the conclusion, the cadre
downloads the ruling from "my cases", and the auditor exports it from the register.

The database work (people, policy, the quorum to reach) happens in fixtures before the
browser starts; see tests/e2e/conftest.py for why and for the screenshots.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import translation

from core.models import DocumentKind
from tests.factories import make_user
from tests.tolerance.conftest import TOLERABLE_FINDINGS
from tolerance.enums import CaseState, Outcome, Severity
from tolerance.forms import SEAT_ABSENT, SEAT_PRESENT
from tolerance.rulings import document_title

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Secret-123"  # tests.factories.make_user's
OCCURRED_ON = dt.date(2025, 3, 10)  # under the default policy the data migration seeds
TITLE = "乡村振兴试点项目资金拨付偏差"


def zh(label) -> str:
    """A label as the Chinese user interface shows it."""
    with translation.override("zh-hans"):
        return str(label)


@dataclass(frozen=True)
class Committee:
    """Who sits at the meeting: the first `present` members, of whom `voting` vote to exempt."""

    member_ids: list[int]
    present: int
    voting: int


@pytest.fixture
def committee(world, staff, seeded_policy) -> Committee:
    """As many members present and voting as the policy in force needs, no more."""
    from tolerance.policies import policy_in_force
    from tolerance.rules import vote_result

    policy = policy_in_force(world.county_a_org, OCCURRED_ON).policy
    members = [m.pk for m in staff.members]
    needed = vote_result(len(members), len(members), len(members), policy)
    present = needed.required_present
    voting = vote_result(len(members), present, present, policy).required_votes
    assert (len(members), present, voting) == (3, 2, 2)  # 2/3 present, more than half of them
    return Committee(members, present, voting)


@pytest.fixture
def auditor(world):
    from core.enums import Role

    return make_user("e2e_auditor", Role.AUDITOR, authorities=[world.county_a_org])


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def application_pdf(tmp_path) -> Path:
    """A real PDF (rendered by WeasyPrint), as a cadre would attach a scanned statement."""
    from weasyprint import HTML

    path = tmp_path / "情况说明.pdf"
    path.write_bytes(HTML(string="<h1>情况说明</h1><p>资金拨付经集体研究决定。</p>").write_pdf())
    return path


def pdf_text(path: Path) -> str:
    result = subprocess.run(  # noqa: S603 (a fixed command on a file of this test)
        ["/usr/bin/pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True, check=True, timeout=60,
    )
    return result.stdout.decode()


def open_action(page, name: str):
    """The form of an action on the case page, unfolded when it sits in a <details>."""
    form = page.locator(f'form[data-action="{name}"]')
    details = page.locator(f'details:has(form[data-action="{name}"])')
    if details.count() and details.get_attribute("open") is None:
        details.locator("summary").click()
    return form


def expect_state(page, state: CaseState) -> None:
    from playwright.sync_api import expect

    expect(page.locator('h1 ~ [data-testid="state"], [data-testid="state"]').first).to_have_text(
        zh(state.label)
    )


def test_case_journey(
    world, staff, auditor, committee, media, application_pdf, tmp_path, journey
):
    from playwright.sync_api import expect

    step = journey.step
    cadre_name = world.cadre_a1.name

    # --- the cadre files the application with a PDF -----------------------------------
    cadre = journey.login(staff.cadre.username, PASSWORD)
    with step("cadre-files-application", cadre):
        cadre.goto("/tolerance/mine/")
        cadre.click('a[href="/tolerance/file/"]')
        cadre.fill("#id_title", TITLE)
        cadre.fill("#id_description", "在推进改革试点中，因政策界限不明确出现资金拨付偏差。")
        cadre.fill("#id_occurred_on", OCCURRED_ON.isoformat())
        cadre.fill("#id_action", "拟给予诫勉")
        cadre.fill("#id_action_by", "县纪委监委")
        cadre.fill("#id_application_text", "系改革探索中的失误，经集体决策，未谋私利。")
        cadre.set_input_files("#id_files", str(application_pdf))
        cadre.click('button[name="submit_now"]')
        expect_state(cadre, CaseState.SUBMITTED)
        expect(cadre.locator('[data-testid="attachment"] a')).to_have_text(application_pdf.name)
        case_url = cadre.url
        assert re.fullmatch(r".*/tolerance/cases/\d+/", case_url), case_url

    # --- the intake clerk accepts and assigns the investigator --------------------------
    clerk = journey.login(staff.clerk.username, PASSWORD)
    with step("clerk-accepts", clerk):
        clerk.goto("/tolerance/")
        clerk.click(f'a:has-text("{TITLE}"), tr:has-text("{TITLE}") a >> nth=0')
        assert clerk.url == case_url
        open_action(clerk, "accept").locator("button[type=submit]").click()
        expect_state(clerk, CaseState.ACCEPTED)
        expect(clerk.locator('[data-testid="document"] a')).to_contain_text(
            document_title(DocumentKind.ACCEPTANCE_NOTICE)
        )
    with step("clerk-assigns-investigator", clerk):
        form = open_action(clerk, "start_investigation")
        form.locator("select[name=investigator]").select_option(str(staff.investigator.pk))
        form.locator("button[type=submit]").click()
        expect_state(clerk, CaseState.INVESTIGATING)

    # --- the investigator records the findings and refers the case ----------------------
    investigator = journey.login(staff.investigator.username, PASSWORD)
    with step("investigator-records-findings", investigator):
        investigator.goto(case_url)
        form = open_action(investigator, "findings")
        for group, prefix in (("distinctions", "d"), ("conditions", "c"), ("exclusions", "x")):
            for code, value in TOLERABLE_FINDINGS[group].items():
                form.locator(f'select[name$="-{prefix}_{code}"]').select_option(str(value))
        form.locator('input[name$="-assessed"]').check()
        for code in TOLERABLE_FINDINGS["situations"]:
            form.locator(f'input[name$="-situations"][value="{code}"]').check()
        form.locator('select[name$="-severity"]').select_option(Severity.MINOR.value)
        form.locator('select[name$="-remedy_taken"]').select_option("yes")
        form.locator('textarea[name$="-findings_note"]').fill("经调查，符合先行先试情形。")
        form.locator("button[type=submit]").click()
        expect(investigator.locator('[data-testid="advice"]')).to_have_text(
            zh(Outcome.EXEMPT.label)
        )
    with step("investigator-writes-report", investigator):
        form = open_action(investigator, "report")
        form.locator("textarea[name=report]").fill("调查报告：决策程序合规，未谋取私利。")
        form.locator("button[type=submit]").click()
        expect(investigator.locator('form[data-action="refer"]')).to_have_count(1)
    with step("investigator-refers", investigator):
        open_action(investigator, "refer").locator("button[type=submit]").click()
        expect_state(investigator, CaseState.DELIBERATING)

    # --- a committee member records the meeting: quorum present, majority voting ----------
    member = journey.login(staff.members[0].username, PASSWORD)
    with step("committee-votes", member):
        member.goto(case_url)
        form = open_action(member, "meeting")
        for position, member_id in enumerate(committee.member_ids):
            seat = SEAT_PRESENT if position < committee.present else SEAT_ABSENT
            form.locator(f"select[name=seat_{member_id}]").select_option(seat)
            if position < committee.voting:
                form.locator(f'select[name^="vote_"][name$="_{member_id}"]').select_option(
                    Outcome.EXEMPT.value
                )
                form.locator(f'input[name^="opinion_"][name$="_{member_id}"]').fill("同意免责")
        form.locator("textarea[name=minutes]").fill("会议认为符合容错情形，同意免责。")
        form.locator("button[type=submit]").click()
        expect(member.locator('[data-testid="meeting"]')).to_have_count(1)
        expect(member.locator('[data-testid="meeting"] .badge')).to_have_count(
            committee.voting
        )

    # --- the approving leader records the conclusion; the ruling is issued ----------------
    leader = journey.login(staff.leader.username, PASSWORD)
    with step("leader-decides", leader):
        leader.goto(case_url)
        form = open_action(leader, "decide")
        form.locator('select[name$="-outcome"]').select_option(Outcome.EXEMPT.value)
        form.locator('textarea[name$="-reason"]').fill("符合先行先试情形，经委员会表决通过。")
        form.locator("button[type=submit]").click()
        expect(leader.locator('[data-testid="outcome"]')).to_have_text(zh(Outcome.EXEMPT.label))
        expect_state(leader, CaseState.RULING_ISSUED)
        expect(leader.locator('[data-testid="document"] a')).to_have_count(2)

    # --- the cadre finds the ruling in "my cases" and downloads it ------------------------
    ruling_title = document_title(DocumentKind.TOLERANCE_RULING)
    with step("cadre-downloads-ruling", cadre):
        cadre.goto("/tolerance/mine/")
        row = cadre.locator('[data-testid="my-case"]', has_text=TITLE)
        expect(row.locator('[data-testid="state"]')).to_have_text(
            zh(CaseState.RULING_ISSUED.label)
        )
        link = row.locator('a[data-testid="document"]', has_text=ruling_title)
        expect(link).to_have_text(f"{ruling_title}（{cadre_name}）")
        number = link.locator("xpath=following-sibling::span[1]").inner_text().strip()
        with cadre.expect_download() as download_info:
            link.click()
        ruling = tmp_path / "ruling.pdf"
        download_info.value.save_as(ruling)
        content = ruling.read_bytes()
        assert content.startswith(b"%PDF-")
        text = pdf_text(ruling)
        assert cadre_name in text
        assert number in text

    # --- the auditor finds it in the register and exports it ------------------------------
    audit = journey.login(auditor.username, PASSWORD)
    with step("auditor-filters-register", audit):
        audit.goto("/register/")
        audit.locator("#id_kind").select_option(DocumentKind.TOLERANCE_RULING.value)
        audit.click('form[role="search"] button[type=submit]')
        rows = audit.locator(".register-table tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first.locator("td").first).to_have_text(number)
        expect(rows.first.locator("td").nth(2)).to_contain_text(cadre_name)
    with step("auditor-exports", audit):
        audit.click('[data-testid="export"]')
        archive_link = audit.locator('[data-role="archive"]')
        expect(archive_link).to_be_visible()
        with audit.expect_download() as download_info:
            archive_link.click()
        archive = tmp_path / "export.zip"
        download_info.value.save_as(archive)

    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        pdfs = [n for n in names if n.endswith(".pdf")]
        assert len(pdfs) == 1
        exported = zipped.read(pdfs[0])
        manifest = list(csv.reader(io.StringIO(zipped.read("manifest.csv").decode("utf-8-sig"))))
    assert sorted(names) == sorted([pdfs[0], "manifest.csv", "SHA256SUMS", "register.xlsx"])
    assert exported == content  # the very document the cadre downloaded
    (header, line) = manifest
    by_column = dict(zip(header, line, strict=True))
    digest = hashlib.sha256(exported).hexdigest()
    assert line[0] == number
    assert digest in line
    assert line[6] == pdfs[0]
    assert cadre_name in by_column.values()
