"""Entry forms of tracking and feedback: monthly reports once per cadre and month, feedback
to a team or a cadre, the check-up's 5 × 5 grid, resolving a warning."""

import datetime as dt

import pytest

from assessments.entry.forms_tracking import (
    RATING_CHOICES,
    CheckupForm,
    FeedbackForm,
    MonthlyForm,
    ResolveForm,
)
from assessments.enums import CheckupSource, Dimension, Rating
from assessments.models import CheckupWarning, MonthlyReport
from assessments.rules import CheckupInput
from assessments.services.tracking import monthly_report_save

pytestmark = pytest.mark.django_db


def test_a_monthly_report_is_entered_by_month(world, personas):
    form = MonthlyForm(personas.hr_a1, {"cadre": world.cadre_a1.pk, "month": "2024-05",
                                        "items_done": "完成征收 12 户"})

    assert [c.name for c in form.fields["cadre"].queryset] == ["张三"]
    assert form.is_valid(), form.errors
    report = form.save_or_errors(personas.hr_a1)
    assert (report.cadre, report.month, report.items_done) == (
        world.cadre_a1, dt.date(2024, 5, 1), "完成征收 12 户"
    )
    assert not MonthlyForm(personas.hr_a1, {"cadre": world.cadre_a1.pk, "month": "2024-05-03",
                                            "items_done": "x"}).is_valid()


def test_a_second_report_for_the_month_is_refused_but_the_first_may_be_edited(
    world, personas
):
    report = monthly_report_save(world.cadre_a1, actor=personas.hr_a1,
                                 month=dt.date(2024, 5, 1), items_done="旧")
    data = {"cadre": world.cadre_a1.pk, "month": "2024-05", "items_done": "新"}

    again = MonthlyForm(personas.hr_a1, data)
    assert not again.is_valid()
    assert again.non_field_errors() == ["张三 2024-05 的月度报告已存在；请打开该报告修改。"]

    edit = MonthlyForm(personas.hr_a1, data, instance=report)
    assert edit.fields["cadre"].disabled and edit.fields["month"].disabled
    assert edit.is_valid(), edit.errors
    edit.save_or_errors(personas.hr_a1)
    assert MonthlyReport.objects.get().items_done == "新"


def test_feedback_goes_to_a_team_a_cadre_or_both(world, personas):
    values = {"year": "2024", "tier": "org_to_team", "given_by": "县委组织部",
              "given_on": "2025-01-20"}

    nobody = FeedbackForm(personas.clerk_a, values)
    assert not nobody.is_valid()
    assert nobody.non_field_errors() == ["请填写班子所在单位或干部，至少一项。"]
    for extra in ({"to_unit": world.township_a1.pk}, {"to_cadre": world.cadre_a1.pk},
                  {"to_unit": world.township_a1.pk, "to_cadre": world.cadre_a1.pk}):
        assert FeedbackForm(personas.clerk_a, {**values, **extra}).is_valid(), extra


def test_a_field_error_is_not_doubled_by_the_recipient_check(world, personas):
    form = FeedbackForm(personas.clerk_a, {"year": "2024", "tier": "nobody"})

    assert not form.is_valid()
    assert form.non_field_errors() == []
    assert set(form.errors) == {"tier", "given_by", "given_on"}


def test_the_checkup_grid_has_a_rating_and_a_note_per_source_and_dimension(world, personas):
    form = CheckupForm(personas.clerk_a)

    grid = form.grid()
    assert [str(label) for label, _row in grid] == [str(label) for _v, label in
                                                    CheckupSource.choices]
    assert all(len(row) == len(Dimension.values) for _label, row in grid)
    rating = form.fields["rating-principal-political"]
    assert (rating.choices, rating.initial, rating.required) == (RATING_CHOICES, Rating.OK, False)
    assert len([n for n in form.fields if n.startswith(("rating-", "note-"))]) == 50


def test_only_rated_cells_become_inputs_and_at_least_one_is_needed(world, personas):
    header = {"cadre": world.cadre_a1.pk, "year": "2024", "quarter": "2",
              "held_on": "2024-06-30"}

    empty = CheckupForm(personas.clerk_a, header)
    assert not empty.is_valid()
    assert empty.non_field_errors() == ["请至少记录一项体检结果。"]

    rated = CheckupForm(personas.clerk_a, {
        **header, "rating-principal-law": "problem", "note-principal-law": "违规",
        "rating-peers_public-moral": "ok", "note-organization-conduct": "无评级的备注",
    })
    assert rated.is_valid(), rated.errors
    assert rated.inputs() == [
        CheckupInput("principal", "law", "problem", "违规"),
        CheckupInput("peers_public", "moral", "ok", ""),
    ]
    checkup = rated.save_or_errors(personas.clerk_a)
    assert (checkup.year, checkup.quarter) == (2024, 2)
    assert CheckupWarning.objects.get().dimension == "law"


def test_resolving_a_warning_starts_empty_and_calls_the_service(world, personas):
    warning = CheckupWarning.objects.create(cadre=world.cadre_a1, dimension="law",
                                            raised_on=dt.date(2024, 6, 30), reason="违规")

    form = ResolveForm(personas.clerk_a, {"resolved_on": "2024-08-01",
                                          "resolution": "已整改"}, instance=warning)

    assert ResolveForm(personas.clerk_a, instance=warning).initial == {}
    assert form.is_valid(), form.errors
    form.save_or_errors(personas.clerk_a)
    warning.refresh_from_db()
    assert (warning.resolved_on, warning.resolution) == (dt.date(2024, 8, 1), "已整改")
