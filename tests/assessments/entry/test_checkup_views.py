"""Quarterly check-up pages: the 5 × 5 grid, the reverse list, warnings and resolving."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.eligibility import open_warnings
from assessments.models import CheckupInput, CheckupWarning, QuarterlyCheckup
from assessments.rules import CheckupInput as Input
from assessments.services.tracking import checkup_record
from core.models import AuditEvent


def _grid(cadre, **cells):
    """POST data: every cell "ok" unless given as source__dimension=(rating, note)."""
    data = {"cadre": cadre.pk, "year": 2024, "quarter": 2, "held_on": "2024-06-28"}
    for source in ("principal", "peers_public", "recipients", "functional", "organization"):
        for dim in ("political", "moral", "discipline", "law", "conduct"):
            rating, note = cells.get(f"{source}__{dim}", ("ok", ""))
            data[f"rating-{source}-{dim}"] = rating
            data[f"note-{source}-{dim}"] = note
    return data


@pytest.mark.django_db
def test_checkup_grid_records_inputs_and_opens_warning(client, world, personas):
    client.force_login(personas.clerk_a)
    data = _grid(
        world.cadre_a1,
        recipients__conduct=("concern", "办事拖沓"),
        peers_public__conduct=("concern", "群众反映"),
        principal__moral=("", ""),
    )
    response = client.post(reverse("assessments:checkup-add"), data)
    checkup = QuarterlyCheckup.objects.get()
    assert response["Location"] == reverse("assessments:checkup", args=[checkup.pk])
    assert CheckupInput.objects.filter(checkup=checkup).count() == 24  # one cell left empty
    [warning] = CheckupWarning.objects.all()
    assert (warning.dimension, warning.reason) == ("conduct", "群众反映；办事拖沓")
    assert list(open_warnings([world.cadre_a1.pk])) == [world.cadre_a1.pk]
    page = client.get(response["Location"])
    [finding] = page.context["findings"]
    assert (finding["dimension"], finding["warning"]) == ("作风", True)
    assert [s for s, _n in finding["concerns"]] == ["干部群众议", "服务对象评"]
    assert page.context["may_resolve"] is True


@pytest.mark.django_db
def test_checkup_same_quarter_twice_refused_on_form(client, world, personas):
    client.force_login(personas.clerk_a)
    client.post(reverse("assessments:checkup-add"), _grid(world.cadre_a1))
    response = client.post(reverse("assessments:checkup-add"), _grid(world.cadre_a1))
    assert response.status_code == 200
    assert response.context["form"].errors["quarter"] == ["本季度体检已登记。"]
    assert QuarterlyCheckup.objects.count() == 1


@pytest.mark.django_db
def test_checkup_pages_by_persona(client, world, personas):
    checkup, _f, _w = checkup_record(
        world.cadre_a1,
        actor=personas.admin,
        year=2024,
        quarter=1,
        held_on=dt.date(2024, 3, 28),
        inputs=[Input("principal", "law", "problem", "违规")],
    )
    detail = reverse("assessments:checkup", args=[checkup.pk])
    for user in (personas.hr_a1, personas.cadre_a1, personas.outsider):
        client.force_login(user)
        assert client.get(reverse("assessments:checkup-add")).status_code == 404
        assert client.get(reverse("assessments:warnings")).status_code == 404
    client.force_login(personas.outsider)
    assert client.get(detail).status_code == 404
    client.force_login(personas.cadre_a1)  # their own record: readable, not resolvable
    response = client.get(detail)
    assert response.status_code == 200
    assert response.context["may_resolve"] is False
    warning = CheckupWarning.objects.get()
    resolve = reverse("assessments:warning-resolve", args=[warning.pk])
    assert client.get(resolve).status_code == 404
    client.force_login(personas.clerk_city)  # city department: city-managed cadres only
    assert client.get(resolve).status_code == 404


@pytest.mark.django_db
def test_warning_resolve_unblocks_and_second_resolve_is_refused(client, world, personas):
    checkup_record(
        world.cadre_a1,
        actor=personas.admin,
        year=2024,
        quarter=1,
        held_on=dt.date(2024, 3, 28),
        inputs=[Input("principal", "law", "problem", "违规")],
    )
    warning = CheckupWarning.objects.get()
    client.force_login(personas.clerk_a)
    listing = client.get(reverse("assessments:warnings"))
    assert [w.pk for w in listing.context["warnings"]] == [warning.pk]
    resolve = reverse("assessments:warning-resolve", args=[warning.pk])
    response = client.post(resolve, {"resolved_on": "2024-05-01", "resolution": ""})
    assert response.status_code == 200
    assert open_warnings([world.cadre_a1.pk]) != {}
    response = client.post(resolve, {"resolved_on": "2024-05-01", "resolution": "谈话提醒"})
    assert response.status_code == 302
    assert open_warnings([world.cadre_a1.pk]) == {}
    assert client.get(reverse("assessments:warnings")).context["warnings"] == []
    assert len(client.get(reverse("assessments:warnings") + "?all=1").context["warnings"]) == 1
    response = client.post(resolve, {"resolved_on": "2024-05-02", "resolution": "再次"})
    assert response.status_code == 200
    assert response.context["form"].errors["resolved_on"] == ["该预警已解除。"]
    assert AuditEvent.objects.filter(action="assessment.warning.resolve").count() == 1


@pytest.mark.django_db
def test_warning_list_query_count_pinned(client, world, personas, django_assert_num_queries):
    from tests.factories import CadreFactory

    def add(n, quarter):
        for _ in range(n):
            checkup_record(
                CadreFactory(unit=world.township_a1),
                actor=personas.admin,
                year=2024,
                quarter=quarter,
                held_on=dt.date(2024, 3, 28),
                inputs=[Input("principal", "law", "problem", "x")],
            )

    add(2, 1)
    client.force_login(personas.clerk_a)
    url = reverse("assessments:warnings")
    client.get(url)
    with django_assert_num_queries(9):
        assert len(client.get(url).context["warnings"]) == 2
    add(6, 2)
    with django_assert_num_queries(9):
        assert len(client.get(url).context["warnings"]) == 8
