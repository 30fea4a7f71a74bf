"""Pages for staff-proposed adjustments and exceptional-promotion requests: personas,
translated errors, actions through the forms, pinned query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.enums import Rank
from promotions.exceptional.services import exceptional_transition
from promotions.models import ExceptionalRequest, Proposal
from tests.factories import CadreFactory
from tests.promotions.conftest import request_for

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
VALID = {
    "ground": "unfit",
    "year": YEAR,
    "facts": "分管领域连续两年重点任务未完成。",
    "evidence": "督查通报\n约谈记录",
}


def _html(response) -> str:
    return response.content.decode()


def test_propose_page_for_staff_in_jurisdiction_only(client, county, personas):
    url = reverse("promotions:propose", args=[county.deputy.pk])
    client.force_login(county.clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert [v for v, _l in response.context["form"].fields["ground"].choices] == [
        "", "unsuitable", "unfit", "incompetent", "not_accepted",
    ]
    assert "不胜任现职（济南） — 不胜任现职" in _html(response)
    for user in (county.clerk_city, county.auditor, personas.hr_a1, personas.outsider,
                 personas.cadre_a1):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, VALID).status_code == 404
    assert Proposal.objects.count() == 0


def test_create_through_the_form_then_detail_shows_facts(client, county):
    client.force_login(county.clerk)
    response = client.post(reverse("promotions:propose", args=[county.deputy.pk]), VALID)
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("promotions:proposal", args=[proposal.pk])
    html = _html(client.get(response["Location"]))
    assert "分管领域连续两年重点任务未完成。" in html
    assert "督查通报" in html and "约谈记录" in html
    assert "不胜任现职（济南）" in html
    assert '<dd class="col-sm-8" data-testid="clause">工作人员提出</dd>' in html
    assert "p_clerk于" in html


def test_bad_input_shows_chinese_errors_and_saves_nothing(client, county):
    client.force_login(county.clerk)
    url = reverse("promotions:propose", args=[county.deputy.pk])
    response = client.post(url, {"ground": "", "year": "x", "facts": "", "evidence": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "ground": ["请选择调整事由。"],
        "year": ["年度须为整数。"],
        "facts": ["请写明调整建议所依据的事实。"],
        "evidence": ["请列出调整建议所依据的证据材料。"],
    }
    assert "请更正以下错误，尚未保存任何内容。" in _html(response)
    client.post(url, VALID)
    response = client.post(url, VALID)
    assert response.context["form"].errors == {
        "ground": ["该干部在该年度已有同一事由的调整建议。"]
    }
    response = client.post(url, {**VALID, "year": YEAR + 1})
    assert response.context["form"].errors == {"year": [f"请填写2000至{YEAR}之间的年度。"]}
    assert Proposal.objects.count() == 1


def test_pick_a_cadre_from_the_list(client, county, personas):
    client.force_login(county.clerk)
    html = _html(client.get(reverse("promotions:proposals")))
    assert reverse("promotions:propose_pick") in html
    response = client.get(reverse("promotions:propose_pick"), {"q": "副县"})
    assert [c.name for c in response.context["found"]] == ["副县长"]
    assert reverse("promotions:propose", args=[county.deputy.pk]) in _html(response)
    for user in (county.auditor, personas.outsider, personas.cadre_a1):
        client.force_login(user)
        assert client.get(reverse("promotions:propose_pick"), {"q": "副县"}).status_code == 404


def test_eligibility_page_offers_the_actions_to_staff_only(client, county, exc):
    url = reverse("promotions:eligibility", args=[exc.cadre.pk])
    client.force_login(county.clerk)
    html = _html(client.get(url))
    assert reverse("promotions:propose", args=[exc.cadre.pk]) in html
    assert reverse("promotions:exceptional_new", args=[exc.cadre.pk]) in html
    client.force_login(county.auditor)
    html = _html(client.get(url))
    assert reverse("promotions:propose", args=[exc.cadre.pk]) not in html


# --------------------------------------------------------------- exceptional promotion


def test_request_through_the_form(client, county, exc, personas):
    url = reverse("promotions:exceptional_new", args=[exc.cadre.pk])
    for user in (county.clerk_city, county.auditor, personas.outsider, exc.cadre_user):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(county.clerk)
    response = client.get(url)
    assert [v for v, _l in response.context["form"].fields["target_rank"].choices][:3] == [
        "", Rank.RESEARCHER_4, Rank.RESEARCHER_3,
    ]
    assert "办法规定了12种情形；现有资料载明3种。" in _html(response)
    response = client.post(url, {"situation": "", "target_title": "", "target_rank": "65",
                                 "reasons": ""})
    assert response.context["form"].errors == {
        "situation": ["请选择适用的情形。"],
        "target_title": ["请填写拟任职务。"],
        "target_rank": ["拟任职级必须高于干部现任职级。"],
        "reasons": ["请填写破格提拔的理由。"],
    }
    response = client.post(url, {
        "situation": "outstanding_results", "target_title": "社区服务中心主任",
        "target_rank": str(Rank.COUNTY_DEPUTY), "reasons": "实绩突出",
    })
    request = ExceptionalRequest.objects.get()
    assert response["Location"] == reverse("promotions:exceptional", args=[request.pk])
    assert (request.target_rank, request.waived) == (Rank.COUNTY_DEPUTY, ["years_in_rank"])


def test_detail_for_staff_and_own_cadre_404_for_others(client, county, exc, personas):
    request = request_for(exc, county.clerk)
    url = reverse("promotions:exceptional", args=[request.pk])
    client.force_login(county.clerk)
    html = _html(client.get(url))
    assert "现职级任职年限" in html and "破格" in html and "报批" in html
    client.force_login(exc.cadre_user)
    assert client.get(url).status_code == 404  # a draft is the department's working paper
    exceptional_transition(request, actor=county.clerk, action="submit")
    html = _html(client.get(url))
    assert "社区服务中心主任" in html and 'value="approve"' not in html
    for user in (county.clerk_city, personas.hr_a1, personas.outsider, personas.cadre_a1):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "approve"}).status_code == 404
    request.refresh_from_db()
    assert request.state == "submitted"


def test_actions_through_the_page(client, county, exc):
    request = request_for(exc, county.clerk)
    url = reverse("promotions:exceptional", args=[request.pk])
    client.force_login(county.clerk)
    client.post(url, {"action": "submit"})
    assert client.post(url, {"action": "approve"}).status_code == 404  # not a leader
    client.force_login(exc.leader)
    html = _html(client.get(url))
    assert 'value="approve"' in html
    response = client.post(url, {"action": "reject", "reason": ""}, follow=True)
    assert "请填写不予批准的理由。" in _html(response)
    client.post(url, {"action": "approve", "reason": "同意破格"})
    request.refresh_from_db()
    assert (request.state, request.decision_reason) == ("approved", "同意破格")


def _requests(exc, clerk, n):
    for i in range(n):
        cadre = CadreFactory(name=f"候选{i}", unit=exc.cadre.unit, rank=Rank.SECTION_CHIEF,
                             rank_since=exc.cadre.rank_since)
        exc.cadre = cadre
        request_for(exc, clerk)


def test_list_query_count_pinned(client, county, exc, django_assert_num_queries):
    client.force_login(county.clerk)
    url = reverse("promotions:exceptional_list")
    _requests(exc, county.clerk, 1)
    client.get(url)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["page"].rows) == 1
    _requests(exc, county.clerk, 5)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert len(response.context["page"].rows) == 6


def test_list_shows_staff_their_authority_and_the_cadre_their_own(client, county, exc,
                                                                  personas):
    request = request_for(exc, county.clerk)
    url = reverse("promotions:exceptional_list")
    client.force_login(county.clerk_city)
    assert list(client.get(url).context["page"].rows) == []
    client.force_login(exc.cadre_user)
    assert list(client.get(url).context["page"].rows) == []
    exceptional_transition(request, actor=county.clerk, action="submit")
    assert list(client.get(url).context["page"].rows) == [request]
    client.force_login(personas.outsider)
    assert list(client.get(url).context["page"].rows) == []


def test_proposal_list_with_staff_proposals_query_count_pinned(
    client, world, county, django_assert_num_queries
):
    from promotions.grounds.services import proposal_propose

    client.force_login(county.clerk)
    url = reverse("promotions:proposals")
    proposal_propose(county.deputy, actor=county.clerk, ground="unfit", year=YEAR,
                     facts="事实", evidence="证据")
    client.get(url)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["page"].rows) == 1
    for i in range(5):
        cadre = CadreFactory(name=f"镇长{i}", unit=world.township_a1)
        proposal_propose(cadre, actor=county.clerk, ground="not_accepted", year=YEAR,
                         facts="事实", evidence="证据")
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["page"].rows) == 6


def test_pick_query_count_pinned(client, world, county, django_assert_num_queries):
    client.force_login(county.clerk)
    url = reverse("promotions:propose_pick")
    CadreFactory(name="候选甲", unit=world.township_a1)
    client.get(url, {"q": "候选"})
    with django_assert_num_queries(7):
        response = client.get(url, {"q": "候选"})
    assert len(response.context["found"]) == 1
    for i in range(5):
        CadreFactory(name=f"候选{i}", unit=world.township_a1)
    with django_assert_num_queries(7):
        response = client.get(url, {"q": "候选"})
    assert len(response.context["found"]) == 6


def test_list_searched_sorted_and_exported_rows_equal_the_page(client, county, exc):
    import io

    import openpyxl

    from core.models import AuditEvent

    client.force_login(county.clerk)
    _requests(exc, county.clerk, 3)
    url = reverse("promotions:exceptional_list")
    page = client.get(url, {"sort": "created"}).context["page"].rows
    assert [r.created_at for r in page] == sorted(r.created_at for r in page)
    name = page[0].cadre.name
    assert {r.cadre.name for r in client.get(url, {"q": name}).context["page"].rows} == {name}
    response = client.get(reverse("promotions:exceptional-export"), {"sort": "created"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[0][:3] == ["干部", "单位", "拟任职务"]
    assert [(r[0], r[2]) for r in rows[1:]] == [(r.cadre.name, r.target_title) for r in page]
    event = AuditEvent.objects.get(action="promotions.exceptional.export")
    assert event.after == {"filters": {"sort": "created"}}
