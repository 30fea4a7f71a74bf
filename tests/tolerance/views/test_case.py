"""The case page's actions with a file (the delivery's signed receipt, attachments): a form
returned with errors keeps the chosen file for the retry, for its owner only."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cadres.access import code_version
from tolerance.enums import CaseState
from tolerance.models import Attachment, Case, Delivery

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def act(client, user, case, action, data):
    client.force_login(user)
    return client.post(reverse("tolerance:case_action", args=[case.pk, action]), data)


def posted_form(response, name):
    [posted] = [a for a in response.context["actions"] if a.spec.name == name]
    return posted.form


def tokens(response, field) -> list[str]:
    return re.findall(rf'name="{field}__kept" value="([^"]+)"', response.content.decode())


def delivery(**extra):
    return {"method": "in_person", "delivered_on": timezone.localdate().isoformat(), **extra}


def test_a_wrong_delivery_date_keeps_the_receipt_and_the_retry_records_it(client, flow, staff):
    case = flow.decided()
    body = PDF + b"% signed receipt\n"
    response = act(client, staff.clerk, case, "feed_back", {
        **delivery(delivered_on="2099-01-01"),
        "receipt": SimpleUploadedFile("送达回证.pdf", body),
    })
    assert response.status_code == 400
    form = posted_form(response, "feed_back")
    assert form.errors["delivered_on"] == ["送达日期不能晚于今天。"]
    assert "已保留附件：送达回证.pdf（如需更换请重新选择）" in response.content.decode()
    [token] = tokens(response, "receipt")
    assert not Delivery.objects.exists()

    again = act(client, staff.clerk, case, "feed_back", {**delivery(), "receipt__kept": token})
    assert again.status_code == 302
    [recorded] = Delivery.objects.filter(case=case)
    assert recorded.receipt_filename == "送达回证.pdf"
    with recorded.receipt.open("rb") as handle:
        assert handle.read() == body
    assert Case.objects.get(pk=case.pk).state == CaseState.FED_BACK


def test_a_refusal_by_the_service_keeps_the_receipt(client, flow, staff):
    """A date before the ruling passes the form but not the service: refused at the date
    field, the receipt kept."""
    case = flow.decided()
    long_ago = (timezone.localdate() - dt.timedelta(days=400)).isoformat()
    response = act(client, staff.clerk, case, "feed_back", {
        **delivery(delivered_on=long_ago), "receipt": SimpleUploadedFile("回证.pdf", PDF),
    })
    assert response.status_code == 409
    form = posted_form(response, "feed_back")
    assert list(form.errors) == ["delivered_on"]
    assert [k.name for k in form.kept["receipt"]] == ["回证.pdf"]
    assert len(tokens(response, "receipt")) == 1


def test_another_users_receipt_token_is_ignored(client, flow, staff):
    case = flow.decided()
    response = act(client, staff.clerk, case, "feed_back", {
        **delivery(delivered_on="2099-01-01"), "receipt": SimpleUploadedFile("回证.pdf", PDF),
    })
    [token] = tokens(response, "receipt")
    other = act(client, staff.leader, case, "feed_back", {**delivery(), "receipt__kept": token})
    assert other.status_code in (400, 404)
    assert not Delivery.objects.exists()


def test_attachments_are_kept_when_the_kind_is_missing(client, flow, staff):
    case = flow.investigating()
    response = act(client, staff.investigator, case, "attach", {
        "files": [SimpleUploadedFile("笔录.pdf", PDF), SimpleUploadedFile("照片.pdf", PDF)],
    })
    assert response.status_code == 400
    assert posted_form(response, "attach").errors["kind"] == ["此项为必填项。"]
    kept = tokens(response, "files")
    assert len(kept) == 2
    again = act(client, staff.investigator, case, "attach",
                {"kind": "evidence", "files__kept": kept})
    assert again.status_code == 302
    assert sorted(Attachment.objects.filter(case=case).values_list("filename", flat=True)) == [
        "照片.pdf", "笔录.pdf"
    ]


def test_the_page_reads_the_case_filter_in_the_round_trip_of_the_menu(cached, client, flow, staff):
    """The user's compiled case filter (get_case_for_user) comes with the user's menu, in
    one cache command (cadres.access.recalls)."""
    from unittest import mock

    from django.core.cache import cache

    case = flow.investigating()
    url = reverse("tolerance:case_detail", args=[case.pk])
    client.force_login(staff.clerk)
    assert client.get(url).status_code == 200  # stores what the page remembers
    with mock.patch.object(cache, "get_many", wraps=cache.get_many) as read:
        response = client.get(url)
    assert response.status_code == 200 and response.context["case"].pk == case.pk
    assert read.call_count == 1
    (keys,), _kwargs = read.call_args
    assert f"cadres:reach:{code_version()}:case-filter:{staff.clerk.pk}" in keys
