import datetime as dt

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from cadres.enums import CadreStatus, ManagementLevel, MoveType, PostType, Rank, TalentListKind
from cadres.models import Cadre, ListMembership, PositionRecord, TalentList
from cadres.services import snapshot
from core.models import AuditEvent

from ..factories import CadreFactory

LIST = reverse("cadres:list")


def listed(client, user, **params):
    client.force_login(user)
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [c.name for c in response.context["page"].rows]


def detail_url(cadre):
    return reverse("cadres:detail", args=[cadre.pk])


# --- list ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cadre_list_rows_per_persona(client, world, personas):
    assert sorted(listed(client, personas.admin)) == ["张三", "李四", "王五"]
    assert listed(client, personas.clerk_a) == ["张三"]
    assert listed(client, personas.clerk_city) == ["王五"]
    assert listed(client, personas.outsider) == []


@pytest.mark.django_db
def test_cadre_list_rows_through_grants_are_the_visible_cadres(client, world, personas):
    """A grant is an access path of its own: on PostgreSQL the page reads the paths one by
    one (core.paging branches) and shows exactly visible_cadres, no more."""
    from cadres.permissions import visible_cadres

    assign_perm("cadres.view_cadre", personas.clerk_a, world.cadre_b1)
    CadreFactory(name="市管", unit=world.township_a1, management_level=ManagementLevel.CITY)
    assert sorted(listed(client, personas.clerk_a)) == ["张三", "李四"]
    assert listed(client, personas.clerk_a, q="ls") == ["李四"]
    assert listed(client, personas.clerk_a, unit=world.county_a.pk) == ["张三"]
    assert sorted(visible_cadres(personas.clerk_a).values_list("name", flat=True)) == [
        "张三",
        "李四",
    ]
    assert sorted(listed(client, personas.hr_a1)) == sorted(["张三", "市管"])


@pytest.mark.django_db
def test_cadre_list_requires_login(client, world):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_cadre_list_masks_national_ids(client, world, personas):
    client.force_login(personas.admin)
    body = client.get(LIST).content.decode()
    assert world.cadre_a1.masked_national_id in body
    assert world.cadre_a1.national_id not in body


@pytest.mark.django_db
def test_cadre_list_pinyin_search(client, world, personas):
    assert listed(client, personas.admin, q="zs") == ["张三"]
    assert listed(client, personas.admin, q="ls") == ["李四"]
    assert listed(client, personas.admin, q="zhang") == ["张三"]
    assert listed(client, personas.admin, q="王") == ["王五"]


@pytest.mark.django_db
def test_cadre_list_search_stays_inside_visibility(client, world, personas):
    assert listed(client, personas.clerk_a, q="ls") == []


@pytest.mark.django_db
def test_cadre_list_filter_unit_includes_subtree(client, world, personas):
    assert listed(client, personas.admin, unit=world.county_a.pk) == ["张三"]
    assert listed(client, personas.admin, unit=world.township_b1.pk) == ["李四"]
    assert sorted(listed(client, personas.admin, unit=world.city.pk)) == ["张三", "李四", "王五"]


@pytest.mark.django_db
def test_cadre_list_unit_choices_follow_scope(client, world, personas):
    client.force_login(personas.clerk_a)
    field = client.get(LIST, {"unit": world.county_a.pk}).context["filter"].form.fields["unit"]
    assert [name for _pk, name in field.widget.choices][1:] == ["甲县", "\u3000甲县城关镇"]
    # A unit outside the scope is not a valid choice: the form reports it, nothing leaks.
    response = client.get(LIST, {"unit": world.county_b.pk})
    assert response.context["filter"].form.errors["unit"]
    assert [c.name for c in response.context["page"].rows] == ["张三"]


@pytest.mark.django_db
def test_cadre_list_filter_rank_range(client, world, personas):
    Cadre.objects.filter(pk=world.cadre_b1.pk).update(rank=Rank.SECTION_CHIEF)
    Cadre.objects.filter(pk=world.cadre_city.pk).update(rank=Rank.COUNTY_CHIEF)
    assert sorted(listed(client, personas.admin, rank_min=Rank.SECTION_CHIEF)) == ["李四", "王五"]
    assert listed(client, personas.admin, rank_max=Rank.SECTION_CHIEF, rank_min=45) == ["李四"]
    assert listed(client, personas.admin, rank_max=Rank.PRINCIPAL_STAFF_4) == ["张三"]


@pytest.mark.django_db
def test_cadre_list_filter_level_post_status_and_pool(client, world, personas):
    Cadre.objects.filter(pk=world.cadre_b1.pk).update(
        post_type=PostType.LEADERSHIP, status=CadreStatus.RETIRED
    )
    pool = TalentList.objects.create(code="lion", name="狮子型", kind=TalentListKind.POOL)
    ListMembership.objects.create(cadre=world.cadre_a1, talent_list=pool)
    assert listed(client, personas.admin, management_level=ManagementLevel.CITY) == ["王五"]
    assert listed(client, personas.admin, post_type=PostType.LEADERSHIP) == ["李四"]
    assert listed(client, personas.admin, status=CadreStatus.RETIRED) == ["李四"]
    assert listed(client, personas.admin, talent_list=pool.pk) == ["张三"]
    assert listed(client, personas.admin, q="zs", talent_list=pool.pk) == ["张三"]
    assert listed(client, personas.admin, q="ls", talent_list=pool.pk) == []


@pytest.fixture
def crowd(world):
    """120 cadres in county A (county-managed), each in two pools."""
    pools = [
        TalentList.objects.create(code="lion", name="狮子型", kind=TalentListKind.POOL),
        TalentList.objects.create(code="young", name="优秀年轻干部", kind=TalentListKind.LIST),
    ]
    cadres = [
        CadreFactory(
            name=f"干部{i:03d}",
            unit=world.township_a1,
            birth_date=dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28),
        )
        for i in range(120)
    ]
    ListMembership.objects.bulk_create(
        [ListMembership(cadre=c, talent_list=p) for c in cadres for p in pools]
    )
    return cadres


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 50])
def test_cadre_list_query_count_is_constant(
    client, world, personas, crowd, django_assert_num_queries, size
):
    client.force_login(personas.clerk_a)
    client.get(LIST, {"size": size, "q": "gb"})  # warm the content-type cache
    with django_assert_num_queries(11):  # navigation: authorities (the unit picker: no query)
        response = client.get(LIST, {"size": size, "q": "gb"})
    rows = response.context["rows"]
    assert len(rows) == size
    assert all(
        row["lists"] == [("优秀年轻干部", "badge-list"), ("狮子型", "badge-pool")] for row in rows
    )


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 50])
def test_cadre_list_query_count_with_the_access_cache(
    cached, client, world, personas, crowd, django_assert_num_queries, size
):
    """As in production: the reach, the export button's right and the navigation come from
    the cache; a clerk holding no grant reads their one access path, no UNION."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.clerk_a)
    expected = [c.id for c in client.get(LIST, {"size": size}).context["page"].rows]
    # Session, user; the page; the memberships of its cadres in pools and lists; the count
    # (the pools and lists themselves come from the cache).
    with django_assert_num_queries(5), CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, {"size": size})
    assert [c.id for c in response.context["page"].rows] == expected
    assert len(expected) == size
    assert not any("UNION" in q["sql"] for q in captured.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 50])
def test_cadre_list_query_count_is_constant_for_admin_on_later_pages(
    client, world, personas, crowd, django_assert_num_queries, size
):
    client.force_login(personas.admin)
    cursor = client.get(LIST, {"size": size}).context["page"].next_cursor
    with django_assert_num_queries(9):
        response = client.get(LIST, {"size": size, "cursor": cursor, "unit": world.county_a.pk})
    assert len(response.context["page"].rows) == size


@pytest.mark.django_db
def test_cadre_list_pages_forward_and_back(client, world, personas, crowd):
    client.force_login(personas.clerk_a)
    everyone = []
    cursor = ""
    while cursor is not None:
        page = client.get(LIST, {"size": 50, "cursor": cursor}).context["page"]
        everyone += [c.id for c in page.rows]
        cursor = page.next_cursor
    assert len(everyone) == 121 and len(set(everyone)) == 121
    first = client.get(LIST, {"size": 25}).context["page"]
    second = client.get(LIST, {"size": 25, "cursor": first.next_cursor}).context["page"]
    third = client.get(LIST, {"size": 25, "cursor": second.next_cursor}).context["page"]
    seen = [c.id for page in (first, second, third) for c in page.rows]
    assert len(seen) == 75 and len(set(seen)) == 75
    assert third.next_cursor is not None
    back = client.get(LIST, {"size": 25, "cursor": second.prev_cursor}).context["page"]
    assert [c.id for c in back.rows] == [c.id for c in first.rows]


@pytest.mark.django_db
def test_cadre_list_shows_chinese_labels(client, world, personas):
    client.force_login(personas.admin)
    body = client.get(LIST).content.decode()
    assert "四级主任科员" in body
    assert "县管" in body
    assert "共 3 名干部" in body


# --- profile -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cadre_detail_404_for_outsider_and_out_of_scope(client, world, personas):
    client.force_login(personas.outsider)
    assert client.get(detail_url(world.cadre_a1)).status_code == 404
    client.force_login(personas.clerk_a)
    assert client.get(detail_url(world.cadre_b1)).status_code == 404
    assert client.get(reverse("cadres:detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_cadre_detail_shows_masked_id_and_history(client, world, personas):
    PositionRecord.objects.create(
        cadre=world.cadre_a1,
        start_date=dt.date(2018, 7, 1),
        end_date=dt.date(2021, 3, 1),
        unit=world.township_a1,
        unit_name="甲县城关镇",
        title="科员",
        move=MoveType.APPOINTED,
    )
    PositionRecord.objects.create(
        cadre=world.cadre_a1,
        start_date=dt.date(2021, 3, 1),
        unit=world.township_a1,
        unit_name="甲县城关镇",
        title="副镇长",
        rank=Rank.SECTION_DEPUTY,
        move=MoveType.EXCEPTIONAL_PROMOTION,
        document_ref="甲组干〔2021〕3号",
    )
    client.force_login(personas.clerk_a)
    response = client.get(detail_url(world.cadre_a1))
    body = response.content.decode()
    assert response.status_code == 200
    assert world.cadre_a1.masked_national_id in body
    assert world.cadre_a1.national_id not in body
    assert [p.title for p in response.context["positions"]] == ["科员", "副镇长"]
    assert "破格提拔" in body and "首次任职" in body and "甲组干〔2021〕3号" in body
    assert "济南市" in body  # the unit trail from the root
    assert reverse("cadres:edit", args=[world.cadre_a1.pk]) in body
    assert reverse("cadres:reveal-id", args=[world.cadre_a1.pk]) not in body


@pytest.mark.django_db
def test_cadre_detail_hides_change_links_from_readers(client, world, personas):
    client.force_login(personas.auditor)
    body = client.get(detail_url(world.cadre_a1)).content.decode()
    assert reverse("cadres:edit", args=[world.cadre_a1.pk]) not in body
    assert reverse("cadres:move", args=[world.cadre_a1.pk]) not in body


# --- reveal --------------------------------------------------------------------------------


def reveal(client, cadre, **data):
    return client.post(reverse("cadres:reveal-id", args=[cadre.pk]), data)


@pytest.mark.django_db
def test_reveal_forbidden_for_clerk_without_permission(client, world, personas):
    client.force_login(personas.clerk_a)
    response = reveal(client, world.cadre_a1)
    assert response.status_code == 403
    assert world.cadre_a1.national_id not in response.content.decode()
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_reveal_404_when_cadre_not_visible(client, world, personas):
    assign_perm("cadres.reveal_national_id", personas.clerk_a)
    client.force_login(personas.clerk_a)
    assert reveal(client, world.cadre_b1).status_code == 404
    client.force_login(personas.outsider)
    assert reveal(client, world.cadre_a1).status_code == 404
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_reveal_requires_post(client, world, personas):
    client.force_login(personas.admin)
    assert client.get(reverse("cadres:reveal-id", args=[world.cadre_a1.pk])).status_code == 405
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_reveal_with_global_permission_shows_and_audits(client, world, personas):
    assign_perm("cadres.reveal_national_id", personas.clerk_a)
    client.force_login(personas.clerk_a)
    detail = client.get(detail_url(world.cadre_a1)).content.decode()
    assert reverse("cadres:reveal-id", args=[world.cadre_a1.pk]) in detail
    response = reveal(client, world.cadre_a1, reason="核对任免审批表")
    assert response.status_code == 200
    assert world.cadre_a1.national_id in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_id, event.reason) == (
        "cadre.national_id.reveal",
        personas.clerk_a,
        str(world.cadre_a1.pk),
        "核对任免审批表",
    )


@pytest.mark.django_db
def test_reveal_with_object_permission_only_for_that_cadre(client, world, personas):
    assign_perm("cadres.reveal_national_id", personas.discipline, world.cadre_a1)
    client.force_login(personas.discipline)
    assert reveal(client, world.cadre_a1).status_code == 200
    assert reveal(client, world.cadre_b1).status_code == 403
    assert AuditEvent.objects.count() == 1


# --- edit ----------------------------------------------------------------------------------


def edit_data(cadre, **changes):
    data = {
        "name": cadre.name,
        "gender": cadre.gender,
        "ethnicity": cadre.ethnicity,
        "birth_date": cadre.birth_date.isoformat(),
        "native_place": cadre.native_place,
        "party_join_date": cadre.party_join_date.isoformat() if cadre.party_join_date else "",
        "work_start_date": "",
        "education": cadre.education,
        "position": cadre.position,
        "post_type": cadre.post_type,
        "management_level": cadre.management_level,
        "status": cadre.status,
        "national_id": "",
        "reason": "更正录入错误",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_edit_writes_exactly_the_change_and_one_audit_row(client, world, personas):
    cadre = world.cadre_a1
    before = snapshot(cadre)
    client.force_login(personas.clerk_a)
    url = reverse("cadres:edit", args=[cadre.pk])
    response = client.post(url, edit_data(cadre, position="党委委员、副镇长"))
    assert response.status_code == 302
    assert response["Location"] == detail_url(cadre)
    cadre.refresh_from_db()
    assert snapshot(cadre) == {**before, "position": "党委委员、副镇长"}
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.reason) == (
        "cadre.update",
        personas.clerk_a,
        "更正录入错误",
    )
    assert (event.before, event.after) == ({"position": "科员"}, {"position": "党委委员、副镇长"})


@pytest.mark.django_db
def test_edit_birth_date_against_id_shows_chinese_error_and_changes_nothing(
    client, world, personas
):
    cadre = world.cadre_a1
    before = snapshot(cadre)
    client.force_login(personas.clerk_a)
    response = client.post(
        reverse("cadres:edit", args=[cadre.pk]), edit_data(cadre, birth_date="1981-05-17")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["birth_date"] == [
        "出生日期与身份证号码中的出生日期不一致。"
    ]
    assert "请更正以下错误，尚未保存任何内容。" in response.content.decode()
    cadre.refresh_from_db()
    assert snapshot(cadre) == before
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_edit_bad_national_id_and_bad_date_show_chinese_errors(client, world, personas):
    cadre = world.cadre_a1
    before = snapshot(cadre)
    client.force_login(personas.clerk_a)
    url = reverse("cadres:edit", args=[cadre.pk])
    response = client.post(url, edit_data(cadre, national_id="37010219800517001X"))
    assert response.context["form"].errors["national_id"] == ["身份证号码校验位错误。"]
    response = client.post(url, edit_data(cadre, party_join_date="2003-13-45"))
    assert response.context["form"].errors["party_join_date"] == ["请输入有效的日期。"]
    response = client.post(url, edit_data(cadre, reason=""))
    assert response.context["form"].errors["reason"] == ["此项为必填项。"]
    cadre.refresh_from_db()
    assert snapshot(cadre) == before
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_edit_form_never_shows_the_full_id(client, world, personas):
    client.force_login(personas.clerk_a)
    body = client.get(reverse("cadres:edit", args=[world.cadre_a1.pk])).content.decode()
    assert world.cadre_a1.national_id not in body
    assert world.cadre_a1.masked_national_id in body


@pytest.mark.django_db
def test_edit_without_changes_writes_nothing(client, world, personas):
    client.force_login(personas.clerk_a)
    response = client.post(
        reverse("cadres:edit", args=[world.cadre_a1.pk]), edit_data(world.cadre_a1)
    )
    assert response.status_code == 302
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_edit_404_for_readers_and_outsiders(client, world, personas):
    url = reverse("cadres:edit", args=[world.cadre_a1.pk])
    for user in (personas.auditor, personas.discipline, personas.cadre_a1, personas.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, edit_data(world.cadre_a1, name="张叁")).status_code == 404
    world.cadre_a1.refresh_from_db()
    assert world.cadre_a1.name == "张三"


@pytest.mark.django_db
def test_edit_management_level_outside_scope_is_refused(client, world, personas):
    client.force_login(personas.clerk_a)
    response = client.post(
        reverse("cadres:edit", args=[world.cadre_a1.pk]),
        edit_data(world.cadre_a1, management_level=ManagementLevel.CITY),
    )
    assert response.context["form"].errors["management_level"] == [
        "您无权将干部安排到该单位（或该管理权限）。"
    ]
    world.cadre_a1.refresh_from_db()
    assert world.cadre_a1.management_level == ManagementLevel.COUNTY


# --- move ----------------------------------------------------------------------------------


def move_data(unit, **changes):
    data = {
        "move": MoveType.PROMOTED,
        "on": "2024-03-01",
        "unit": unit.pk,
        "title": "副镇长",
        "rank": Rank.SECTION_DEPUTY,
        "post_type": PostType.LEADERSHIP,
        "document_ref": "甲组干〔2024〕12号",
        "reason": "按干部选拔任用程序",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_move_records_position_and_audits(client, world, personas):
    cadre = world.cadre_a1
    client.force_login(personas.clerk_a)
    response = client.post(reverse("cadres:move", args=[cadre.pk]), move_data(world.county_a))
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert (cadre.unit, cadre.position, cadre.rank, cadre.rank_since, cadre.post_type) == (
        world.county_a,
        "副镇长",
        Rank.SECTION_DEPUTY,
        dt.date(2024, 3, 1),
        PostType.LEADERSHIP,
    )
    record = PositionRecord.objects.get(cadre=cadre)
    assert (record.move, record.start_date, record.unit_name, record.document_ref) == (
        MoveType.PROMOTED,
        dt.date(2024, 3, 1),
        "甲县",
        "甲组干〔2024〕12号",
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.reason) == ("cadre.move.promoted", "按干部选拔任用程序")


@pytest.mark.django_db
def test_move_to_unit_outside_scope_is_refused(client, world, personas):
    client.force_login(personas.clerk_a)
    response = client.post(
        reverse("cadres:move", args=[world.cadre_a1.pk]), move_data(world.township_b1)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == ["所选项无效，请重新选择。"]
    assert PositionRecord.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_move_before_current_position_shows_chinese_error(client, world, personas):
    PositionRecord.objects.create(
        cadre=world.cadre_a1,
        start_date=dt.date(2018, 7, 1),
        unit=world.township_a1,
        unit_name="甲县城关镇",
        title="科员",
        move=MoveType.APPOINTED,
    )
    client.force_login(personas.clerk_a)
    response = client.post(
        reverse("cadres:move", args=[world.cadre_a1.pk]),
        move_data(world.county_a, on="2017-01-01"),
    )
    assert response.context["form"].errors["on"] == ["变动时间不能早于现任职务的任职时间。"]
    assert PositionRecord.objects.get().end_date is None
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_move_404_for_readers(client, world, personas):
    client.force_login(personas.auditor)
    response = client.post(
        reverse("cadres:move", args=[world.cadre_a1.pk]), move_data(world.county_a)
    )
    assert response.status_code == 404
    assert PositionRecord.objects.count() == 0


@pytest.mark.django_db
def test_cadre_detail_document_links_follow_permissions(client, world, personas):
    form_url = reverse("cadres:appointment-form", args=[world.cadre_a1.pk])
    lrmx_url = reverse("cadres:lrmx-export", args=[world.cadre_a1.pk])
    client.force_login(personas.auditor)
    body = client.get(detail_url(world.cadre_a1)).content.decode()
    assert form_url in body
    assert lrmx_url not in body
    assign_perm("cadres.reveal_national_id", personas.auditor, world.cadre_a1)
    body = client.get(detail_url(world.cadre_a1)).content.decode()
    assert lrmx_url in body


@pytest.mark.parametrize("size", ["²", "abc", "-1", "7"])
def test_odd_page_sizes_fall_back_to_the_default(client, personas, size):
    client.force_login(personas.admin)
    response = client.get("/cadres/", {"size": size})
    assert response.status_code == 200


@pytest.mark.django_db
def test_cadre_list_sorted_and_exported_rows_equal_the_page(client, world, personas):
    import io

    import openpyxl

    by_name = listed(client, personas.admin, sort="name")
    assert by_name == sorted(by_name)
    assert listed(client, personas.admin, sort="-name") == list(reversed(by_name))
    Cadre.objects.filter(name="王五").update(position="=HYPERLINK(1)")
    response = client.get(reverse("cadres:list-export"), {"sort": "-name"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert [r[0] for r in rows[1:]] == list(reversed(by_name))
    assert "=HYPERLINK(1)" in [r[4] for r in rows[1:]]  # text, never a formula
    assert all("*" in r[8] for r in rows[1:])  # masked as on the page
    event = AuditEvent.objects.get(action="cadre.list.export")
    assert event.after == {"filters": {"sort": "-name"}}
    client.force_login(personas.clerk_a)
    response = client.get(reverse("cadres:list-export"), {"q": "zs"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [row[0].value for row in book.active.iter_rows()][1:] == ["张三"]


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 120])
def test_cadre_list_export_query_count_is_constant(
    client, world, personas, django_assert_num_queries, extra, request
):
    import io

    import openpyxl

    if extra:
        request.getfixturevalue("crowd")  # 120 more cadres in county A
    client.force_login(personas.clerk_a)
    export = reverse("cadres:list-export")
    client.get(export)  # the session and the content-type cache
    # Session, user, roles, authorities with their root units (2); the audit row
    # (savepoint, insert, release); the cadres with their units, read in chunks of 500.
    with django_assert_num_queries(CADRE_EXPORT_QUERIES):
        response = client.get(export, {"sort": "-name"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    names = [row[0] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert names == sorted(names, reverse=True)
    assert len(names) > extra


CADRE_EXPORT_QUERIES = 9
