"""List tools (core.listing): sortable headers that keep the filters, the page query, and
the audited Excel export of a list's rows."""

from __future__ import annotations

import datetime as dt
import io

import django_filters
import openpyxl
import pytest
from django.db.models import F
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import gettext_lazy as _l

from core.listing import (
    KEPT_FIELDS_MAX,
    KeyedChoiceFilter,
    LeanFilterSet,
    ModelChoiceFilter,
    Sorting,
    _kept_fields,
    _reverse,
    audited_export,
    form_fields,
    header_cells,
    options_html,
    page_query,
    per_language,
    pk_url,
    sort_th,
    xlsx_response,
)
from core.models import AuditEvent

SORTING = Sorting(
    columns={"number": ("Case", ("id",)), "due": ("Due", (F("due_on").asc(nulls_last=True), "id"))},
    default="due",
)


def test_sorting_headers_keep_filters_and_drop_the_page():
    headers = SORTING.headers(QueryDict("state=open&page=3&sort=number"))
    assert headers["number"] == {
        "label": "Case",
        "url": "?state=open&sort=-number",
        "state": "asc",
        "aria": "ascending",
    }
    assert headers["due"]["url"] == "?state=open&sort=due"
    assert headers["due"]["state"] == ""


def test_sorting_falls_back_to_the_default_on_unknown_keys():
    assert SORTING.chosen(QueryDict("sort=-password")) == ("due", False)
    assert SORTING.order(QueryDict("sort=-number")) == ("-id",)
    descending = SORTING.order(QueryDict("sort=-due"))
    assert (descending[0].descending, descending[0].nulls_last, descending[1]) == (
        True,
        True,
        "-id",
    )


def test_sorting_by_a_column_in_descending_order_links_back_to_ascending():
    headers = SORTING.headers(QueryDict("sort=-number&cursor=abc"))
    assert headers["number"] == {
        "label": "Case",
        "url": "?sort=number",
        "state": "desc",
        "aria": "descending",
    }
    assert headers["due"] == {"label": "Due", "url": "?sort=due", "state": "", "aria": "none"}


def test_the_default_may_itself_be_descending():
    newest = Sorting(columns={"number": ("Case", ("-created", "id"))}, default="-number")
    assert newest.chosen(QueryDict("")) == ("number", True)
    assert newest.order(QueryDict("")) == ("created", "-id")
    assert newest.order(QueryDict("sort=number")) == ("-created", "id")


def test_reversing_keeps_nulls_last():
    assert _reverse("-id") == "id"
    flipped = _reverse(F("due_on").desc(nulls_last=True))
    assert (flipped.descending, flipped.nulls_last, flipped.nulls_first) == (False, True, None)


def test_page_query_drops_only_the_page_position():
    assert page_query(QueryDict("q=张&cursor=x&page=2&state=open&state=closed")) == (
        "q=%E5%BC%A0&state=open&state=closed"
    )
    assert page_query(QueryDict("")) == ""


def workbook_rows(response):
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    return sheet, [[c.value for c in row] for row in sheet.iter_rows()]


def test_xlsx_response_writes_a_header_row_then_the_rows_as_typed():
    response = xlsx_response(
        "cases.xlsx",
        "A title longer than thirty-one characters",
        ["编号", "日期", "备注"],
        iter([("1", dt.date(2026, 3, 5), None), ("=SUM(A1)", dt.date(2026, 3, 6), 7)]),
    )
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="cases.xlsx"'
    sheet, rows = workbook_rows(response)
    assert sheet.title == "A title longer than thirty-one "  # 31 characters at most
    assert rows == [
        ["编号", "日期", "备注"],
        ["1", dt.datetime(2026, 3, 5), None],
        ["=SUM(A1)", dt.datetime(2026, 3, 6), 7],
    ]
    assert sheet["A2"].data_type == "s"  # text stays text, never a formula
    assert sheet["B2"].number_format == "yyyy-mm-dd"
    assert sheet["A1"].font.b is True
    assert sheet.auto_filter.ref == "A1:C3"


def test_xlsx_response_of_no_rows_is_the_header_alone():
    sheet, rows = workbook_rows(xlsx_response("x.xlsx", "t", ["编号"], []))
    assert rows == [["编号"]]


@pytest.mark.django_db
def test_audited_export_records_the_filters_used(personas):
    request = RequestFactory().get("/", {"q": "张", "state": "", "sort": "-number"})
    request.user = personas.clerk_a
    response = audited_export(
        request,
        action="tolerance.queue.export",
        filename="queue.xlsx",
        title="案件",
        headers=["编号"],
        rows=iter([["R1"]]),
    )
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_id) == ("tolerance.queue.export", personas.clerk_a.pk)
    assert event.after == {"filters": {"q": "张", "sort": "-number"}}
    assert workbook_rows(response)[1] == [["编号"], ["R1"]]


def test_pk_url_is_the_reversed_url_of_every_pk():
    detail = pk_url("tolerance:case_detail")
    for pk in (1, 42, 2147483647, 9999999999):
        assert detail(pk) == reverse("tolerance:case_detail", args=[pk])


@pytest.mark.django_db
def test_model_choice_filter_reads_its_choices_in_one_plain_query(django_assert_num_queries):
    from cadres.models import Authority
    from tests.factories import make_authority

    second = make_authority("乙县委组织部", roots=[], levels=[])
    first = make_authority("甲县委组织部", roots=[], levels=[])

    class Choosing(django_filters.FilterSet):
        authority = ModelChoiceFilter(
            queryset=Authority.objects.order_by("pk"), empty_label="不限", field_name="authority"
        )

    field = Choosing({}, queryset=Authority.objects.none()).form.fields["authority"]
    with django_assert_num_queries(1) as captured:
        choices = [(str(value), str(label)) for value, label in field.choices]
    assert "CURSOR" not in captured.captured_queries[0]["sql"]
    assert choices == [("", "不限"), (str(second.pk), str(second)), (str(first.pk), str(first))]


class Lean(LeanFilterSet):
    name = django_filters.CharFilter(method="filter_name")
    code = django_filters.ChoiceFilter(
        choices=per_language(lambda: [("a", _l("Any")), ("b", "乙")]), empty_label=None
    )
    authority = KeyedChoiceFilter(empty_label="不限", field_name="pk")

    def __init__(self, data=None, queryset=None, *, offered=(), **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["authority"].extra["choices"] = lambda: offered

    def filter_name(self, queryset, name, value):
        return queryset.filter(name__contains=value)


@pytest.mark.django_db
def test_a_lean_filterset_has_its_own_filters_and_fields(world):
    from cadres.models import Authority

    offered = [(str(world.city_org.pk), world.city_org.name)]
    first = Lean({"name": world.city_org.name}, Authority.objects.all(), offered=offered)
    second = Lean({"authority": str(world.city_org.pk)}, Authority.objects.all(), offered=[])

    assert first.filters["name"] is not Lean.base_filters["name"]
    assert first.filters["name"].parent is first and second.filters["name"].parent is second
    assert first.filters["authority"].extra is not second.filters["authority"].extra
    assert "_field" not in Lean.base_filters["code"].__dict__
    first.form.fields["code"].widget.attrs["class"] = "x"
    assert "class" not in second.form.fields["code"].widget.attrs
    # The method is the copy's parent's; the key is checked against the choices given.
    assert set(first.qs) == {world.city_org}
    assert set(
        Lean({"authority": str(world.city_org.pk)}, Authority.objects.all(), offered=offered).qs
    ) == {world.city_org}
    assert second.errors["authority"] == ["所选项无效，请重新选择。"]
    assert list(second.qs) == list(Authority.objects.all())
    assert not Lean(None, Authority.objects.none()).form.is_bound


def test_per_language_choices_are_translated_once_per_language():
    from django.utils import translation

    calls = []

    def choices():
        calls.append(1)
        return [("a", _l("Any"))]

    made = per_language(choices)
    with translation.override("en"):
        english = made()
        assert made() is english
        assert english == (("a", "Any"),)
        assert type(english[0][1]) is str
    with translation.override("zh-hans"):
        assert made()[0][1] == str(_l("Any"))
    assert len(calls) == 2


def _template_th(header, **extra) -> str:
    from django.template.loader import render_to_string

    return render_to_string("_sort_th.html", {"h": header, **extra})


@pytest.mark.parametrize(
    "query", ["", "sort=number", 'sort=-number&q=<a>&x="1"', "sort=-due&page=2", "sort=bogus"]
)
def test_sort_th_prints_what_the_header_template_prints(query):
    headers = SORTING.headers(QueryDict(query))
    cells = header_cells(headers)

    assert set(cells) == {"number", "due"}
    for key, header in headers.items():
        assert cells[key] == sort_th(header) == _template_th(header)
    wide = header_cells(headers, {"due": 'd-none <x> "y"'})
    assert wide["number"] == cells["number"]
    assert wide["due"] == _template_th(headers["due"], extra_class='d-none <x> "y"')
    assert 'class="d-none &lt;x&gt; &quot;y&quot;"' in wide["due"]


def test_sort_th_escapes_the_label():
    header = {
        "label": _l("<b>Case</b>"),
        "url": "?sort=a&b=1",
        "state": "desc",
        "aria": "descending",
    }

    assert sort_th(header) == _template_th(header)
    assert "&lt;b&gt;Case&lt;/b&gt;" in sort_th(header) and "?sort=a&amp;b=1" in sort_th(header)


def test_options_html_prints_what_the_template_loop_prints():
    from django.template import Context, Template

    loop = Template(
        '{% for value, label in choices %}<option value="{{ value }}"{% if value == chosen %}'
        " selected{% endif %}>{{ label }}</option>{% endfor %}"
    )
    choices = [("a", "甲"), ("b&", "<乙>"), ("c", _l("Any"))]
    for chosen in ("", "a", "b&", "zz"):
        expected = loop.render(Context({"choices": choices, "chosen": chosen}))
        assert options_html(choices, chosen) == expected
    assert options_html([], "a") == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [{}, {"name": "<甲>"}, {"code": "b"}, {"code": "nope"}, {"authority": "1"}, {"authority": "x"}],
)
def test_form_fields_are_the_form_fields_as_django_renders_them(data):
    from django.utils import translation

    from cadres.models import Authority

    offered = [("1", "甲县"), ("2", "<乙县>")]
    for language in ("en", "zh-hans"):
        with translation.override(language):
            _kept_fields.clear()
            fresh = Lean(data, Authority.objects.all(), offered=offered)
            kept = form_fields(fresh, choices=tuple(offered))
            again = form_fields(
                Lean(data, Authority.objects.all(), offered=offered), choices=tuple(offered)
            )
            form = Lean(data, Authority.objects.all(), offered=offered).form
            assert again is kept
            assert set(kept) == {"name", "code", "authority"}
            for name in kept:
                assert kept[name] == {
                    "widget": str(form[name]),
                    "label": str(form[name].label),
                    "id": form[name].id_for_label,
                }


@pytest.mark.django_db
def test_form_fields_are_kept_apart_by_language_data_and_choices():
    from django.utils import translation

    from cadres.models import Authority

    _kept_fields.clear()
    offered = [("1", "甲县")]
    with translation.override("en"):
        english = form_fields(Lean({}, Authority.objects.all(), offered=offered), choices=("x",))
        other_data = form_fields(
            Lean({"code": "b"}, Authority.objects.all(), offered=offered), choices=("x",)
        )
        other_choices = form_fields(Lean({}, Authority.objects.all(), offered=[]), choices=("y",))
    with translation.override("zh-hans"):
        chinese = form_fields(Lean({}, Authority.objects.all(), offered=offered), choices=("x",))

    assert len({id(english), id(other_data), id(other_choices), id(chinese)}) == 4
    assert '<option value="a">Any</option>' in english["code"]["widget"]
    assert '<option value="b" selected>乙</option>' in other_data["code"]["widget"]
    assert ">Any<" not in chinese["code"]["widget"]
    assert '<option value="1">甲县</option>' not in other_choices["authority"]["widget"]
    assert len(_kept_fields) == 4


@pytest.mark.django_db
def test_form_fields_keep_at_most_so_many_forms_and_render_unhashable_data():
    from cadres.models import Authority

    _kept_fields.clear()
    for number in range(KEPT_FIELDS_MAX + 1):
        form_fields(Lean({"name": str(number)}, Authority.objects.all()))
    assert len(_kept_fields) == 1

    listed = form_fields(Lean({"name": ["a", "b"]}, Authority.objects.all()))
    assert listed["name"]["widget"].startswith('<input type="text" name="name"')
    assert len(_kept_fields) == 1
