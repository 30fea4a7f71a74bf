from django.contrib import admin

from .models import ExceptionalRequest, IncidentMatter, PromotionPolicy, Proposal


@admin.register(PromotionPolicy)
class PromotionPolicyAdmin(admin.ModelAdmin):
    list_display = ["title", "authority", "effective_from", "status"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status == "draft")


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["cadre", "area", "year", "state", "authority"]
    list_filter = ["area", "year", "state"]
    raw_id_fields = ["cadre", "unit", "position"]
    readonly_fields = ["state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IncidentMatter)
class IncidentMatterAdmin(admin.ModelAdmin):
    raw_id_fields = ["incident", "matter"]


@admin.register(ExceptionalRequest)
class ExceptionalRequestAdmin(admin.ModelAdmin):
    """Read-only: requests change only through promotions.exceptional."""

    list_display = ["cadre", "target_title", "situation", "state", "authority", "created_at"]
    list_filter = ["state", "situation"]
    raw_id_fields = ["cadre", "unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
