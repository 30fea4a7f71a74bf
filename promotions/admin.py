from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.admin_audit import AuditedAdmin
from core.errors import ActionRefused
from core.policy_admin import JurisdictionActionForm, jurisdiction_named

from .models import (
    BonusAllocation,
    Commendation,
    ExceptionalRequest,
    IncidentMatter,
    PromotionPolicy,
    Proposal,
)
from .policy_versions import promotion_policy_copy, promotion_policy_publish


@admin.register(PromotionPolicy)
class PromotionPolicyAdmin(AuditedAdmin):
    list_display = ["title", "jurisdiction_name", "label", "effective_from", "status"]
    list_filter = ["status", "jurisdiction_name"]
    action_form = JurisdictionActionForm
    actions = ["copy_as_draft", "publish"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status == "draft")

    @admin.action(
        description=_lazy("Draft a copy (for the jurisdiction given below)"), permissions=["add"]
    )
    def copy_as_draft(self, request, queryset):
        code = (request.POST.get("jurisdiction_code") or "").strip()
        target = jurisdiction_named(code) if code else None
        if code and target is None:
            self.message_user(
                request, _("No unit has the code %(code)s.") % {"code": code}, messages.ERROR
            )
            return None
        made = [
            promotion_policy_copy(version, actor=request.user, jurisdiction=target)
            for version in queryset.order_by("pk")
        ]
        self.message_user(
            request,
            _("New drafts: %(titles)s. Edit them, then publish.")
            % {"titles": "、".join(str(d) for d in made)},
        )
        return None

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "<int:pk>/impact/",
                self.admin_site.admin_view(self.impact_view),
                name="promotions_promotionpolicy_impact",
            ),
            *super().get_urls(),
        ]

    def impact_view(self, request, pk: int):
        """Read-only: the last scan's findings under the draft (promotions.impact)."""
        import time

        from django.http import Http404
        from django.template.response import TemplateResponse
        from django.utils import timezone

        from core import audit

        from .impact import draft_scan_impact

        draft = PromotionPolicy.objects.filter(pk=pk).first()
        if draft is None or not self.has_view_permission(request, draft):
            raise Http404
        started = time.perf_counter()
        impact = draft_scan_impact(draft, timezone.localdate())
        elapsed = time.perf_counter() - started
        audit.record(
            "promotions.policy.impact", actor=request.user, obj=draft,
            after={"year": impact.year, "added": len(impact.added),
                   "dropped": len(impact.dropped)},
        )
        return TemplateResponse(request, "admin/promotions/promotionpolicy/impact.html", {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Impact before publishing"),
            "draft": draft,
            "impact": impact,
            "elapsed_ms": round(elapsed * 1000),
        })

    @admin.action(description=_lazy("Publish the selected drafts"), permissions=["change"])
    def publish(self, request, queryset):
        for version in queryset.order_by("effective_from", "pk"):
            try:
                promotion_policy_publish(version, actor=request.user)
            except ActionRefused as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("%(version)s was published.") % {"version": version})


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
