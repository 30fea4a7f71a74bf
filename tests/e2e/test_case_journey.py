"""One error-tolerance case from application to the register export, in a real browser.

Every person logs in through the login form and acts by clicking and typing on the pages
they would use: the cadre files an application with a PDF, the intake clerk accepts it and
assigns the investigator, the investigator records the findings and the cadre's statement
and refers the case, a member of the committee roster records the meeting with as many
members present and voting as the policy's quorum and majority need, and then the
conclusion on a form with no outcome chosen beforehand (with the task broker down: the page
says the ruling is queued; it is drafted once the outbox drains), the clerk previews the
draft (草稿, no number) and checks it (核稿), the leader signs it off (签发) and the task
issues it with its number, the clerk records the delivery with its date and the signed
receipt, the cadre sees the delivery date in "my cases" and downloads the ruling, and the
auditor exports it from the register.

The database work (people, policy, the quorum to reach) happens in fixtures before the
browser starts; see tests/e2e/conftest.py for why and for the screenshots.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from playwright.sync_api import expect

from core import outbox
from core.models import DocumentKind, DraftState
from tests.e2e.conftest import off_the_browser
from tests.factories import make_user
from tests.faults.conftest import CLOSED, broker
from tests.pdftext import pdf_text as poppler_text
from tests.tolerance.conftest import TOLERABLE_FINDINGS
from tolerance.enums import CaseState, Outcome, Severity
from tolerance.record_forms import SEAT_ABSENT, SEAT_PRESENT
from tolerance.rulings import document_title

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-Secret-123"  # tests.factories.make_user's
OCCURRED_ON = dt.date(2025, 3, 10)  # under the default policy the data migration seeds
TITLE = "乡村振兴试点项目资金拨付偏差"
QUEUED_NOTICE = (
    "认定决定书正在生成：任务已排队，等待后台服务处理。文书生成后将显示在“已签发文书”中，"
    "无需重复操作。"
)


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
    """As many members of the roster present and voting as the policy in force needs."""
    from tolerance.policies import policy_in_force
    from tolerance.rules import vote_result

    rules = policy_in_force(world.county_a_org, OCCURRED_ON).deliberation
    members = [m.pk for m in staff.members]
    needed = vote_result(len(members), len(members), len(members), rules)
    present = needed.required_present
    voting = vote_result(len(members), present, present, rules).required_votes
    assert (len(members), present, voting) == (3, 2, 2)  # more than half present and for
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


def small_pdf(text: str) -> bytes:
    """A valid one-page PDF showing `text` (ASCII) in Helvetica: the cross-reference table
    gives each object's true byte offset, so strict readers (pdftotext) accept it."""
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref
    )
    return bytes(out)


@pytest.fixture
def application_pdf(tmp_path) -> Path:
    """The statement the cadre attaches: a real, small PDF."""
    statement = "Statement of the facts: decided collectively, no private gain."
    path = tmp_path / "情况说明.pdf"
    path.write_bytes(small_pdf(statement))
    assert pdf_text(path).strip() == statement
    return path


def pdf_text(path: Path) -> str:
    return poppler_text(path.read_bytes())


def nav(page, label) -> None:
    """Go to a page of the navigation as the user would: the domain group in the bar (it
    opens the group's first page), then, when the page is another of the group's, its entry
    in the group's bar below."""
    text = zh(label)
    group = page.locator("[data-group]").filter(
        has=page.locator("a.nav-link", has_text=re.compile(f"^{re.escape(text)}$"))
    )
    target = group.locator("a.nav-link", has_text=re.compile(f"^{re.escape(text)}$")).first
    href = target.get_attribute("href")
    group.locator("> a.nav-link").click()
    page.wait_for_load_state()
    if not page.url.endswith(href):
        page.locator(".subnav a.nav-link", has_text=text).click()


def open_case(page, reference: str) -> None:
    """From the navigation to the case, through the list of tolerance cases."""
    nav(page, gettext_lazy("Tolerance cases"))
    page.locator('[data-testid="case-row"] a', has_text=reference).click()


def open_action(page, name: str):
    """The form of an action on the case page, unfolded when it sits in a <details>."""
    form = page.locator(f'form[data-action="{name}"]')
    form.wait_for(state="attached")  # the case page has loaded (not the list still)
    details = page.locator(f'details:has(form[data-action="{name}"])')
    if details.count() and details.get_attribute("open") is None:
        details.locator("summary").click()
    return form


def submit(form) -> None:
    form.locator("button[type=submit]").click()


def expect_state(page, state: CaseState) -> None:
    expect(page.locator('[data-testid="state"]')).to_have_text(zh(state.label))


def test_case_journey(
    world, staff, auditor, committee, media, application_pdf, tmp_path, journey
):
    step = journey.step
    cadre_name = world.cadre_a1.name
    ruling_title = document_title(DocumentKind.TOLERANCE_RULING)

    # --- the cadre files the application with a PDF ---------------------------------------
    cadre = journey.login(staff.cadre.username, PASSWORD)
    with step("cadre-files-application", cadre):
        nav(cadre, gettext_lazy("My tolerance cases"))
        cadre.locator("a.btn", has_text=zh(gettext_lazy("Apply for error tolerance"))).click()
        cadre.fill("#id_title", TITLE)
        cadre.fill("#id_description", "在推进改革试点中，因政策界限不明确出现资金拨付偏差。")
        cadre.fill("#id_occurred_on", OCCURRED_ON.isoformat())
        cadre.fill("#id_action", "拟给予诫勉")
        cadre.fill("#id_action_by", "县纪委监委")
        cadre.fill("#id_application_text", "系改革探索中的失误，经集体决策，未谋私利。")
        cadre.set_input_files("#id_files", str(application_pdf))
        journey.shoot("cadre-application-form")
        cadre.click('button[name="submit_now"]')
        expect_state(cadre, CaseState.SUBMITTED)
        expect(cadre.locator('[data-testid="attachment"] a')).to_have_text(application_pdf.name)
        reference = cadre.locator("h1").inner_text().strip()
        assert re.fullmatch(r"RC\d{4}-\d{5}", reference), reference

    # --- the intake clerk accepts and assigns the investigator ----------------------------
    clerk = journey.login(staff.clerk.username, PASSWORD)
    with step("clerk-accepts", clerk):
        open_case(clerk, reference)
        submit(open_action(clerk, "accept"))
        expect_state(clerk, CaseState.ACCEPTED)
        # The acceptance notice is drafted (no number) for its check and sign-off.
        expect(clerk.locator('[data-testid="document"] a')).to_have_count(0)
        expect(clerk.locator('[data-testid="draft-link"]')).to_have_text(
            document_title(DocumentKind.ACCEPTANCE_NOTICE)
        )
    with step("acceptance-notice-checked-and-signed", clerk):
        clerk.locator('[data-testid="draft-link"]').click()
        submit(clerk.locator('form:has(input[name=action][value=check])'))
        expect(clerk.locator('[data-testid="draft-state"]')).to_have_text(
            zh(DraftState.CHECKED.label))
        signer = journey.login(staff.leader.username, PASSWORD)
        signer.goto(clerk.url)
        submit(signer.locator('form:has(input[name=action][value=sign])'))
        open_case(clerk, reference)
        expect(clerk.locator('[data-testid="document"] a')).to_have_text(
            document_title(DocumentKind.ACCEPTANCE_NOTICE)
        )
    with step("clerk-assigns-investigator", clerk):
        form = open_action(clerk, "start_investigation")
        form.locator("select[name=investigator]").select_option(str(staff.investigator.pk))
        submit(form)
        expect_state(clerk, CaseState.INVESTIGATING)

    # --- the investigator records the findings, writes the report, refers the case --------
    investigator = journey.login(staff.investigator.username, PASSWORD)
    with step("investigator-records-findings", investigator):
        open_case(investigator, reference)
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
        journey.shoot("investigator-findings-form")
        submit(form)
        expect(investigator.locator('[data-testid="advice"]')).to_have_text(
            zh(Outcome.EXEMPT.label)
        )
    with step("investigator-records-statement", investigator):
        form = open_action(investigator, "note")
        form.locator("select[name=kind]").select_option("statement")
        form.locator("input[name=participants]").fill(f"{cadre_name}、调查组")
        form.locator("textarea[name=text]").fill("本人陈述：决策经集体研究，本人未谋取私利。")
        submit(form)
        expect(investigator.locator('[data-testid="note"]')).to_have_count(1)
    with step("investigator-writes-report", investigator):
        form = open_action(investigator, "report")
        form.locator("textarea[name=report]").fill("调查报告：决策程序合规，未谋取私利。")
        submit(form)
        expect(investigator.locator('form[data-action="refer"]')).to_have_count(1)
    with step("investigator-refers", investigator):
        submit(open_action(investigator, "refer"))
        expect_state(investigator, CaseState.DELIBERATING)

    # --- a committee member records the meeting: the quorum present, the majority for -----
    member = journey.login(staff.members[0].username, PASSWORD)
    with step("committee-votes", member):
        open_case(member, reference)
        form = open_action(member, "meeting")
        for position, member_id in enumerate(committee.member_ids):
            seat = SEAT_PRESENT if position < committee.present else SEAT_ABSENT
            form.locator(f"select[name=seat_{member_id}]").select_option(seat)
            if position < committee.voting:
                form.locator(f'select[name^="vote_"][name$="_{member_id}"]').select_option(
                    Outcome.EXEMPT.value
                )
                form.locator(f'input[name^="opinion_"][name$="_{member_id}"]').fill("同意免责")
        form.locator("input[name=held_on]").fill(timezone.localdate().isoformat())
        form.locator("textarea[name=minutes]").fill("会议认为符合容错情形，同意免责。")
        journey.shoot("committee-meeting-form")
        submit(form)
        meeting = member.locator('[data-testid="meeting"]')
        expect(meeting).to_have_count(1)
        expect(meeting.locator("tbody tr")).to_have_count(len(committee.member_ids))
        expect(meeting.locator(".badge")).to_have_count(committee.voting)

    # --- a member present records the conclusion while the task service is down ----------
    leader = member  # who may decide is policy data: by default a member present
    with step("member-decides-ruling-queued", leader), broker(CLOSED):
        open_case(leader, reference)
        form = open_action(leader, "decide")
        outcome = form.locator('input[name$="-outcome"]')
        expect(outcome).to_have_count(len(Outcome.values))
        for position in range(len(Outcome.values)):  # no outcome chosen beforehand
            expect(outcome.nth(position)).not_to_be_checked()
        form.locator(f'input[name$="-outcome"][value="{Outcome.EXEMPT.value}"]').check()
        form.locator('textarea[name$="-reason"]').fill("符合先行先试情形，经委员会表决通过。")
        journey.shoot("member-decision-form")
        submit(form)
        expect(leader.locator('[data-testid="outcome"]')).to_have_text(zh(Outcome.EXEMPT.label))
        expect_state(leader, CaseState.DECIDED)
        notice = leader.locator('[data-testid="ruling-pending"]')
        expect(notice).to_have_attribute("data-status", "queued")
        expect(notice).to_have_text(QUEUED_NOTICE)
        expect(leader.locator('[data-testid="document"] a')).to_have_count(1)  # acceptance

    # --- the service is back: the queued task drafts the ruling (no number yet) ---------
    with step("ruling-drafted-when-service-back", leader):
        assert off_the_browser(outbox.drain) >= 1  # what Celery beat does every minute
        # no reload: the waiting page fetches itself again and shows the draft (live.js)
        expect(leader.locator('[data-testid="ruling-pending"]')).to_have_attribute(
            "data-status", "signoff"
        )
        expect_state(leader, CaseState.DECIDED)
        notice = leader.locator('[data-testid="ruling-pending"]')
        expect(notice).to_have_attribute("data-status", "signoff")
        expect(leader.locator('[data-testid="document"] a')).to_have_count(1)  # acceptance
        expect(leader.locator('[data-testid="draft-link"]', has_text=ruling_title)).to_have_text(
            f"{ruling_title}（{cadre_name}）"
        )

    # --- the clerk previews the draft (草稿, no number) and checks it (核稿) -------------
    with step("clerk-previews-draft", clerk):
        open_case(clerk, reference)
        clerk.locator('[data-testid="draft-link"]', has_text=ruling_title).click()
        expect(clerk.locator('[data-testid="draft-state"]')).to_have_text(zh(DraftState.DRAFTED.label))
        href = clerk.locator('[data-testid="preview"]').get_attribute("href")
        preview = clerk.request.get(href)
        assert preview.status == 200
        draft_pdf = tmp_path / "draft.pdf"
        draft_pdf.write_bytes(preview.body())
        draft_text = "".join(pdf_text(draft_pdf).split())
        assert cadre_name in draft_text
        assert "〔" not in draft_text  # no number before the sign-off
        journey.save_pdf_page("draft-preview", draft_pdf)
    with step("clerk-checks-draft", clerk):
        submit(clerk.locator('form:has(input[name=action][value=check])'))
        expect(clerk.locator('[data-testid="draft-state"]')).to_have_text(zh(DraftState.CHECKED.label))
        expect(clerk.locator('input[name=action][value=sign]')).to_have_count(0)

    # --- the approving leader signs it off (签发): the task numbers and issues it ---------
    leader = journey.login(staff.leader.username, PASSWORD)
    with step("leader-signs-off", leader):
        open_case(leader, reference)
        leader.locator('[data-testid="draft-link"]', has_text=ruling_title).click()
        journey.shoot("leader-sign-off-step")
        submit(leader.locator('form:has(input[name=action][value=sign])'))
        expect(leader.locator(".alert-success")).to_have_count(1)  # the sign-off answered
        leader.goto(leader.url)
        expect(leader.locator('[data-testid="draft-state"]')).to_have_text(zh(DraftState.ISSUED.label))
        expect(leader.locator('[data-testid="number"] a')).to_have_text(re.compile(r"〔\d{4}〕1号"))
    with step("ruling-issued-after-sign-off", leader):
        open_case(leader, reference)
        expect_state(leader, CaseState.RULING_ISSUED)
        expect(leader.locator('[data-testid="ruling-pending"]')).to_have_count(0)
        expect(leader.locator('[data-testid="document"] a').nth(1)).to_have_text(
            f"{ruling_title}（{cadre_name}）"
        )

    # --- the clerk records the delivery, back-dated, with the signed receipt --------------
    delivered_on = timezone.localdate()
    with step("clerk-records-delivery", clerk):
        open_case(clerk, reference)
        form = open_action(clerk, "feed_back")
        form.locator('input[name="method"][value="in_person"]').check()
        form.locator("input[name=delivered_on]").fill(delivered_on.isoformat())
        receipt = tmp_path / "送达回证.pdf"
        receipt.write_bytes(small_pdf("Receipt signed by the person concerned."))
        form.locator("input[name=receipt]").set_input_files(str(receipt))
        journey.shoot("clerk-delivery-form")
        submit(form)
        expect_state(clerk, CaseState.FED_BACK)
        expect(clerk.locator('[data-testid="delivery"]')).to_contain_text(receipt.name)

    # --- the cadre finds the ruling in "my cases" and downloads it ------------------------
    with step("cadre-downloads-ruling", cadre):
        nav(cadre, gettext_lazy("My tolerance cases"))
        row = cadre.locator('[data-testid="my-case"]', has_text=reference)
        expect(row.locator('[data-testid="state"]')).to_have_text(zh(CaseState.FED_BACK.label))
        expect(row.locator('[data-testid="delivered-on"]')).to_contain_text(
            delivered_on.isoformat())
        expect(row.locator('[data-testid="appeal-until"]')).to_have_count(0)  # exempted
        link = row.locator('a[data-testid="document"]', has_text=ruling_title)
        expect(link).to_have_text(f"{ruling_title}（{cadre_name}）")
        number = link.locator("xpath=following-sibling::span[1]").inner_text().strip()
        with cadre.expect_download() as download:
            link.click()
        ruling = tmp_path / "ruling.pdf"
        download.value.save_as(ruling)
        assert download.value.suggested_filename == f"{number}-{ruling_title}-{cadre_name}.pdf"
        content = ruling.read_bytes()
        assert content.startswith(b"%PDF-")
        text = pdf_text(ruling)
        assert cadre_name in text
        assert number in text
        journey.save_pdf_page("signed-ruling", ruling)

    # --- the auditor finds it in the register and exports it ------------------------------
    audit = journey.login(auditor.username, PASSWORD)
    with step("auditor-filters-register", audit):
        nav(audit, gettext_lazy("Register of documents"))
        audit.locator("#id_kind").select_option(DocumentKind.TOLERANCE_RULING.value)
        audit.click('main form[role="search"] button[type=submit]')
        rows = audit.locator(".register-table tbody tr")
        expect(rows).to_have_count(1)
        cells = rows.first.locator("td")
        expect(cells.nth(0)).to_have_text(number)
        expect(cells.nth(1)).to_have_text(zh(DocumentKind.TOLERANCE_RULING.label))
        expect(cells.nth(2)).to_have_text(reference)  # the case, on every row
        expect(rows.first.locator('[data-testid="cadre"]')).to_contain_text(cadre_name)
    with step("auditor-exports", audit):
        audit.click('[data-testid="export"]')
        archive_link = audit.locator('[data-role="archive"]')
        expect(archive_link).to_be_visible()
        with audit.expect_download() as download:
            archive_link.click()
        archive = tmp_path / "export.zip"
        download.value.save_as(archive)

    # The archive holds the ruling (byte for byte what the cadre downloaded) and a manifest
    # whose SHA-256 is the document's.
    year = re.search(r"〔(\d{4})〕", number).group(1)
    pdf_name = f"documents/{year}/{number}-{ruling_title}-{cadre_name}.pdf"
    with zipfile.ZipFile(archive) as zipped:
        assert sorted(zipped.namelist()) == sorted(
            [pdf_name, "manifest.csv", "SHA256SUMS", "register.xlsx"]
        )
        exported = zipped.read(pdf_name)
        manifest = zipped.read("manifest.csv").decode("utf-8-sig")
        checksums = zipped.read("SHA256SUMS").decode()
    assert exported == content
    digest = hashlib.sha256(content).hexdigest()
    _header, line = csv.reader(io.StringIO(manifest))
    assert line[:7] == [
        number, zh(DocumentKind.TOLERANCE_RULING.label), cadre_name, line[3], digest,
        str(len(content)), pdf_name,
    ]
    assert checksums == f"{digest}  {pdf_name}\n"

    # --- the clerk exports the whole case file (卷宗) and checks its manifest ------------
    with step("clerk-exports-case-file", clerk):
        open_case(clerk, reference)
        clerk.click('[data-testid="case-file"]')
        archive_link = clerk.locator('[data-role="archive"]')
        expect(archive_link).to_be_visible()
        journey.shoot("case-file-export")
        with clerk.expect_download() as download:
            archive_link.click()
        case_file = tmp_path / "case-file.zip"
        download.value.save_as(case_file)
    with zipfile.ZipFile(case_file) as zipped:
        names = zipped.namelist()
        assert f"documents/{number}-{ruling_title}-{cadre_name}.pdf" in names
        assert zipped.read(f"documents/{number}-{ruling_title}-{cadre_name}.pdf") == content
        assert any(name.startswith("receipts/") for name in names)
        assert {"record/timeline.csv", "manifest.csv", "SHA256SUMS"} <= set(names)
        sums = zipped.read("SHA256SUMS").decode()
    assert f"{digest}  documents/{number}-{ruling_title}-{cadre_name}.pdf" in sums
