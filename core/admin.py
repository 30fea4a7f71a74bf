import datetime as dt

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import audit
from .admin_audit import AuditedAdmin
from .models import ApiToken, AuditEvent, CalendarYear, DocumentSequence, IssuedDocument, User
from .signals import calendar_changed
from .workdays import library_schedules, parse_date_lines

ROLE_FIELDS = ("groups", "is_superuser", "is_staff", "is_active")
JURISDICTION_FIELDS = ("authorities", "unit", "cadre")


def _group_names(ids) -> list[str]:
    return sorted(Group.objects.filter(pk__in=ids).values_list("name", flat=True))


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    """Users: every change audited; a change of roles or of jurisdiction is also its own
    audit row (user.roles.change, user.jurisdiction.change), since these decide who sees
    what."""

    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Scope"), {"fields": ("full_name", "authorities", "unit", "cadre")}),
    )
    filter_horizontal = ("groups", "user_permissions", "authorities")
    raw_id_fields = ("unit", "cadre")
    list_display = ("username", "full_name", "is_active", "is_superuser")
    audit_exclude = frozenset({"last_login", "date_joined"})

    def audit_related_changes(self, request, obj, before, after):
        roles = [name for name in ROLE_FIELDS if name in after]
        if roles:
            old = {name: before.get(name) for name in roles}
            new = {name: after[name] for name in roles}
            if "groups" in new:
                old["groups"] = _group_names(old["groups"] or [])
                new["groups"] = _group_names(new["groups"])
            audit.record("user.roles.change", actor=request.user, obj=obj, before=old, after=new)
        scope = [name for name in JURISDICTION_FIELDS if name in after]
        if scope:
            audit.record(
                "user.jurisdiction.change",
                actor=request.user,
                obj=obj,
                before={name: before.get(name) for name in scope},
                after={name: after[name] for name in scope},
            )

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, admin.utils.unquote(id))
            audit.record(
                "core.user.password_set",
                actor=request.user,
                obj=user,
                after={"password": "changed"},
            )
        return response


admin.site.unregister(Group)
for _model, _base in (
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
):
    # Deleting a lockout unlocks a login: audited like every other admin write.
    admin.site.unregister(_model)
    admin.site.register(_model, type(_base.__name__, (AuditedAdmin, _base), {}))


@admin.register(Group)
class GroupAdmin(AuditedAdmin, BaseGroupAdmin):
    """Role groups and their permissions: every change audited."""


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log cannot be added to, changed or deleted by hand."""

    list_display = ("at", "actor_repr", "action", "object_repr", "ip")
    list_filter = ("action",)
    search_fields = ("action", "actor_repr", "object_repr")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DateLinesField(forms.CharField):
    """A list of ISO date strings, edited as one date per line."""

    widget = forms.Textarea(attrs={"rows": 12, "cols": 16})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        dates, errors = parse_date_lines(super().to_python(value))
        if errors:
            raise ValidationError(errors)
        return [day.isoformat() for day in dates]


class CalendarYearForm(forms.ModelForm):
    holidays = DateLinesField(
        label=_("holidays"),
        required=False,
        help_text=_(
            "One date per line in the form YYYY-MM-DD, e.g. 2027-01-01. List every day off, "
            "including holiday days that fall on a Saturday or Sunday."
        ),
    )
    adjusted_workdays = DateLinesField(
        label=_("adjusted working days"),
        required=False,
        help_text=_(
            "One date per line in the form YYYY-MM-DD, e.g. 2027-02-20. Only the Saturdays "
            "and Sundays that are worked (调休上班); ordinary weekdays need not be listed."
        ),
    )

    class Meta:
        model = CalendarYear
        fields = ["year", "document_ref", "holidays", "adjusted_workdays", "published"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        built_in = library_schedules()
        self.fields["year"].help_text = _(
            "Built-in data covers %(first)d to %(last)d; enter later years here. A published "
            "entry replaces the built-in data for its year."
        ) % {"first": built_in[0].year, "last": built_in[-1].year}


def _weekday_name(value) -> str:
    try:
        return str(WEEKDAYS[dt.date.fromisoformat(value).weekday()])
    except (TypeError, ValueError):
        return "?"


def _calendar_year_snapshot(obj: CalendarYear) -> dict:
    return {
        "year": obj.year,
        "document_ref": obj.document_ref,
        "holidays": list(obj.holidays),
        "adjusted_workdays": list(obj.adjusted_workdays),
        "published": obj.published,
    }


def _announce_calendar_change(
    actor, obj: CalendarYear, action: str, years: frozenset[int] = frozenset()
) -> None:
    """Let the apps that count working days recompute what the change affects (same
    transaction: the admin saves atomically)."""
    cause = {
        "calendar_year.create": gettext("Holiday schedule of %(year)d entered (%(ref)s)"),
        "calendar_year.update": gettext("Holiday schedule of %(year)d corrected (%(ref)s)"),
        "calendar_year.delete": gettext("Holiday schedule of %(year)d deleted (%(ref)s)"),
    }[action] % {"year": obj.year, "ref": obj.document_ref or "—"}
    calendar_changed.send(CalendarYear, actor=actor, years=years | {obj.year}, cause=cause)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Administrators enter each year's State Council holiday notice; every change is audited."""

    audits_writes = True  # calendar_year.create/update/delete below

    form = CalendarYearForm
    list_display = (
        "year",
        "published",
        "document_ref",
        "holiday_count",
        "workday_count",
        "entered_by",
        "entered_at",
    )
    list_filter = ("published",)
    readonly_fields = ("schedule_preview", "entered_by", "entered_at")

    @admin.display(description=_("days off"))
    def holiday_count(self, obj):
        return len(obj.holidays)

    @admin.display(description=_("worked weekend days"))
    def workday_count(self, obj):
        return len(obj.adjusted_workdays)

    @admin.display(description=_("check against the notice"))
    def schedule_preview(self, obj):
        rows = sorted(
            (str(day), _weekday_name(day), kind)
            for kind, days in ((_("day off"), obj.holidays), (_("worked"), obj.adjusted_workdays))
            for day in days
        )
        if not rows:
            return "—"
        return format_html(
            "<table>{}</table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = _calendar_year_snapshot(CalendarYear.objects.get(pk=obj.pk))
        obj.entered_by = request.user
        obj.entered_at = timezone.now()
        super().save_model(request, obj, form, change)
        after = _calendar_year_snapshot(obj)
        if before is not None:
            before, after = audit.diff(before, after)
        action = "calendar_year.update" if change else "calendar_year.create"
        audit.record(action, actor=request.user, obj=obj, before=before, after=after)
        old_year = frozenset({before["year"]}) if before and "year" in before else frozenset()
        _announce_calendar_change(request.user, obj, action, old_year)

    def delete_model(self, request, obj):
        audit.record(
            "calendar_year.delete", actor=request.user, obj=obj, before=_calendar_year_snapshot(obj)
        )
        super().delete_model(request, obj)
        _announce_calendar_change(request.user, obj, "calendar_year.delete")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents are issued by core.documents.document_issue and never changed."""

    list_display = ("number", "kind", "authority", "issued_on", "title", "short_hash")
    list_filter = ("kind", "year", "authority")
    search_fields = ("number", "title", "key", "sha256")
    date_hierarchy = "issued_on"
    list_select_related = ("authority",)
    fields = (
        "number",
        "kind",
        "title",
        "authority",
        "issued_on",
        "issued_at",
        "issued_by",
        "cadre",
        "content_type",
        "object_id",
        "key",
        "filename",
        "content_type_header",
        "size",
        "sha256",
        "download",
    )
    readonly_fields = fields

    @admin.display(description=_("SHA-256"))
    def short_hash(self, obj):
        return f"{obj.sha256[:12]}…"

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("documents:download", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.filename)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentSequence)
class DocumentSequenceAdmin(admin.ModelAdmin):
    """Read-only: the last document number used per authority, year and series."""

    list_display = ("authority", "year", "series", "last_number")
    list_filter = ("year", "authority")
    list_select_related = ("authority",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are issued, rotated and revoked by `manage.py issue_api_token`
    (audited); the key itself is never stored."""

    list_display = ("user", "prefix", "created_at", "expires_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username", "prefix")
    list_select_related = ("user",)
    readonly_fields = ("user", "prefix", "created_at", "expires_at", "revoked_at")
    exclude = ("digest",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
