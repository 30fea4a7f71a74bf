"""Commendations: the service (refusals save nothing), who sees which, the register, the
form, the cadre profile and the cadre timeline; query counts pinned at two sizes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEvent
from promotions.incentives.commendations import commendation_create
from promotions.models import Commendation
from tests.factories import CadreFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 7, 1)


def commend(actor, *, cadre=None, unit=None, team_name="", kind="outstanding", **extra):
    values = dict(
        actor=actor,
        kind=kind,
        year=2024,
        granted_on=DAY,
        granted_by="中共济南市委、济南市人民政府",
        citation="攻坚克难，圆满完成拆迁任务。",
        document_ref="济发〔2024〕12号",
        cadre=cadre,
        unit=unit,
        team_name=team_name,
    )
    values.update(extra)
    return commendation_create(**values)


@pytest.fixture
def recorded(world, personas):
    """张三 (county A) named outstanding, a county A team, 李四 (county B) commended."""
    return [
        commend(personas.clerk_a, cadre=world.cadre_a1),
        commend(personas.clerk_a, unit=world.township_a1, team_name="城关镇拆迁专班"),
        commend(personas.admin, cadre=world.cadre_b1, kind="commended"),
    ]


def test_create_for_a_cadre_audited(world, personas):
    made = commend(personas.clerk_a, cadre=world.cadre_a1, kind="merit_third")
    assert (made.unit_id, made.authority_id, made.team_name, made.is_team) == (
        world.township_a1.pk,
        world.county_a_org.pk,
        "",
        False,
    )
    assert (made.cadre_unit_id, made.cadre_level) == (world.township_a1.pk, "county")
    event = AuditEvent.objects.get(action="promotions.commendation.create")
    assert event.after == {
        "kind": "merit_third",
        "year": 2024,
        "cadre": world.cadre_a1.pk,
        "team": None,
        "unit": world.township_a1.pk,
        "granted_by": "中共济南市委、济南市人民政府",
    }
    assert event.authority_id == world.county_a_org.pk


def test_create_for_a_team(world, personas):
    made = commend(personas.clerk_a, unit=world.township_a1, team_name=" 城关镇拆迁专班 ")
    assert (made.cadre_id, made.team_name, made.unit_id, made.authority_id, made.is_team) == (
        None,
        "城关镇拆迁专班",
        world.township_a1.pk,
        world.county_a_org.pk,
        True,
    )
    assert (made.cadre_unit_id, made.cadre_level) == (None, "")


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"kind": "medal"}, {"kind": ["请选择表彰奖励类别。"]}),
        ({"citation": "  "}, {"citation": ["请填写表彰事迹。"]}),
        ({"granted_by": ""}, {"granted_by": ["请填写授予机关。"]}),
        (
            {"granted_on": dt.date(2023, 12, 31)},
            {"granted_on": ["年度表彰的授予日期不得早于该年度。"]},
        ),
        ({"granted_on": dt.date(2999, 1, 1)}, {"granted_on": ["请输入授予日期（不得晚于今天）。"]}),
        ({"year": 1999}, {"year": ["请输入2000至2026之间的年度。"]}),
        ({"cadre": None}, {"cadre": ["请选择干部，或填写团队名称及其所在单位。"]}),
        ({"team_name": "专班"}, {"cadre": ["一项表彰只能授予一名干部或一个团队，不能同时授予。"]}),
    ],
)
def test_bad_input_is_refused_and_saves_nothing(world, personas, changes, errors, settings):
    values = {"cadre": world.cadre_a1, **changes}
    with pytest.raises(ValidationError) as refused:
        commend(personas.clerk_a, **values)
    assert refused.value.message_dict == errors
    assert Commendation.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="promotions.commendation").exists()


def test_outside_the_jurisdiction_is_refused(world, personas):
    attempts = [
        (personas.clerk_a, {"cadre": world.cadre_b1}),  # county B
        (personas.clerk_a, {"unit": world.township_b1, "team_name": "专班"}),
        (personas.clerk_city, {"cadre": world.cadre_a1}),  # county-managed: not the city's
        (personas.auditor, {"cadre": world.cadre_a1}),  # reads only
        (personas.discipline, {"cadre": world.cadre_a1}),  # not an organization department
        (personas.hr_a1, {"cadre": world.cadre_a1}),
    ]
    for actor, subject in attempts:
        with pytest.raises(PermissionDenied):
            commend(actor, **subject)
    assert Commendation.objects.count() == 0


def test_register_lists_in_jurisdiction_404_for_others(client, recorded, personas):
    client.force_login(personas.clerk_a)
    response = client.get(reverse("promotions:commendations"))
    assert [c.pk for c in response.context["page"].rows] == [
        recorded[1].pk,
        recorded[0].pk,
    ]
    html = response.content.decode()
    assert "出彩型命名表扬" in html and "城关镇拆迁专班" in html and "李四" not in html
    team = client.get(reverse("promotions:commendations"), {"subject": "team"})
    assert [c.pk for c in team.context["page"].rows] == [recorded[1].pk]
    for user in (personas.hr_a1, personas.cadre_a1, personas.outsider):
        client.force_login(user)
        assert client.get(reverse("promotions:commendations")).status_code == 404


@pytest.mark.parametrize("extra", [0, 6])
def test_register_query_count_pinned(
    client, recorded, world, personas, django_assert_num_queries, extra
):
    for i in range(extra):
        cadre = CadreFactory(name=f"干部{i}", unit=world.township_a1)
        commend(personas.clerk_a, cadre=cadre)
    client.force_login(personas.clerk_a)
    url = reverse("promotions:commendations")
    client.get(url)
    # session, user, groups, authorities + root units (ours, then cadres'), the units of
    # the reach (cadres.access), page (keyset)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["page"].rows) == 2 + extra


@pytest.mark.parametrize("extra", [0, 6])
def test_register_export_query_count_pinned(
    client, recorded, world, personas, django_assert_num_queries, extra
):
    import io

    import openpyxl

    for i in range(extra):
        cadre = CadreFactory(name=f"干部{i}", unit=world.township_a1)
        commend(personas.clerk_a, cadre=cadre)
    client.force_login(personas.clerk_a)
    url = reverse("promotions:commendations-export")
    client.get(url)
    # session, user, groups, authorities + root units (ours, then cadres'); the audit row
    # (savepoint, insert, release); the rows
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(url, {"sort": "year"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active.max_row - 1 == 2 + extra


EXPORT_QUERIES = 11


def test_form_records_by_id_number_and_from_the_profile(client, world, personas):
    client.force_login(personas.clerk_a)
    url = reverse("promotions:commendation-new")
    form = {
        "subject": "cadre",
        "national_id": world.cadre_a1.national_id,
        "kind": "commended",
        "year": 2024,
        "granted_on": "2024-07-01",
        "granted_by": "中共甲县县委",
        "citation": "防汛救灾表现突出。",
    }
    response = client.post(url, form)
    assert response.status_code == 302
    assert response["Location"] == reverse("cadres:detail", args=[world.cadre_a1.pk])
    page = client.get(url, {"cadre": world.cadre_a1.pk})
    assert page.context["prefilled"] == world.cadre_a1
    assert "登记表彰奖励：张三" in page.content.decode()
    client.post(
        url + f"?cadre={world.cadre_a1.pk}", {**form, "national_id": "", "cadre": world.cadre_a1.pk}
    )
    assert list(Commendation.objects.values_list("cadre__name", "kind")) == [
        ("张三", "commended"),
        ("张三", "commended"),
    ]


def test_form_refuses_a_cadre_outside_the_jurisdiction(client, world, personas):
    client.force_login(personas.clerk_a)
    response = client.post(
        reverse("promotions:commendation-new"),
        {
            "subject": "cadre",
            "national_id": world.cadre_b1.national_id,
            "kind": "commended",
            "year": 2024,
            "granted_on": "2024-07-01",
            "granted_by": "中共甲县县委",
            "citation": "事迹",
        },
    )
    assert response.status_code == 200
    assert "您的管辖范围内没有该身份证号码的干部。" in response.content.decode()
    assert Commendation.objects.count() == 0


def test_form_records_a_team(client, world, personas):
    client.force_login(personas.clerk_a)
    client.post(
        reverse("promotions:commendation-new"),
        {
            "subject": "team",
            "unit": world.township_a1.pk,
            "team_name": "城关镇招商专班",
            "kind": "outstanding",
            "year": 2024,
            "granted_on": "2024-07-01",
            "granted_by": "中共甲县县委",
            "citation": "招商引资成效显著。",
        },
    )
    assert list(Commendation.objects.values_list("team_name", "unit_id")) == [
        ("城关镇招商专班", world.township_a1.pk)
    ]


def test_form_404_for_those_who_may_not_record(client, personas):
    for user in (personas.auditor, personas.hr_a1, personas.cadre_a1, personas.outsider):
        client.force_login(user)
        assert client.get(reverse("promotions:commendation-new")).status_code == 404


def test_profile_shows_commendations_to_those_allowed(client, recorded, world, personas):
    url = reverse("cadres:detail", args=[world.cadre_a1.pk])
    for user in (personas.clerk_a, personas.cadre_a1, personas.hr_a1):
        client.force_login(user)
        response = client.get(url)
        html = response.content.decode()
        assert "出彩型命名表扬" in html
        assert "攻坚克难，圆满完成拆迁任务。" in html
    client.force_login(personas.clerk_a)
    assert "登记表彰奖励" in client.get(url).content.decode()
    client.force_login(personas.cadre_a1)
    assert "登记表彰奖励" not in client.get(url).content.decode()


@pytest.mark.parametrize("extra", [0, 5])
def test_profile_query_count_pinned(
    client, recorded, world, personas, django_assert_num_queries, extra
):
    for _i in range(extra):
        commend(personas.clerk_a, cadre=world.cadre_a1, kind="commended")
    client.force_login(personas.cadre_a1)
    url = reverse("cadres:detail", args=[world.cadre_a1.pk])
    client.get(url)
    # the same whatever the number of commendations (they are read in one query)
    with django_assert_num_queries(15):  # 14th, 15th: the .lrmx dossier and family members
        response = client.get(url)
    assert response.content.decode().count("攻坚克难") == 1 + extra


def test_timeline_shows_commendations_to_those_allowed(client, recorded, world, personas):
    url = reverse("register:timeline", args=[world.cadre_a1.pk])
    client.force_login(personas.cadre_a1)
    items = client.get(url).context["items"]
    assert [(i.kind, i.title, i.on, i.document_number) for i in items] == [
        ("commendation", "表彰奖励：出彩型命名表扬", DAY, "济发〔2024〕12号")
    ]
    client.force_login(personas.cadre_a1)
    assert (
        client.get(reverse("register:timeline", args=[world.cadre_b1.pk])).status_code == 404
    )


def test_admin_reads_but_does_not_write(client, recorded, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x-Secret-123"))
    listing = client.get(reverse("admin:promotions_commendation_changelist"))
    assert listing.status_code == 200
    assert "城关镇拆迁专班" in listing.content.decode()
    assert client.get(reverse("admin:promotions_commendation_add")).status_code == 403
    assert client.get(reverse("admin:promotions_bonusallocation_add")).status_code == 403


@pytest.mark.django_db
def test_register_searched_sorted_and_exported_rows_equal_the_page(
    client, recorded, world, personas
):
    import io

    import openpyxl

    from core.models import AuditEvent

    client.force_login(personas.clerk_a)
    url = reverse("promotions:commendations")
    everything = [c.pk for c in client.get(url, {"sort": "year"}).context["page"].rows]
    assert len(everything) == 2
    by_cadre = client.get(url, {"q": "zs"}).context["page"].rows
    assert [c.cadre.name for c in by_cadre] == ["张三"]
    response = client.get(reverse("promotions:commendations-export"), {"sort": "year"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[0][:3] == ["年度", "类别", "表彰对象"]
    by_pk = {c.pk: c for c in client.get(url, {"sort": "year"}).context["page"].rows}
    expected = [
        by_pk[pk].cadre.name if by_pk[pk].cadre_id else by_pk[pk].team_name for pk in everything
    ]
    assert [r[2] for r in rows[1:]] == expected
    event = AuditEvent.objects.get(action="promotions.commendation.export")
    assert event.after == {"filters": {"sort": "year"}}
