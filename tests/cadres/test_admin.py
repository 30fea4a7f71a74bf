"""The cadre admin finds a cadre by ID number through POST only: no ID in any URL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import AuditEvent

pytestmark = pytest.mark.django_db
FIND = reverse("admin:cadres_cadre_find_by_id")


@pytest.fixture
def admin_client(client, personas):
    personas.admin.is_staff = personas.admin.is_superuser = True
    personas.admin.save()
    client.force_login(personas.admin)
    return client


def test_find_by_id_is_posted_and_lands_on_the_cadre_by_its_pk(admin_client, world):
    cadre = world.cadre_a1
    response = admin_client.post(FIND, {"national_id": cadre.national_id.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:cadres_cadre_change", args=[cadre.pk])
    assert cadre.national_id not in response["Location"]
    event = AuditEvent.objects.get(action="cadre.find_by_id")
    assert (event.object_id, event.after) == (
        str(cadre.pk), {"national_id": cadre.masked_national_id, "found": True}
    )


def test_find_by_id_refuses_get_and_reports_a_miss(admin_client):
    assert admin_client.get(FIND, {"national_id": "110101199003074514"}).status_code == 405
    response = admin_client.post(FIND, {"national_id": "110101199003074514"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:cadres_cadre_changelist")
    assert "没有该身份证号的干部。" in response.content.decode()
    assert AuditEvent.objects.get(action="cadre.find_by_id").after["found"] is False


def test_the_changelist_offers_the_post_form_and_does_not_search_ids(admin_client, world):
    page = admin_client.get(reverse("admin:cadres_cadre_changelist")).content.decode()
    assert f'action="{FIND}"' in page and 'method="post"' in page
    listed = admin_client.get(
        reverse("admin:cadres_cadre_changelist"), {"q": world.cadre_a1.national_id}
    )
    assert list(listed.context["cl"].result_list) == []
