from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from core.models import AuditEvent
from tolerance.models import AccountabilityMatter

QUEUE = reverse("tolerance:queue")
EXPORT = reverse("tolerance:queue_export")


def rows_of(response) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[c.value for c in row] for row in book.active.iter_rows()]


@pytest.mark.django_db
def test_queue_searched_sorted_and_exported_rows_equal_the_page(client, flow, staff):
    first = flow.submitted()
    second = flow.accepted()
    AccountabilityMatter.objects.filter(pk=second.matter_id).update(title="=HYPERLINK(1)")
    client.force_login(staff.clerk)
    page = client.get(QUEUE, {"q": "zs", "sort": "-number"}).context["page"]
    assert [c.pk for c in page.rows] == [second.pk, first.pk]
    response = client.get(EXPORT, {"q": "zs", "sort": "-number"})
    rows = rows_of(response)
    assert rows[0] == [
        "案件编号", "涉及干部", "问责事项", "办理状态", "当前办理期限", "期限环节", "受理机关"
    ]
    assert [r[0] for r in rows[1:]] == [second.reference, first.reference]
    assert rows[1][1:3] == ["张三", "=HYPERLINK(1)"]  # text, never a formula
    event = AuditEvent.objects.get(action="tolerance.queue.export")
    assert event.after == {"filters": {"q": "zs", "sort": "-number"}, "rows": 2}
    assert client.get(QUEUE, {"q": first.reference}).context["count"] == 1
    assert client.get(QUEUE, {"q": "ls"}).context["count"] == 0


@pytest.mark.django_db
def test_queue_export_is_404_for_cadres(client, flow, staff):
    client.force_login(staff.cadre)
    assert client.get(EXPORT).status_code == 404

