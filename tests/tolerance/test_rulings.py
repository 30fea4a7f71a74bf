"""The documents of a tolerance case: what the PDFs say, their fonts, and who may read them.

Cases are walked through the services (tests/tolerance/conftest.py Flow); the document tasks
run eagerly after each commit, as they would on a worker. The text of each PDF is read back
with pdftotext (poppler-utils, installed by scripts/_common.sh) and compared with all
whitespace removed, so line and page breaks do not matter.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from cadres.models import Authority
from core.documents import read_document
from core.enums import Role
from core.models import DocumentSequence, IssuedDocument
from tests.factories import CadreFactory, make_user
from tests.pdftext import assert_official, flat_text
from tolerance import permissions, rulings, tasks
from tolerance.appeals import appeal_assign_reviewer, appeal_decide, appeal_file
from tolerance.deliberation import entry_decide
from tolerance.enums import (
    CaseState,
    ConditionStatus,
    DistinctionSide,
    ExclusionStatus,
    Outcome,
    Severity,
    StartedBy,
)
from tolerance.feedback import case_feed_back
from tolerance.models import Case, CaseCadre, CaseNote
from tolerance.workflow import case_transition

from .conftest import TOLERABLE_FINDINGS

# These tests exercise the ruling task itself: no drafts to sign off first.
pytestmark = pytest.mark.usefixtures("no_signoff")


TODAY = timezone.localdate()
YEAR = TODAY.year
ON_TODAY = f"{TODAY.year}年{TODAY.month}月{TODAY.day}日"


@pytest.fixture(autouse=True)
def _dates_as_of_the_test(monkeypatch):
    """The dates as the code under test sees them: when the test runs, not when the module
    was collected (a run that crosses midnight in Asia/Shanghai would differ by a day)."""
    today = timezone.localdate()
    module = sys.modules[__name__]
    monkeypatch.setattr(module, "TODAY", today)
    monkeypatch.setattr(module, "YEAR", today.year)
    monkeypatch.setattr(module, "ON_TODAY", f"{today.year}年{today.month}月{today.day}日")

PRIVATE_GAIN_FINDINGS = {
    "distinctions": {"D1": DistinctionSide.TOLERABLE, "D2": DistinctionSide.TOLERABLE,
                     "D3": DistinctionSide.NOT_TOLERABLE},
    "conditions": {"C1": ConditionStatus.HOLDS, "C2": ConditionStatus.HOLDS,
                   "C3": ConditionStatus.HOLDS, "C4": ConditionStatus.FAILS},
    "exclusions": {"X1": ExclusionStatus.PRESENT}
    | {f"X{i}": ExclusionStatus.ABSENT for i in range(2, 7)},
    "situations": ["SX-01"],
    "remedy_taken": True,
    "severity": Severity.MINOR,
}  # fmt: skip


@pytest.fixture(autouse=True)
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
def rare(world):
    """A cadre whose name is outside GB 2312 (𬌗 is U+2C317, CJK Extension E)."""
    return CadreFactory(name="王𬌗", unit=world.township_a1, position="副镇长")


@pytest.fixture
def rare_user(rare):
    return make_user("t_rare", Role.CADRE, cadre=rare)


@pytest.fixture
def joint(flow, staff, world, rare):
    """A case filed by township A1 for 张三 and 王𬌗, decided (exempt), rulings issued."""
    return flow.decided(by=staff.hr, started_by=StartedBy.UNIT, cadres=[world.cadre_a1, rare])


text_of = flat_text


def pdf_text(document: IssuedDocument) -> str:
    return text_of(read_document(document))


def assert_in_order(text: str, fragments: list[str]) -> None:
    position = 0
    for fragment in fragments:
        found = text.find(fragment, position)
        assert found >= 0, f"{fragment!r} missing after position {position} in {text!r}"
        position = found + len(fragment)


def ruling_of(cadre) -> IssuedDocument:
    return IssuedDocument.objects.get(kind="tolerance_ruling", cadre=cadre)


# --- the ruling ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_ruling_states_cadre_matter_findings_outcome_policy_and_appeal_route(joint, world, rare):
    assert Case.objects.get(pk=joint.pk).state == CaseState.RULING_ISSUED
    rulings_issued = IssuedDocument.objects.filter(kind="tolerance_ruling").order_by("seq")
    assert [(d.number, d.title) for d in rulings_issued] == [
        (f"甲组容〔{YEAR}〕1号", "容错认定决定书（张三）"),
        (f"甲组容〔{YEAR}〕2号", "容错认定决定书（王𬌗）"),
    ]
    document = ruling_of(rare)
    assert document.filename == f"甲组容〔{YEAR}〕2号-容错认定决定书-王𬌗.pdf"
    assert_in_order(
        pdf_text(document),
        [
            "中共甲县县委组织部",
            f"甲组容〔{YEAR}〕2号",
            "容错认定决定书",
            "当事人：王𬌗（甲县城关镇副镇长）",
            f"甲县城关镇于{ON_TODAY}为王𬌗就下列问责事项提出容错免责申请，本机关依规定予以受理。",
            f"经调查核实，听取本人陈述说明，并经{ON_TODAY}集体研究，现决定如下：",
            "一、问责事项",
            "事项名称：乡村振兴试点项目资金拨付偏差。",
            "基本情况：在推进改革试点中，因政策界限不明确出现资金拨付偏差。",
            "发生时间：2025年3月10日。",
            "问责处理：县纪委监委拟给予诫勉。",
            "二、认定事实和依据",
            "（一）符合的容错情形",
            "1.在落实党委、政府决策部署中出现工作失误和偏差，但经过民主决策程序，没有为个人、"
            "他人或单位谋取私利，且积极主动消除影响或挽回损失的（SX-01）。",
            "（二）“三个区分开来”",
            "1.属于“在推进改革中因缺乏经验、先行先试出现的失误和错误”，"
            "而非“明知故犯的违纪违法行为”（D1）。",
            "2.属于“上级尚无明确限制的探索性试验中的失误和错误”，"
            "而非“上级明令禁止后依然我行我素的违纪违法行为”（D2）。",
            "3.属于“为推动发展的无意过失”，而非“为谋取私利的违纪违法行为”（D3）。",
            "（三）容错条件",
            "1.法律法规没有明令禁止：符合（C1）。",
            "2.符合中央大政方针和省、市党委政府决策精神：符合（C2）。",
            "3.按照实际情况经过民主决策：符合（C3）。",
            "4.没有为自己、他人或单位谋取私利：符合（C4）。",
            "（四）其他情节",
            "1.后果影响轻微。",
            "2.已积极主动消除影响或挽回损失。",
            "三、认定结论",
            "对王𬌗同志在上述问责事项中的失误，予以免责。",
            "理由：符合容错情形",
            "依照有关规定，该问责事项不影响当事人的年度考核、选拔任用、职级晋升和评先评优。",
            "四、适用依据",
            "本决定依据中共甲县县委印发的《甲县支持干部干事创业容错纠错办法》作出。",
            "中共甲县县委组织部",
            ON_TODAY,
            "本文书真伪可凭文号及文件SHA-256校验值在http://127.0.0.1:8000/documents/verify/核验。",
        ],
    )
    assert "申请复核" not in pdf_text(document)  # an exemption invites no appeal


@pytest.mark.django_db
def test_ruling_departing_from_the_advice_does_not_print_the_advice(flow, staff):
    case = flow.decided(outcome=Outcome.LIGHTER)
    entry = CaseCadre.objects.get(case=case)
    assert (entry.advice_at_decision, entry.departs_from_advice) == (Outcome.EXEMPT, True)
    text = pdf_text(ruling_of(entry.cadre))
    assert "对张三同志在上述问责事项中的失误，予以从轻处理。" in text
    assert "作出上述结论还考虑了以下情况：集体研究认为情节有所不同" in text
    assert ("如对本决定有异议，可自收到本决定书之日起15个工作日内，"
            "向中共甲县县委组织部书面申请复核。") in text
    for internal in ("免除责任", "建议", "偏离", "advice", "不影响当事人"):
        assert internal not in text


@pytest.mark.django_db
def test_ruling_refusing_tolerance_cites_the_bars(flow):
    case = flow.decided(outcome=Outcome.NOT_TOLERATED, findings=PRIVATE_GAIN_FINDINGS)
    entry = CaseCadre.objects.get(case=case)
    assert entry.relied_on == ["X1", "D3", "C4"]
    text = pdf_text(ruling_of(entry.cadre))
    assert_in_order(
        text,
        [
            "（一）“三个区分开来”",
            "1.属于“为谋取私利的违纪违法行为”（D3）。",
            "（二）容错条件",
            "1.没有为自己、他人或单位谋取私利：不符合（C4）。",
            "（三）不予容错的情形",
            "1.为自己、他人或单位谋取私利的：存在（X1）。",
            "（四）其他情节",
            "对张三同志在上述问责事项中的失误，不予容错。",
        ],
    )
    assert "符合的容错情形" not in text  # SX-01 matched but was not relied on
    assert "不影响当事人" not in text


@pytest.mark.django_db
def test_rare_name_characters_come_from_the_embedded_full_font(joint, rare, tmp_path):
    path = tmp_path / "ruling.pdf"
    path.write_bytes(read_document(ruling_of(rare)))
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True)  # noqa: S603,S607
    rows = [line.split() for line in out.stdout.splitlines()[2:]]
    assert sorted(row[0].split("+", 1)[1] for row in rows) == [
        "Cadre-FangSong",  # body
        "Cadre-Kai",  # second-level headings
        "Cadre-Sans",  # first-level headings
        "Cadre-Serif",  # page numbers
        "Cadre-Title-Song",  # masthead and title
        "Noto-Serif-CJK-SC",  # the full font, subset to the glyphs GB 2312 lacks (𬌗)
    ]
    assert all(row[-5:-2] == ["yes", "yes", "yes"] for row in rows)  # embedded, subset, unicode
    assert "王𬌗" in pdf_text(ruling_of(rare))


@pytest.mark.django_db
def test_preview_renders_without_issuing_and_cites_the_accountability_document(flow, monkeypatch):
    monkeypatch.setattr(tasks.issue_rulings, "apply_async", lambda *args, **kwargs: None)
    case = flow.decided()
    case = Case.objects.get(pk=case.pk)
    case.matter.document_ref = "甲纪发〔2025〕3号"
    entry = case.entries.get()
    issued = IssuedDocument.objects.count()
    filename, content_type, content = rulings.render_document(
        "tolerance_ruling", rulings.ruling_context(case, entry), "（预览）", dt.date(2026, 12, 1)
    )
    assert (filename, content_type) == ("（预览）-容错认定决定书-张三.pdf", "application/pdf")
    assert_in_order(
        text_of(content),
        [
            "（预览）",
            "问责处理：县纪委监委拟给予诫勉。",
            "问责文书：甲纪发〔2025〕3号。",
            "2026年12月1日",
        ],
    )
    assert IssuedDocument.objects.count() == issued
    assert Case.objects.get(pk=case.pk).state == CaseState.DECIDED


# --- notices -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_acceptance_notice_of_a_unit_application_lists_the_cadres(joint):
    notice = IssuedDocument.objects.get(kind="acceptance_notice")
    assert (notice.number, notice.title, notice.cadre) == (
        f"甲组容受〔{YEAR}〕1号",
        "容错免责申请受理通知书",
        None,
    )
    assert_in_order(
        pdf_text(notice),
        [
            "中共甲县县委组织部",
            f"甲组容受〔{YEAR}〕1号",
            "容错免责申请受理通知书",
            "甲县城关镇：",
            f"你单位于{ON_TODAY}提出的关于“乡村振兴试点项目资金拨付偏差”问责事项的容错免责申请"
            "收悉。经审查，该申请符合受理条件，本机关决定予以受理。现将有关事项通知如下：",
            f"一、案件编号：{joint.reference}。",
            "二、涉及干部：张三（甲县城关镇科员）、王𬌗（甲县城关镇副镇长）。",
            "三、本机关将在受理之日起30个工作日内完成调查核实",
            "四、调查核实结束后，本机关将集体研究作出认定结论，并书面反馈。",
            "特此通知。",
            "中共甲县县委组织部",
            ON_TODAY,
        ],
    )


@pytest.mark.django_db
def test_acceptance_notice_ex_officio_is_addressed_to_the_cadres(flow, staff, world, rare):
    other = CadreFactory(name="李珺祎", unit=world.township_a1, position="镇长")
    flow.accepted(
        by=staff.clerk, started_by=StartedBy.EX_OFFICIO_ACCOUNTABILITY, cadres=[other, rare]
    )
    text = pdf_text(IssuedDocument.objects.get(kind="acceptance_notice"))
    assert_in_order(
        text,
        [
            "王𬌗、李珺祎同志：",
            "本机关在启动问责时，依职权对“乡村振兴试点项目资金拨付偏差”问责事项启动容错认定程序。"
            "本机关决定予以受理，进行容错认定。",
            "二、涉及干部：王𬌗（甲县城关镇副镇长）、李珺祎（甲县城关镇镇长）。",
        ],
    )


@pytest.mark.django_db
def test_non_acceptance_notice_gives_the_reasons(flow, staff, django_capture_on_commit_callbacks):
    case = flow.submitted()
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(
            case,
            actor=staff.clerk,
            action="reject",
            reason="该事项已由纪检监察机关立案审查。\n申请材料不齐全。",
        )
    notice = IssuedDocument.objects.get()
    assert (notice.kind, notice.number) == ("non_acceptance_notice", f"甲组容不受〔{YEAR}〕1号")
    assert_in_order(
        pdf_text(notice),
        [
            "容错免责申请不予受理通知书",
            "张三同志：",
            f"你于{ON_TODAY}提出的关于“乡村振兴试点项目资金拨付偏差”问责事项的容错免责申请收悉。"
            "经审查，该申请不符合受理条件，本机关决定不予受理，理由如下：",
            "该事项已由纪检监察机关立案审查。",
            "申请材料不齐全。",
            f"案件编号：{case.reference}；涉及干部：张三（甲县城关镇科员）。",
            "特此通知。",
        ],
    )
    assert_official(read_document(notice), letter=True)


# --- the appeal decision -------------------------------------------------------------------


def appealed(flow, staff, capture, *, new_outcome):
    case = case_feed_back(flow.decided(outcome=Outcome.LIGHTER), actor=staff.clerk,
                          method="in_person", delivered_on=timezone.localdate())
    entry = CaseCadre.objects.get(case=case)
    appeal = appeal_file(entry, actor=staff.cadre, reason="本人已主动挽回全部损失。\n请予复核。")
    appeal = appeal_assign_reviewer(appeal, actor=staff.leader, reviewer=staff.reviewer)
    with capture(execute=True):
        appeal_decide(
            appeal,
            actor=staff.reviewer,
            new_outcome=new_outcome,
            reason="经复核，原认定理由不充分。",
        )
    return IssuedDocument.objects.get(kind="appeal_decision")


@pytest.mark.django_db
def test_appeal_decision_changed_names_no_reviewer(flow, staff, django_capture_on_commit_callbacks):
    document = appealed(flow, staff, django_capture_on_commit_callbacks, new_outcome=Outcome.EXEMPT)
    assert (document.number, document.title) == (
        f"甲组容复〔{YEAR}〕1号",
        "容错认定复核决定书（张三）",
    )
    text = pdf_text(document)
    assert_in_order(
        text,
        [
            f"甲组容复〔{YEAR}〕1号",
            "容错认定复核决定书",
            "申请人：张三（甲县城关镇科员）",
            f"申请人对本机关{ON_TODAY}就“乡村振兴试点项目资金拨付偏差”问责事项作出的容错认定决定"
            f"（甲组容〔{YEAR}〕1号）有异议，于{ON_TODAY}提出复核申请，理由如下：",
            "本人已主动挽回全部损失。",
            "请予复核。",
            "本机关指定未参与原认定工作的人员进行了复核。经复核，现决定如下：",
            "一、复核结论",
            "将对张三同志的原认定结论“从轻处理”变更为“免责”。",
            "依照有关规定，该问责事项不影响当事人的年度考核、选拔任用、职级晋升和评先评优。",
            "二、复核理由",
            "原认定理由不充分。",  # "经复核" is said once, above (core.wording)
            "本复核决定为最终决定。",
            "中共甲县县委组织部",
        ],
    )
    assert staff.reviewer.username not in text
    assert_official(read_document(document))


@pytest.mark.django_db
def test_appeal_decision_confirmed(flow, staff, django_capture_on_commit_callbacks):
    document = appealed(flow, staff, django_capture_on_commit_callbacks, new_outcome=None)
    text = pdf_text(document)
    assert "维持对张三同志的原认定结论“从轻处理”。" in text
    assert "不影响当事人" not in text


@pytest.mark.django_db
def test_pending_appeal_has_no_decision_to_issue(flow, staff):
    case = case_feed_back(flow.decided(outcome=Outcome.LIGHTER), actor=staff.clerk,
                          method="in_person", delivered_on=timezone.localdate())
    appeal = appeal_file(CaseCadre.objects.get(case=case), actor=staff.cadre, reason="请复核")
    assert rulings.issue_appeal_decision(appeal.pk) is None
    assert not IssuedDocument.objects.filter(kind="appeal_decision").exists()


# --- language and layout -------------------------------------------------------------------


@pytest.mark.django_db
def test_documents_are_chinese_whatever_language_is_active(flow, staff):
    with translation.override("en"):
        case = flow.deliberating()
        meeting = flow.meeting(case)
        entry = CaseCadre.objects.get(case=case)
        entry_decide(
            entry, actor=staff.members[0], outcome=Outcome.EXEMPT, reason="符合", meeting=meeting
        )
        [document] = tasks.issue_rulings.apply(args=[case.pk]).get()
    ruling = IssuedDocument.objects.get(pk=document)
    assert ruling.title == "容错认定决定书（张三）"
    assert "对张三同志在上述问责事项中的失误，予以免责。" in pdf_text(ruling)


# --- who may read --------------------------------------------------------------------------


def download(client, user, document):
    client.force_login(user)
    return client.get(reverse("documents:download", args=[document.pk]))


@pytest.mark.django_db
def test_cadre_downloads_own_ruling_not_a_co_cadres(client, joint, staff, world, rare, rare_user):
    own, other = ruling_of(world.cadre_a1), ruling_of(rare)
    response = download(client, staff.cadre, own)
    assert response.status_code == 200
    assert response.content == read_document(own)
    assert download(client, staff.cadre, other).status_code == 404
    assert download(client, rare_user, other).status_code == 200
    assert download(client, rare_user, own).status_code == 404


@pytest.mark.django_db
def test_outsiders_get_404_and_authority_staff_and_filer_read_all(
    client, joint, staff, world, rare
):
    documents = list(IssuedDocument.objects.order_by("id"))
    assert [d.kind for d in documents] == [
        "acceptance_notice",
        "tolerance_ruling",
        "tolerance_ruling",
    ]
    for document in documents:
        assert download(client, staff.outsider, document).status_code == 404
        assert download(client, staff.clerk_b, document).status_code == 404  # another authority
        assert download(client, staff.clerk, document).status_code == 200
        assert download(client, staff.reviewer, document).status_code == 200
        assert download(client, staff.hr, document).status_code == 200  # the applying unit


@pytest.mark.django_db
def test_case_notice_is_read_by_every_cadre_of_the_case(client, joint, staff, rare_user):
    notice = IssuedDocument.objects.get(kind="acceptance_notice")
    assert download(client, staff.cadre, notice).status_code == 200
    assert download(client, rare_user, notice).status_code == 200


@pytest.mark.django_db
def test_documents_of_case_per_reader(joint, staff, world, rare, rare_user):
    notice = IssuedDocument.objects.get(kind="acceptance_notice")
    mine, theirs = ruling_of(world.cadre_a1), ruling_of(rare)
    assert list(rulings.documents_of_case(joint)) == [notice, mine, theirs]
    assert list(rulings.documents_of_case(joint, user=staff.clerk)) == [notice, mine, theirs]
    assert list(rulings.documents_of_case(joint, user=staff.cadre)) == [notice, mine]
    assert list(rulings.documents_of_case(joint, user=rare_user)) == [notice, theirs]


@pytest.mark.django_db
def test_can_read_document_refuses_documents_of_other_subjects(joint, staff, world):
    ruling = ruling_of(world.cadre_a1)
    stray = IssuedDocument(kind=ruling.kind, content_type=None, object_id=joint.pk, cadre=None)
    assert permissions.can_read_document(staff.clerk, ruling) is True
    assert permissions.can_read_document(staff.clerk, stray) is False


# --- numbering under concurrency (PostgreSQL) ----------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_rulings_issued_at_once_are_numbered_one_to_twenty(
    seeded_policy, flow, monkeypatch
):
    assert connection.vendor == "postgresql"
    for task in (tasks.issue_rulings, tasks.issue_case_notice):  # decided, nothing issued yet
        monkeypatch.setattr(task, "apply_async", lambda *args, **kwargs: None)
    cases = [flow.decided() for _ in range(20)]
    assert {Case.objects.get(pk=c.pk).state for c in cases} == {CaseState.DECIDED}
    monkeypatch.undo()
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def issue(case_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            rulings.issue_rulings(case_id)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(c.pk,)) for c in cases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    documents = list(IssuedDocument.objects.filter(kind="tolerance_ruling").order_by("seq"))
    assert [d.number for d in documents] == [f"甲组容〔{YEAR}〕{n}号" for n in range(1, 21)]
    assert sorted(d.object_id for d in documents) == sorted(c.pk for c in cases)
    assert {Case.objects.get(pk=c.pk).state for c in cases} == {CaseState.RULING_ISSUED}
    authority = Authority.objects.get(short_name="甲组")
    assert DocumentSequence.objects.get(authority=authority, series="容").last_number == 20
    # each file carries the number it was filed under
    assert all(d.number in pdf_text(d) for d in documents)


def test_issue_dates_are_written_the_chinese_way():
    with translation.override("zh-hans"):
        assert date_format(dt.date(2026, 12, 1), "DATE_FORMAT") == "2026年12月1日"


# --- every sentence from a fact on the record ------------------------------------------------


@pytest.mark.parametrize(
    ("note", "written"),
    [
        ("经调查核实，当事人出于公心。", "当事人出于公心。"),
        ("经调查核实：当事人出于公心。", "当事人出于公心。"),
        ("经调查，当事人出于公心。", "当事人出于公心。"),
        ("  经核实、经调查核实，当事人出于公心。", "当事人出于公心。"),
        ("当事人经调查核实后补齐手续。", "当事人经调查核实后补齐手续。"),
        ("", ""),
    ],
)
def test_a_findings_note_loses_the_lead_in_the_ruling_already_writes(note, written):
    assert rulings.without_lead(note) == written


@pytest.mark.django_db
def test_a_ruling_never_doubles_the_lead_in(flow, staff):
    findings = {**TOLERABLE_FINDINGS, "findings_note": "经调查核实，当事人在推进工作中出于公心。"}
    case = flow.decided(findings=findings)
    text = pdf_text(ruling_of(CaseCadre.objects.get(case=case).cadre))
    assert "经调查核实：当事人在推进工作中出于公心。" in text
    assert "经调查核实：经调查核实" not in text
    assert text.count("经调查核实") == 2  # the lead-in and the findings, once each


@pytest.mark.django_db
def test_a_ruling_claims_the_statement_only_when_it_is_on_the_record(flow, staff):
    case = flow.decided()
    entry = CaseCadre.objects.get(case=case)
    assert rulings.heard_statement(entry) is True
    CaseNote.objects.filter(case=case).delete()  # as for a case decided before the rule
    context = rulings.ruling_context(rulings._case(case.pk), entry)
    assert context["opening"] == f"经调查核实，并经{ON_TODAY}集体研究，现决定如下："


def test_the_ruling_opening_names_only_what_happened():
    day = dt.date(2026, 11, 20)
    with translation.override("zh-hans"):
        assert rulings.ruling_opening(investigated=True, heard=True, meeting_on=day) == (
            "经调查核实，听取本人陈述说明，并经2026年11月20日集体研究，现决定如下："
        )
        assert rulings.ruling_opening(investigated=True, heard=False, meeting_on=None) == (
            "经调查核实，现决定如下："
        )


@pytest.mark.django_db
def test_an_ex_officio_case_gets_no_application_acceptance_notice(flow, staff):
    case = flow.accepted(by=staff.clerk, started_by=StartedBy.EX_OFFICIO_INVESTIGATION)
    notice = IssuedDocument.objects.get(kind="acceptance_notice", object_id=case.pk)
    assert notice.title == "容错纠错程序启动通知书"
    text = pdf_text(notice)
    assert "申请受理通知书" not in text and "您的申请" not in text
    assert "容错纠错程序启动通知书" in text
