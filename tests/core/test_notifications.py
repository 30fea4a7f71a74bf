"""core.notifications: kinds stored as codes and params, rendered in the reader's language;
one notification per distinct active recipient, mailed after commit in the recipient's
language; marking read."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.models import Notification
from core.notifications import (
    KINDS,
    LEGACY,
    Message,
    Target,
    heading,
    mark_read,
    notify,
    notify_many,
    render,
    stored_params,
    target_of,
)
from tests.factories import make_user

pytestmark = pytest.mark.django_db

DRAFT = "core.draft.to_check"
CASE = Target("tolerance.case", 7, "RC2026-00007")


@pytest.fixture
def people(db):
    ann = make_user("ann")
    ann.email, ann.language = "ann@example.org", "en"
    ann.save()
    bob = make_user("bob")
    bob.email = "bob@example.org"  # no language chosen: the site's, Chinese
    bob.save()
    gone = make_user("gone")
    gone.is_active = False
    gone.save()
    return ann, bob, gone


def test_notify_once_per_active_recipient_and_mailed_in_each_ones_language(
    people, django_capture_on_commit_callbacks
):
    ann, bob, gone = people
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            [ann, ann, None, gone, bob],
            "tolerance.case.not_accepted",
            params={"ref": "RC2026-00007", "reason": "不属于受理范围"},
            target=CASE,
            url="/x/",
        )
    assert [(r.recipient.username, r.code, r.params, r.url) for r in rows] == [
        ("ann", "tolerance.case.not_accepted", {"ref": "RC2026-00007", "reason": "不属于受理范围"},
         "/x/"),
        ("bob", "tolerance.case.not_accepted", {"ref": "RC2026-00007", "reason": "不属于受理范围"},
         "/x/"),
    ]
    mailed = {message.to[0]: (message.subject, message.body) for message in mail.outbox}
    assert mailed == {
        "ann@example.org": (
            "Case RC2026-00007 not accepted",
            "Reasons: 不属于受理范围\n\nhttp://127.0.0.1:8000/x/",
        ),
        "bob@example.org": ("案件RC2026-00007不予受理", "理由：不属于受理范围\n\nhttp://127.0.0.1:8000/x/"),
    }


def test_notify_many_writes_every_message_in_one_insert(
    people, django_assert_num_queries, django_capture_on_commit_callbacks
):
    ann, bob, gone = people
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with django_assert_num_queries(2):  # one insert of notifications, one outbox row
            notify_many(
                [
                    Message([ann, bob], DRAFT, {"title": "提醒一"}),
                    Message([bob, bob, gone], DRAFT, {"title": "提醒二"}, CASE, "/y/"),
                    Message([], DRAFT, {"title": "无人"}),
                ]
            )
    rows = Notification.objects.values_list(
        "recipient__username", "params__title", "target_type", "target_id", "target_label"
    )
    assert sorted(rows) == [
        ("ann", "提醒一", "", None, ""),
        ("bob", "提醒一", "", None, ""),
        ("bob", "提醒二", "tolerance.case", 7, "RC2026-00007"),
    ]
    assert len(callbacks) == 1  # one email task for all of them


def test_nothing_to_tell_writes_nothing(people, django_assert_num_queries):
    _ann, _bob, gone = people
    with django_assert_num_queries(0):
        assert notify_many([Message([gone, None], DRAFT, {"title": "无人"})]) == []


def test_an_unknown_kind_or_wrong_params_are_refused():
    with pytest.raises(ValueError, match="unknown notification kind 'core.nothing'"):
        stored_params("core.nothing", {})
    with pytest.raises(ValueError, match=r"params \['name'\] ≠ declared \['title'\]"):
        stored_params(DRAFT, {"name": "x"})


@pytest.mark.parametrize(
    "value", [gettext_lazy("Case"), object(), {"a": 1}], ids=["translated", "object", "mapping"]
)
def test_params_are_plain_values_never_objects_or_translated_text(value):
    with pytest.raises(TypeError):
        stored_params(DRAFT, {"title": value})


def test_params_are_stored_as_plain_json():
    assert stored_params(
        "core.draft.issued", {"number": Decimal("12.50"), "title": [dt.date(2026, 12, 8), 3]}
    ) == {"number": "12.50", "title": ["2026-12-08", 3]}


def test_a_kind_renders_in_the_active_language_with_labels_and_dates():
    params = stored_params(
        "tolerance.case.due_soon",
        {"ref": "RC2026-00007", "stage": "acceptance", "date": dt.date(2026, 12, 8),
         "fallback_years": [2027]},
    )
    with translation.override("zh-hans"):
        subject, body = render("tolerance.case.due_soon", params)
    assert subject == "案件RC2026-00007：受理审查期限为2026-12-08，即将到期"
    assert "2027" in body and "周一至周五" in body
    with translation.override("en"):
        subject, body = render("tolerance.case.due_soon", params)
    assert subject == "Case RC2026-00007: Decision on acceptance due on 2026-12-08"
    assert body == (
        "The official holiday schedule for 2027 has not been entered yet; this due date counts "
        "Monday to Friday as working days."
    )
    params["fallback_years"] = []
    assert render("tolerance.case.due_soon", params).body == ""


def test_legacy_rows_show_their_stored_text_and_an_undeclared_kind_its_code():
    assert KINDS[LEGACY].verbatim
    with translation.override("en"):
        stored = {"subject": "案件已受理", "body": "请查看"}
        assert render(LEGACY, stored) == ("案件已受理", "请查看")
        assert render("gone.kind", {"x": 1}) == ("gone.kind", "")


def test_group_headings_follow_the_declared_targets():
    with translation.override("zh-hans"):
        assert heading("tolerance.case", "RC2026-00007") == "案件RC2026-00007"
        assert heading("", "") == "其他消息"
        assert heading("nowhere.thing", "x") == "其他消息"
    with translation.override("en"):
        assert heading("promotions.proposal", "张三") == "Adjustment proposal: 张三"


def test_target_of_stores_the_declared_label(world):
    from tolerance.models import Case

    case = Case(pk=12, authority=world.county_a_org)
    target = target_of(case)
    assert (target.type, target.id) == ("tolerance.case", 12)
    assert target.label == case.reference
    assert target_of(world.county_a_org) == Target("cadres.authority", world.county_a_org.pk, "")


def test_mark_read_marks_only_the_users_unread_by_id_by_group_or_all(people):
    ann, bob, _gone = people
    other = Target("tolerance.case", 8, "RC2026-00008")
    notify_many(
        [
            Message([ann], DRAFT, {"title": "一"}, CASE),
            Message([ann], DRAFT, {"title": "二"}, CASE),
            Message([ann], DRAFT, {"title": "三"}, other),
            Message([ann], DRAFT, {"title": "四"}),
            Message([bob], DRAFT, {"title": "五"}, CASE),
        ]
    )
    first = Notification.objects.filter(recipient=ann).order_by("pk").first()
    assert mark_read(ann, [first.pk]) == 1
    assert mark_read(ann, target=("tolerance.case", 7)) == 1
    assert mark_read(ann, target=("", None)) == 1
    assert mark_read(ann) == 1
    assert mark_read(ann) == 0
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 1
