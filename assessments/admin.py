"""Admin: quota policies are edited here; evidence is browsed (writes go through services
in the pages and imports, which audit them)."""

from django.contrib import admin

from . import models


@admin.register(models.QuotaPolicy)
class QuotaPolicyAdmin(admin.ModelAdmin):
    list_display = ("unit_kind", "from_year", "share", "rounding", "basis")
    list_filter = ("unit_kind", "rounding")


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
