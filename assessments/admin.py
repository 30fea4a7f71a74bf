"""Admin: quota policies and detection thresholds are edited here, every change audited;
evidence is browsed (writes go through services in the pages and imports, which audit)."""

from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import audit
from core.policy_admin import JurisdictionActionForm, jurisdiction_named

from . import models
from .policies import policy_snapshot


class AuditedPolicyAdmin(admin.ModelAdmin):
    """Policy rows: creating, changing and deleting each writes an audit row."""

    audits_writes = True

    audit_name = ""  # e.g. "assessment.quota_policy"

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            before = None
            if change:
                before = policy_snapshot(type(obj).objects.select_for_update().get(pk=obj.pk))
            else:
                obj.created_by = request.user
            super().save_model(request, obj, form, change)
            after = policy_snapshot(obj)
            if before is not None:
                before, after = audit.diff(before, after)
            action = f"{self.audit_name}.{'update' if change else 'create'}"
            audit.record(action, actor=request.user, obj=obj, before=before, after=after)

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record(
                f"{self.audit_name}.delete",
                actor=request.user,
                obj=obj,
                before=policy_snapshot(obj),
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(models.QuotaPolicy)
class QuotaPolicyAdmin(AuditedPolicyAdmin):
    audit_name = "assessment.quota_policy"
    action_form = JurisdictionActionForm
    actions = ["copy_to_jurisdiction", "publish"]

    def save_model(self, request, obj, form, change):
        if not change:  # a new row starts as a draft: its impact first, then publish
            obj.status = models.QuotaStatus.DRAFT
        super().save_model(request, obj, form, change)

    def has_change_permission(self, request, obj=None):
        """A published row is frozen (shown read-only): a change is a new draft (copy it),
        its impact looked at, then published in its place."""
        if obj is not None and obj.status == models.QuotaStatus.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == models.QuotaStatus.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_lazy("Publish the selected drafts"), permissions=["change"])
    def publish(self, request, queryset):
        from core.errors import ActionRefused

        from .policies import quota_policy_publish

        for row in queryset.order_by("from_year", "pk"):
            try:
                quota_policy_publish(row, actor=request.user)
            except ActionRefused as refused:
                self.message_user(request, f"{row}: {refused}", messages.ERROR)
                return
        self.message_user(request, _("Published."))

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "<int:pk>/impact/",
                self.admin_site.admin_view(self.impact_view),
                name="assessments_quotapolicy_impact",
            ),
            *super().get_urls(),
        ]

    def impact_view(self, request, pk: int):
        """Read-only: the last assessment year's quota outcomes under the draft."""
        import time

        from django.http import Http404
        from django.template.response import TemplateResponse

        from .impact import draft_quota_impact

        draft = models.QuotaPolicy.objects.filter(pk=pk).first()
        if draft is None or not self.has_view_permission(request, draft):
            raise Http404
        started = time.perf_counter()
        impact = draft_quota_impact(draft)
        elapsed = time.perf_counter() - started
        audit.record(
            "assessment.quota_policy.impact", actor=request.user, obj=draft,
            after={"year": impact.year, "units": len(impact.rows), "over": len(impact.over)},
        )
        return TemplateResponse(request, "admin/assessments/quotapolicy/impact.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Impact before publishing"),
            "draft": draft,
            "impact": impact,
            "elapsed_ms": round(elapsed * 1000),
        })

    @admin.action(
        description=_lazy("Copy the selected rows to the jurisdiction given below"),
        permissions=["add"],
    )
    def copy_to_jurisdiction(self, request, queryset):
        code = (request.POST.get("jurisdiction_code") or "").strip()
        target = jurisdiction_named(code) if code else None
        if target is None:
            self.message_user(request, _("Give the code of a unit."), messages.ERROR)
            return
        copied = 0
        with transaction.atomic():
            for row in queryset.order_by("pk"):
                if models.QuotaPolicy.objects.filter(
                    jurisdiction_code=code, unit_kind=row.unit_kind, from_year=row.from_year,
                    status=models.QuotaStatus.DRAFT,
                ).exists():
                    continue
                copy = models.QuotaPolicy.objects.create(
                    jurisdiction_code=code, jurisdiction_name=target[1],
                    unit_kind=row.unit_kind, from_year=row.from_year, share=row.share,
                    rounding=row.rounding, basis=row.basis, pool_below=row.pool_below,
                    pool_level=row.pool_level, created_by=request.user,
                    status=models.QuotaStatus.DRAFT,
                )
                audit.record(
                    f"{self.audit_name}.create", actor=request.user, obj=copy,
                    before={"copied_from": row.pk}, after=policy_snapshot(copy),
                )
                copied += 1
        self.message_user(
            request,
            _("%(count)d rows copied to %(name)s; edit their basis to cite its own measure.")
            % {"count": copied, "name": target[1]},
        )
    list_display = (
        "jurisdiction_name", "unit_kind", "from_year", "share", "rounding", "pool_below", "basis",
        "status", "impact_link",
    )

    @admin.display(description=_lazy("Impact before publishing"))
    def impact_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        if obj.status != models.QuotaStatus.DRAFT:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse(
            "admin:assessments_quotapolicy_impact", args=[obj.pk]), _("Impact"))
    list_filter = ("status", "jurisdiction_name", "unit_kind", "rounding")
    readonly_fields = ("status", "created_by")


@admin.register(models.DetectionPolicy)
class DetectionPolicyAdmin(AuditedPolicyAdmin):
    audit_name = "assessment.detection_policy"
    list_display = (
        "jurisdiction_name",
        "from_year",
        "rotation_window_years",
        "rotation_min_coverage",
        "uniform_min_years",
        "uniform_min_competent_share",
        "basis",
    )
    readonly_fields = ("created_by",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.AnnualAssessment)
class AnnualAssessmentAdmin(ReadOnlyAdmin):
    list_display = ("cadre", "year", "unit", "grade")
    list_filter = ("year", "grade")
    list_select_related = ("cadre", "unit")
    search_fields = ("cadre__name",)


@admin.register(models.Incident)
class IncidentAdmin(ReadOnlyAdmin):
    list_display = ("occurred_on", "kind", "severity", "title", "unit")
    list_filter = ("kind", "severity")
    list_select_related = ("unit",)


for model in (
    models.TeamAssessment,
    models.TargetAssessment,
    models.MonitoringRank,
    models.PovertyTarget,
    models.MonthlyReport,
    models.QuarterlyCheckup,
    models.CheckupWarning,
    models.PairedCompetition,
    models.FeedbackRecord,
):
    admin.site.register(model, ReadOnlyAdmin)
