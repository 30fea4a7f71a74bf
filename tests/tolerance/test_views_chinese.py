"""The tolerance pages read in Chinese: no English words left in what people see."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.notifications import notify
from tolerance.feedback import case_feed_back

pytestmark = pytest.mark.django_db

# Words that are Chinese usage too: file formats, the case reference prefix, keys, and the
# pinyin initials a search box gives as its example (zs for 张三).
ALLOWED = {
    "PDF", "ZIP", "JPEG", "PNG", "Word", "docx", "Excel", "xlsx", "MB", "Ctrl", "Command", "Mac",
    "zs", "zhangs",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def english_words(body: str) -> set[str]:
    """Latin words in the visible text of <main>, leaving out usernames and references."""
    main = body[body.index("<main"):body.index("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", main))
    text = re.sub(r"(?<![A-Za-z0-9_])t_[a-z0-9_]+", " ", text)  # the test users' names
    text = re.sub(r"RC\d{4}-\d{5}|[A-Z]{1,3}-\d{2}|\b[CDX]\d\b", " ", text)  # codes
    return set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_staff_pages_have_no_english_left(client, flow, staff):
    deliberating = flow.deliberating()
    flow.meeting(deliberating)
    investigating = flow.investigating()
    notify([staff.leader], "tolerance.case.referred", params={"ref": deliberating.reference},
           target=deliberating)
    for user, url in (
        (staff.leader, reverse("tolerance:queue")),
        (staff.leader, reverse("tolerance:case_detail", args=[deliberating.pk])),
        (staff.investigator, reverse("tolerance:case_detail", args=[investigating.pk])),
        (staff.clerk, reverse("tolerance:file")),
        (staff.leader, reverse("notifications")),
    ):
        assert english_words(page(client, user, url)) == set(), url


def test_cadre_pages_have_no_english_left(client, flow, staff):
    case = case_feed_back(flow.decided(), actor=staff.clerk,
                          method="in_person", delivered_on=timezone.localdate())
    for url in (
        reverse("tolerance:my_cases"),
        reverse("tolerance:case_detail", args=[case.pk]),
        reverse("tolerance:file"),
    ):
        assert english_words(page(client, staff.cadre, url)) == set(), url
