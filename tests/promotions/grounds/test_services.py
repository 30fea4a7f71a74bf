"""Staff-proposed adjustments on Jinan's grounds: jurisdiction, validation, audit, workflow."""

from __future__ import annotations

import copy

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cadres.enums import CadreStatus
from core.enums import Role
from core.models import AuditEvent, IssuedDocument
from promotions.grounds.services import acting_authority, ground_choices, proposal_propose
from promotions.models import PromotionPolicy, Proposal
from promotions.policy_data import DEFAULT_CONTENT
from promotions.proposals.documents import render
from promotions.proposals.workflow import proposal_transition
from tests.drafting import sign_drafts
from tests.factories import make_user
from tests.pdftext import flat_text

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def _propose(county, **kw):
    args = {
        "actor": county.clerk,
        "ground": "unfit",
        "year": YEAR,
        "facts": "分管领域连续两年重点任务未完成。",
        "evidence": "2024年度督查通报\n\n 约谈记录 ",
    }
    args.update(kw)
    return proposal_propose(county.deputy, **args)


def test_staff_in_jurisdiction_create_a_proposal(world, county):
    proposal = _propose(county)
    assert (proposal.authority, proposal.cadre, proposal.unit, proposal.area, proposal.year) == (
        world.county_a_org,
        county.deputy,
        world.county_a,
        "unfit",
        YEAR,
    )
    assert (proposal.clause, proposal.state, proposal.created_by) == ("staff", "proposed",
                                                                      county.clerk)
    assert proposal.policy == PromotionPolicy.objects.get(jurisdiction_code="370124")
    assert proposal.grounds == "分管领域连续两年重点任务未完成。"
    assert proposal.evidence == [
        {"kind": "note", "text": "2024年度督查通报"},
        {"kind": "note", "text": "约谈记录"},
    ]
    event = AuditEvent.objects.get(action="promotions.proposal.create")
    assert (event.actor, event.object_id, event.authority_id) == (
        county.clerk,
        str(proposal.pk),
        world.county_a_org.pk,
    )
    assert event.after == {
        "area": "unfit",
        "clause": "staff",
        "policy": proposal.policy_id,
        "situation": "",
        "year": YEAR,
    }


def test_others_may_not_propose(world, county, personas):
    for user in (county.clerk_city, county.auditor, personas.hr_a1, personas.outsider,
                 personas.discipline, personas.cadre_a1):
        assert acting_authority(user, county.deputy) is None
        with pytest.raises(PermissionDenied):
            _propose(county, actor=user)
    assert acting_authority(personas.admin, county.deputy) == world.county_a_org
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"ground": "lazy"}, {"ground": ["请选择现行办法所列的调整事由之一。"]}),
        ({"ground": "target"}, {"ground": ["请选择现行办法所列的调整事由之一。"]}),
        ({"situation": "x"}, {"ground": ["请选择该事由下所列的情形之一。"]}),
        ({"facts": "  "}, {"facts": ["请写明调整建议所依据的事实。"]}),
        ({"evidence": "\n \n"}, {"evidence": ["请列出调整建议所依据的证据材料。"]}),
        ({"year": 1999}, {"year": [f"请填写2000至{YEAR}之间的年度。"]}),
        ({"year": YEAR + 1}, {"year": [f"请填写2000至{YEAR}之间的年度。"]}),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(county, changes, errors):
    with pytest.raises(ValidationError) as info:
        _propose(county, **changes)
    assert info.value.message_dict == errors
    assert (Proposal.objects.count(), AuditEvent.objects.count()) == (0, 0)


def test_a_cadre_who_left_cannot_be_proposed(county):
    county.deputy.status = CadreStatus.RETIRED
    county.deputy.save()
    with pytest.raises(ValidationError) as info:
        _propose(county)
    assert info.value.message_dict == {"cadre": ["只有在职干部才能提出调整建议。"]}


def test_one_proposal_per_ground_cadre_and_year(county):
    _propose(county)
    with pytest.raises(ValidationError) as info:
        _propose(county, facts="另一事实")
    assert info.value.message_dict == {"ground": ["该干部在该年度已有同一事由的调整建议。"]}
    _propose(county, year=YEAR - 1)
    _propose(county, ground="not_accepted")
    assert Proposal.objects.count() == 3


def test_incompetent_ground_duplicates_the_grade_rule(world, county):
    Proposal.objects.create(
        authority=world.county_a_org, cadre=county.deputy, unit=world.county_a,
        area="incompetent_grade", year=YEAR, clause="grade.incompetent",
    )
    with pytest.raises(ValidationError) as info:
        _propose(county, ground="incompetent")
    assert info.value.message_dict == {"ground": ["该干部在该年度已有同一事由的调整建议。"]}


def test_situations_of_a_version_are_offered_and_recorded(world, county):
    content = copy.deepcopy(DEFAULT_CONTENT)
    content["grounds"][0]["situations"] = [{"code": "s1", "title": "政治素质不过硬"}]
    PromotionPolicy.objects.create(
        jurisdiction_code=world.county_a.code, code="jia-2020", title="甲县办法",
        effective_from="2020-01-01", status="published", content=content,
    )
    policy = PromotionPolicy.objects.get(code="jia-2020")
    assert [value for value, _label in ground_choices(policy)] == [
        "unsuitable", "unsuitable:s1", "unfit", "incompetent", "not_accepted",
    ]
    proposal = _propose(county, ground="unsuitable", situation="s1")
    assert proposal.policy == policy
    assert proposal.evidence[0] == {
        "kind": "situation", "ground": "unsuitable", "code": "s1", "title": "政治素质不过硬",
    }


def test_a_staff_proposal_goes_through_the_same_workflow_and_documents(
    county, django_capture_on_commit_callbacks
):
    proposal = _propose(county)
    with django_capture_on_commit_callbacks(execute=True):
        proposal_transition(proposal, actor=county.clerk, action="inspect")
    with django_capture_on_commit_callbacks(execute=True):
        proposal_transition(
            proposal, actor=county.clerk, action="decide",
            changes={"decision": "adjust", "method": "transfer", "reason": "不胜任现职"},
        )
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decision, proposal.method) == ("decided", "adjust",
                                                                    "transfer")
    assert not IssuedDocument.objects.exists()  # both drafted, waiting for their sign-off
    sign_drafts(checker=county.clerk, signer=make_user(
        "p_signer", Role.APPROVING_LEADER, authorities=[proposal.authority]))
    assert sorted(IssuedDocument.objects.values_list("kind", flat=True)) == [
        "adjustment_decision", "adjustment_proposal",
    ]
    assert list(
        AuditEvent.objects.filter(object_id=str(proposal.pk), action__startswith="promotions.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["promotions.proposal.create", "promotions.proposal.inspect",
          "promotions.proposal.decide"]


def _pdf_text(pdf: bytes, tmp_path) -> str:
    return flat_text(pdf)


def test_proposal_pdf_states_the_ground_and_facts(county, tmp_path):
    proposal = _propose(county)
    _name, content_type, pdf = render("proposal", proposal, "甲组调建〔2026〕1号",
                                      timezone.localdate())
    assert content_type == "application/pdf"
    text = _pdf_text(pdf, tmp_path)
    assert "因“不胜任现职”，建议研究调整副县长（甲县）。" in text
    assert "主要事实：分管领域连续两年重点任务未完成。" in text
    assert "1.2024年度督查通报2.约谈记录" in text


def test_grade_rule_pdf_states_the_grade(world, county, tmp_path):
    from assessments.models import AnnualAssessment
    from promotions.triggers.scan import scan

    AnnualAssessment.objects.create(cadre=world.cadre_a1, year=2023, unit=world.township_a1,
                                    grade="incompetent")
    scan(2023)
    proposal = Proposal.objects.get()
    _name, _type, pdf = render("proposal", proposal, "甲组调建〔2026〕2号", timezone.localdate())
    text = _pdf_text(pdf, tmp_path)
    assert "张三（甲县城关镇）2023年度考核确定为“不称职”等次，建议研究调整张三。" in text
    assert "1.2023年度考核等次：不称职" in text
