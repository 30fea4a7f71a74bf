from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import (
    Authority,
    Cadre,
    ComparisonCategory,
    ListMembership,
    PositionRecord,
    TalentList,
    Unit,
)


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    form = movenodeform_factory(Unit)
    list_display = ("name", "code", "kind", "category")
    search_fields = ("name", "code")
    list_filter = ("kind", "category")


@admin.register(ComparisonCategory)
class ComparisonCategoryAdmin(admin.ModelAdmin):
    list_display = ("name",)


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind")
    filter_horizontal = ("root_units",)


@admin.register(TalentList)
class TalentListAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind")


class PositionInline(admin.TabularInline):
    model = PositionRecord
    extra = 0
    raw_id_fields = ("unit",)


class MembershipInline(admin.TabularInline):
    model = ListMembership
    extra = 0


@admin.register(Cadre)
class CadreAdmin(GuardedModelAdmin):
    """Reference view for administrators; everyday edits go through the app's services."""

    list_display = ("name", "unit", "position", "rank", "management_level", "status")
    list_filter = ("management_level", "status", "rank")
    search_fields = ("name", "name_initials", "name_pinyin")
    raw_id_fields = ("unit",)
    exclude = ("national_id",)
    readonly_fields = ("masked_national_id",)
    inlines = [PositionInline, MembershipInline]
    list_select_related = ("unit",)
