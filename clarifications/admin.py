"""Read-only admin. The informant's identity is not shown here at all (see permissions)."""

from django.contrib import admin

from .models import CaseFilingCitation, Clarification, Petition, PreventionFiling


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Petition)
class PetitionAdmin(ReadOnly):
    list_display = ("reference", "authority", "received_on", "channel", "outcome", "state")
    list_filter = ("outcome", "state", "channel")
    exclude = ("informant_name", "informant_contact")


@admin.register(Clarification)
class ClarificationAdmin(ReadOnly):
    list_display = ("petition", "method", "held_on", "scope")


@admin.register(PreventionFiling)
class PreventionFilingAdmin(ReadOnly):
    list_display = ("measure", "authority", "unit", "filed_on", "approving_body")


@admin.register(CaseFilingCitation)
class CaseFilingCitationAdmin(ReadOnly):
    list_display = ("case", "filing", "cited_by", "cited_at")
