import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse

from assessments.rules import CheckupInput
from assessments.services.evidence import team_grade_set
from assessments.services.tracking import checkup_record
from cadres import services
from core.enums import Role
from core.models import AuditEvent

from ..factories import make_user

AUDIT = reverse("audit-log")
LOGIN = reverse("login")
PASSWORD = "pw-Secret-123"


# --- home ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "entries"),
    [
        ("clerk_a", ["roster-import", "lrmx-import"]),
        ("hr_a1", ["roster-import", "lrmx-import"]),
        ("discipline", ["roster-export"]),  # reads: may export, not import
        ("auditor", ["roster-export"]),
        ("cadre_a1", []),
        ("outsider", []),
    ],
)
def test_nav_shows_roster_and_lrmx_links_to_those_allowed(
    client, world, personas, persona, entries
):
    client.force_login(getattr(personas, persona))
    response = client.get(reverse("cadres:list"))
    urls = [link.url for group in response.context["nav_groups"] for link in group.links]
    wanted = {reverse(f"cadres:{name}") for name in entries}
    roster_urls = {
        reverse(f"cadres:{n}") for n in ("roster-import", "lrmx-import", "roster-export")
    }
    assert [url for url in urls if url in roster_urls] == [reverse(f"cadres:{n}") for n in entries]
    nav = response.content.decode().split("<nav", 1)[1].split("</nav>", 1)[0]
    for url in roster_urls:
        assert (f'href="{url}"' in nav) is (url in wanted), url
    for url in wanted:  # the link leads to a page (or download) the user may use
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_nav_label_of_the_roster_page_is_its_title(client, world, personas):
    client.force_login(personas.clerk_a)
    url = reverse("cadres:roster-import")
    response = client.get(url)
    cadres = response.context["nav_groups"][0]
    assert (cadres.label, cadres.links[1].label, cadres.links[1].url, cadres.active) == (
        "干部", "干部名册导入导出", url, True
    )
    body = response.content.decode()
    assert "<title>干部名册导入导出 · 干部激励与容错纠错管理系统</title>" in body
    assert (
        f'<a class="nav-link active" aria-current="page" href="{url}">干部名册导入导出</a>' in body
    )
    lrmx = client.get(reverse("cadres:lrmx-import")).content.decode()
    assert "<title>导入任免审批表（.lrmx） · 干部激励与容错纠错管理系统</title>" in lrmx


@pytest.mark.django_db
def test_home_shows_roles_scope_and_own_record(client, world, personas):
    client.force_login(personas.clerk_a)
    response = client.get(reverse("home"))
    assert [str(label) for label in response.context["role_labels"]] == ["受理专员"]
    assert "中共甲县县委组织部" in response.content.decode()
    client.force_login(personas.cadre_a1)
    body = client.get(reverse("home")).content.decode()
    assert reverse("cadres:detail", args=[world.cadre_a1.pk]) in body


# --- audit log -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_audit_log_404_for_outsider_and_staff(client, world, personas):
    for user in (personas.outsider, personas.clerk_a, personas.cadre_a1):
        client.force_login(user)
        assert client.get(AUDIT).status_code == 404


@pytest.mark.django_db
def test_audit_log_visible_for_admin_and_auditor(client, world, personas):
    services.cadre_update(
        world.cadre_a1, actor=personas.clerk_a, changes={"position": "副镇长"}, reason="更正"
    )
    client.force_login(personas.admin)
    response = client.get(AUDIT)
    assert response.status_code == 200
    assert [v.event.action for v in response.context["events"]] == ["cadre.update"]
    client.force_login(personas.auditor)
    assert client.get(AUDIT).status_code == 200


@pytest.mark.django_db
def test_auditor_sees_the_cadre_rows_of_their_authority_only(client, world, personas):
    services.cadre_update(world.cadre_a1, actor=personas.clerk_a, changes={"position": "副镇长"})
    services.cadre_update(world.cadre_b1, actor=personas.admin, changes={"position": "副主任"})
    services.cadre_update(
        world.cadre_city, actor=personas.clerk_city, changes={"position": "副主任"}
    )
    services.cadre_reveal_national_id(world.cadre_city, actor=personas.admin)

    def rows(user):
        client.force_login(user)
        return [(v.event.action, v.event.object_repr) for v in client.get(AUDIT).context["events"]]

    assert rows(personas.auditor) == [("cadre.update", "张三")]  # county A org dept
    city_auditor = make_user("auditor_city", Role.AUDITOR, authorities=[world.city_org])
    assert rows(city_auditor) == [
        ("cadre.national_id.reveal", "王五"),
        ("cadre.update", "王五"),
    ]
    # 李四 (county-managed, 乙区) lies in no organization department's jurisdiction here.
    assert rows(personas.admin) == [
        ("cadre.national_id.reveal", "王五"),
        ("cadre.update", "王五"),
        ("cadre.update", "李四"),
        ("cadre.update", "张三"),
    ]
    client.force_login(personas.outsider)
    assert client.get(AUDIT).status_code == 404


@pytest.mark.django_db
def test_audit_log_shows_labels_and_readable_diffs(client, world, personas):
    services.cadre_move(
        world.cadre_a1,
        actor=personas.clerk_a,
        move="promoted",
        on=world.cadre_a1.rank_since,
        unit=world.county_a,
        title="副县长",
        rank=85,
        reason="任职",
    )
    client.force_login(personas.admin)
    response = client.get(AUDIT)
    view = response.context["events"][0]
    assert view.label == "干部职务变动：提拔"
    assert view.object_type == "干部"
    assert [(c.label, c.before, c.after) for c in view.changes] == [
        ("单位", "甲县城关镇", "甲县"),
        ("职务", "科员", "副县长"),
        ("职级", "四级主任科员", "县处级副职"),
    ]
    body = response.content.decode()
    assert "干部职务变动：提拔" in body and "县处级副职" in body


@pytest.mark.django_db
def test_audit_log_shows_a_related_object_recorded_by_name(client, world, personas):
    """Evidence rows record their unit by name: shown as recorded, not looked up as a key."""
    team_grade_set(world.township_a1, actor=personas.admin, year=2024, grade="good")
    client.force_login(personas.admin)
    response = client.get(AUDIT)
    assert response.status_code == 200
    view = response.context["events"][0]
    assert [(c.label, c.before, c.after) for c in view.changes] == [
        ("单位", "—", "甲县城关镇"),
        ("年度", "—", "2024"),
        ("等次", "—", "好"),
        ("评语", "—", "—"),
    ]


@pytest.mark.django_db
def test_audit_log_shows_a_value_named_like_a_reverse_relation(client, world, personas):
    """A check-up's row records its warnings' dimensions under "warnings", the name of the
    reverse relation from CheckupWarning: shown as recorded."""
    checkup_record(
        world.cadre_a1,
        actor=personas.admin,
        year=2024,
        quarter=1,
        held_on=dt.date(2024, 3, 28),
        inputs=[CheckupInput("principal", "law", "problem", "违规")],
    )
    client.force_login(personas.admin)
    response = client.get(AUDIT)
    assert response.status_code == 200
    view = response.context["events"][0]
    assert [(c.label, c.before, c.after) for c in view.changes] == [
        ("年度", "—", "2024"),
        ("季度", "—", "1"),
        ("发现问题的维度", "—", "守法"),
        ("预警维度", "—", "守法"),
    ]


@pytest.mark.django_db
def test_audit_log_reveal_row_has_no_number(client, world, personas):
    services.cadre_reveal_national_id(world.cadre_a1, actor=personas.admin)
    client.force_login(personas.admin)
    response = client.get(AUDIT)
    assert response.context["events"][0].label == "查看完整身份证号码"
    assert world.cadre_a1.national_id not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [5, 30])
def test_audit_log_query_count_is_constant(
    client, world, personas, django_assert_num_queries, rows
):
    for i in range(rows):
        services.cadre_update(
            world.cadre_a1, actor=personas.admin, changes={"position": f"职务{i}"}, reason="x"
        )
    client.force_login(personas.admin)
    client.get(AUDIT)
    with django_assert_num_queries(4):
        small = client.get(AUDIT, {"action": "cadre.update", "before": 10**9})
    assert len(small.context["events"]) == rows
    assert AuditEvent.objects.count() == rows


# --- language ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_page_is_chinese_by_default_and_english_on_request(client):
    response = client.get(LOGIN)
    body = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert "<title>登录 · 干部激励与容错纠错管理系统</title>" in body
    assert 'lang="zh-CN"' in body
    client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    response = client.get(LOGIN)
    assert response["Content-Language"] == "en"
    body = response.content.decode()
    assert "<title>Log in · Cadre incentive and error tolerance</title>" in body


@pytest.mark.django_db
def test_accept_language_is_ignored_until_the_user_chooses(client):
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    response = client.get(LOGIN, **english_browser)
    assert (response["Content-Language"], response.wsgi_request.LANGUAGE_CODE) == (
        "zh-hans",
        "zh-hans",
    )
    assert "<title>登录 · 干部激励与容错纠错管理系统</title>" in response.content.decode()
    assert "Cookie" in response["Vary"]

    chosen = client.post(
        reverse("set_language"), {"language": "en", "next": LOGIN}, **english_browser
    )
    assert (chosen.status_code, chosen["Location"]) == (302, LOGIN)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(LOGIN, **english_browser)
    assert response["Content-Language"] == "en"
    assert "<title>Log in · Cadre incentive and error tolerance</title>" in (
        response.content.decode()
    )

    client.post(reverse("set_language"), {"language": "zh-hans", "next": LOGIN})
    response = client.get(LOGIN, **english_browser)
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "zh-hans"
    assert "<title>登录 · 干部激励与容错纠错管理系统</title>" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_changes_cadre_labels(client, world, personas):
    client.force_login(personas.admin)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("cadres:list")).content.decode()
    assert "Grade-4 principal staff member" in body and "County-managed" in body


# --- sessions ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_rotates_the_session_key(client, world, personas):
    session = client.session
    session["before_login"] = True
    session.save()
    old_key = session.session_key
    response = client.post(LOGIN, {"username": "clerk_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    new_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert new_key != old_key
    assert not Session.objects.filter(session_key=old_key).exists()
    assert Session.objects.get(session_key=new_key).get_decoded()["_auth_user_id"] == str(
        personas.clerk_a.pk
    )


@pytest.mark.django_db
def test_wrong_password_shows_chinese_message(client, world, personas):
    response = client.post(LOGIN, {"username": "clerk_a", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码错误，请重新输入。" in response.content.decode()


@pytest.mark.django_db
def test_logout_invalidates_the_session(client, world, personas):
    client.post(LOGIN, {"username": "clerk_a", "password": PASSWORD})
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get(reverse("cadres:list")).status_code == 200
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies[settings.SESSION_COOKIE_NAME] = key  # replaying the old cookie
    response = client.get(reverse("cadres:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- audit log: filters, formatting and export --------------------------------------------


@pytest.mark.django_db
def test_audit_log_filters_by_person_action_label_object_and_date(client, world, personas):
    services.cadre_update(world.cadre_a1, actor=personas.clerk_a, changes={"position": "副镇长"})
    services.cadre_update(world.cadre_city, actor=personas.admin, changes={"position": "副主任"})
    services.cadre_reveal_national_id(world.cadre_city, actor=personas.admin)
    client.force_login(personas.admin)

    def shown(**params):
        events = client.get(AUDIT, params).context["events"]
        return [(v.event.action, v.event.object_repr) for v in events]

    assert shown(actor=personas.clerk_a.username) == [("cadre.update", "张三")]
    assert shown(action="身份证") == [("cadre.national_id.reveal", "王五")]
    assert shown(action="cadre.update") == [("cadre.update", "王五"), ("cadre.update", "张三")]
    assert shown(object="王五") == [
        ("cadre.national_id.reveal", "王五"), ("cadre.update", "王五"),
    ]
    today = dt.date.today()
    assert len(shown(**{"from": today.isoformat()})) == 3
    assert shown(to=(today - dt.timedelta(days=2)).isoformat()) == []


@pytest.mark.django_db
def test_audit_log_values_are_formatted_never_reprs(client, world, personas):
    from core import audit

    audit.record(
        "promotions.exceptional.submit",
        actor=personas.admin,
        obj=world.cadre_a1,
        before={"state": "draft"},
        after={"waived": ["years_in_rank", "rank_step"], "rows": 123456, "masked": True},
    )
    client.force_login(personas.admin)
    view = client.get(AUDIT).context["events"][0]
    assert view.label == "提交破格提拔申请"
    assert {c.label: c.after for c in view.changes if c.label != "state"} == {
        "破格的条件": "任职年限、职级台阶",
        "行数": "123,456",
        "身份证号已遮蔽": "是",
    }


@pytest.mark.django_db
def test_audit_log_export_has_the_filtered_rows_and_is_audited(client, world, personas):
    import io

    import openpyxl

    services.cadre_update(world.cadre_a1, actor=personas.clerk_a, changes={"position": "副镇长"})
    services.cadre_update(world.cadre_city, actor=personas.admin, changes={"position": "=1+1"})
    client.force_login(personas.admin)
    response = client.get(reverse("audit-log-export"), {"action": "cadre.update"})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[0] == ["时间", "操作人", "操作", "操作代码", "对象", "变更内容", "理由", "IP 地址"]
    assert [(r[2], r[3], r[4]) for r in rows[1:]] == [
        ("修改干部信息", "cadre.update", "干部 王五"),
        ("修改干部信息", "cadre.update", "干部 张三"),
    ]
    assert rows[1][5].endswith("→ =1+1")  # a text cell, never a formula
    event = AuditEvent.objects.get(action="audit.export")
    assert event.after == {"filters": {"action": "cadre.update"}}
    client.force_login(personas.clerk_a)
    assert client.get(reverse("audit-log-export")).status_code == 404
