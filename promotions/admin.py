from django.contrib import admin

from core.admin_audit import AuditedAdmin

from .models import (
    BonusAllocation,
    Commendation,
    ExceptionalRequest,
    IncidentMatter,
    PromotionPolicy,
    Proposal,
)


@admin.register(PromotionPolicy)
class PromotionPolicyAdmin(AuditedAdmin):
    list_display = ["title", "authority", "effective_from", "status"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status == "draft")


@admin.register(Proposal)
class ProposalAdmin(AuditedAdmin):
    list_display = ["cadre", "area", "year", "state", "authority"]
    list_filter = ["area", "year", "state"]
    raw_id_fields = ["cadre", "unit", "position"]
    readonly_fields = ["state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IncidentMatter)
class IncidentMatterAdmin(AuditedAdmin):
    raw_id_fields = ["incident", "matter"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only through the services (which audit); the admin only reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExceptionalRequest)
class ExceptionalRequestAdmin(ReadOnlyAdmin):
    """Requests change only through promotions.exceptional."""

    list_display = ["cadre", "target_title", "situation", "state", "authority", "created_at"]
    list_filter = ["state", "situation"]
    raw_id_fields = ["cadre", "unit"]


@admin.register(BonusAllocation)
class BonusAllocationAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "cadre", "amount", "created_at"]
    list_filter = ["year"]
    raw_id_fields = ["unit", "cadre", "policy", "created_by"]


@admin.register(Commendation)
class CommendationAdmin(ReadOnlyAdmin):
    list_display = ["year", "kind", "cadre", "team_name", "unit", "granted_by"]
    list_filter = ["year", "kind"]
    raw_id_fields = ["cadre", "unit", "authority", "created_by"]
