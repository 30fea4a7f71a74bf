"""A case's notifications on the notifications page: grouped under the case, in the
reader's language, only the reader's own."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST = reverse("notifications")


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()


def test_the_steps_of_a_case_are_grouped_under_it(client, flow, staff):
    case = flow.submitted()  # the intake clerk accepts it or not: told
    other = flow.submitted()
    client.force_login(staff.clerk)
    groups = client.get(LIST).context["groups"]
    assert [(g.key, g.heading, g.count) for g in groups] == [
        (f"tolerance.case:{other.pk}", f"案件{other.reference}", 1),
        (f"tolerance.case:{case.pk}", f"案件{case.reference}", 1),
    ]
    item = groups[1].items[0]
    assert (item.subject, item.note.url) == (
        f"案件{case.reference}已提交，请审查是否受理",
        reverse("tolerance:case_detail", args=[case.pk]),
    )
    client.force_login(staff.investigator)  # nothing for the investigator yet
    assert client.get(LIST).context["groups"] == []


def test_the_investigator_hears_only_of_the_work_that_is_theirs(flow, staff):
    """Through acceptance, investigation, deliberation, decision and the ruling's draft the
    investigator is told once: when assigned. Committee members hear of the meeting to hold,
    not of every step."""
    from core.models import Notification

    flow.decided(outcome="lighter", sign=False)
    codes = Notification.objects.order_by("pk").values_list("code", flat=True)
    assert list(codes.filter(recipient=staff.investigator)) == [
        "tolerance.case.investigation_assigned"
    ]
    assert list(codes.filter(recipient=staff.members[0])) == ["tolerance.case.referred"]
    assert list(codes.filter(recipient=staff.other_investigator)) == []
