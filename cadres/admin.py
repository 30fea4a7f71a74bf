from django import forms
from django.contrib import admin, messages
from django.core.files.base import ContentFile
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from guardian.admin import GuardedModelAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from core import audit
from core.admin_audit import AuditedAdmin
from core.formatting import mask_id_number
from core.uploads import UploadRejected, read_upload

from . import seals
from .models import (
    Authority,
    Cadre,
    ComparisonCategory,
    ListMembership,
    PositionRecord,
    TalentList,
    Unit,
)
from .placement import placement_changed


@admin.register(Unit)
class UnitAdmin(AuditedAdmin, TreeAdmin):
    form = movenodeform_factory(Unit)
    list_display = ("name", "code", "kind", "category")
    search_fields = ("name", "code")
    list_filter = ("kind", "category")
    # The tree's bookkeeping; a move is audited by its parent below.
    audit_exclude = frozenset({"path", "depth", "numchild"})

    def _snapshot(self, obj):
        values = super()._snapshot(obj)
        if obj.pk is not None and obj.path:
            values["parent"] = _parent_id(obj)
        return values

    def move_node(self, request):
        """Drag and drop in the tree: audited as a change of the unit's parent."""
        node = Unit.objects.filter(pk=request.POST.get("node") or None).first()
        before = _parent_id(node) if node else None
        response = super().move_node(request)
        if node is not None and response.status_code == 200:
            node.refresh_from_db()
            audit.record(
                "cadres.unit.update",
                actor=request.user,
                obj=node,
                before={"parent": before},
                after={"parent": _parent_id(node)},
            )
        return response


def _parent_id(unit: Unit) -> int | None:
    if unit.depth <= 1:
        return None
    return Unit.objects.filter(path=unit.path[: -Unit.steplen]).values_list("pk", flat=True).first()


@admin.register(ComparisonCategory)
class ComparisonCategoryAdmin(AuditedAdmin):
    list_display = ("name",)


class AuthorityForm(forms.ModelForm):
    """The electronic seal is checked by its content (cadres.seals) and stored under a
    name carrying its SHA-256; the audit row of the change names it."""

    class Meta:
        model = Authority
        fields = ["name", "short_name", "kind", "root_units", "management_levels", "seal"]

    def clean_seal(self):
        upload = self.cleaned_data.get("seal")
        if not upload or not hasattr(upload, "content_type"):
            return upload  # unchanged (the stored file) or cleared (False)
        try:
            data = read_upload(upload, max_bytes=seals.MAX_SEAL_BYTES)
            image = seals.check_seal_png(data)
        except UploadRejected as error:
            raise forms.ValidationError(str(error)) from None
        return ContentFile(data, name=seals.seal_filename(self.instance.pk, image))


@admin.register(Authority)
class AuthorityAdmin(AuditedAdmin):
    form = AuthorityForm
    list_display = ("name", "short_name", "kind")
    filter_horizontal = ("root_units",)


@admin.register(TalentList)
class TalentListAdmin(AuditedAdmin):
    list_display = ("name", "code", "kind")


class PositionInline(admin.TabularInline):
    model = PositionRecord
    extra = 0
    raw_id_fields = ("unit",)


class MembershipInline(admin.TabularInline):
    model = ListMembership
    extra = 0


@admin.register(Cadre)
class CadreAdmin(AuditedAdmin, GuardedModelAdmin):
    """Reference view for administrators; everyday edits go through the app's services."""

    list_display = ("name", "unit", "position", "rank", "management_level", "status")
    list_filter = ("management_level", "status", "rank")
    search_fields = ("name", "name_initials", "name_pinyin")
    raw_id_fields = ("unit",)
    exclude = ("national_id",)
    readonly_fields = ("masked_national_id",)
    inlines = [PositionInline, MembershipInline]
    list_select_related = ("unit",)
    change_list_template = "admin/cadres/cadre/change_list.html"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"unit", "management_level"} & set(form.changed_data):
            placement_changed([obj.pk])

    def get_urls(self):
        find = path(
            "find-by-id/",
            self.admin_site.admin_view(self.find_by_id),
            name="cadres_cadre_find_by_id",
        )
        return [find, *super().get_urls()]

    def find_by_id(self, request):
        """Find a cadre by ID number: POSTed, never in a URL (access logs keep URLs); the
        answer is the cadre's change page, addressed by its id. Audited."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        text = request.POST.get("national_id", "").strip().upper()
        cadre = Cadre.objects.filter(national_id=text).first() if text else None
        audit.record(
            "cadre.find_by_id",
            actor=request.user,
            obj=cadre,
            after={"national_id": mask_id_number(text), "found": cadre is not None},
        )
        if cadre is None:
            messages.error(request, _("No cadre has this national ID number."))
            return redirect("admin:cadres_cadre_changelist")
        return redirect("admin:cadres_cadre_change", cadre.pk)
