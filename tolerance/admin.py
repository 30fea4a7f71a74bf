"""Administration of tolerance policy versions; read-only views of cases and what hangs off them.

Policy versions: administrators edit drafts (the content as JSON, checked with
policy_data.policy_from_data), publish them with the `publish` action and start a new draft
from any version. Published versions are read-only: no change, no delete. Every change goes
through tolerance.policies, which audits it.

Cases, matters, appeals and remedial measures are shown read-only: they change only through
the workflow services (tolerance.workflow and friends), which check permissions and audit.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import audit
from core.admin_audit import AuditedAdmin, snapshot

from .committee import seat_problem
from .errors import CaseError
from .models import (
    AccountabilityMatter,
    Appeal,
    Case,
    CaseCadre,
    CommitteeMember,
    Extension,
    PolicyVersion,
    Remedy,
)
from .policies import (
    DELIBERATION_FIELDS,
    EDITABLE_FIELDS,
    policy_draft_from,
    policy_error_message,
    policy_version_create,
    policy_version_publish,
    policy_version_update,
)
from .policy_data import policy_from_data


class PolicyContentField(forms.JSONField):
    """JSON in a large textarea, pretty-printed with Chinese text left readable."""

    widget = forms.Textarea(
        attrs={"rows": 40, "cols": 120, "spellcheck": "false", "style": "font-family: monospace"}
    )

    def prepare_value(self, value):
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)


class PolicyVersionForm(forms.ModelForm):
    content = PolicyContentField(
        label=_lazy("content"),
        help_text=_lazy(
            "The whole policy as JSON: situations, distinctions, conditions, exclusions and "
            "the procedure numbers (working days, quorum, majority, publication scopes). The "
            "code of the version is taken from the “code” entry."
        ),
    )

    class Meta:
        model = PolicyVersion
        fields = [
            "jurisdiction_code",
            "jurisdiction_name",
            "title",
            "issuer",
            "label",
            "effective_from",
            "note",
            "content",
            *DELIBERATION_FIELDS,
        ]
        widgets = {"title": forms.TextInput(attrs={"style": "width: 40em"})}

    def clean_content(self):
        content = self.cleaned_data["content"]
        try:
            policy_from_data(content)
        except ValueError as exc:
            raise ValidationError(policy_error_message(exc), code="policy") from exc
        return content

    def _post_clean(self):
        # With invalid content the model's own check would repeat the error in English.
        if self.has_error("content"):
            return
        super()._post_clean()


def _pretty_json(value) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, ensure_ascii=False, indent=2))


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    # Saves go through tolerance.policies (audited there); deletions are audited below.
    audits_writes = True
    form = PolicyVersionForm
    list_display = ("jurisdiction", "code", "title", "label", "effective_from", "status")
    list_filter = ("status", "jurisdiction_name")
    search_fields = ("code", "title", "jurisdiction_name", "jurisdiction_code")
    ordering = ("jurisdiction_code", "-effective_from", "-id")
    actions = ["publish", "new_draft"]
    draft_readonly = ("code", "status", "created_at", "impact_link")
    published_fields = (
        "jurisdiction_code",
        "jurisdiction_name",
        "code",
        "title",
        "issuer",
        "label",
        "effective_from",
        "status",
        "note",
        *DELIBERATION_FIELDS,
        "published_at",
        "published_by",
        "created_at",
        "content_pretty",
    )

    @admin.display(description=_lazy("jurisdiction"), ordering="jurisdiction_code")
    def jurisdiction(self, obj):
        if not obj.jurisdiction_code:
            return _("Every jurisdiction without a version of its own")
        return f"{obj.jurisdiction_name}（{obj.jurisdiction_code}）"

    @admin.display(description=_lazy("content"))
    def content_pretty(self, obj):
        return _pretty_json(obj.content)

    @admin.display(description=_lazy("impact before publishing"))
    def impact_link(self, obj):
        if obj is None or obj.pk is None or obj.is_published:
            return "—"
        url = reverse("admin:tolerance_policyversion_impact", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a>',
            url,
            _("What this draft would change on the jurisdiction's decided cases"),
        )

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "<int:pk>/impact/",
                self.admin_site.admin_view(self.impact_view),
                name="tolerance_policyversion_impact",
            ),
            *super().get_urls(),
        ]

    def impact_view(self, request, pk: int):
        """Read-only: the draft against the version in force (tolerance.impact)."""
        import time

        from django.http import Http404
        from django.template.response import TemplateResponse

        from .impact_load import draft_impact

        if not self.has_view_permission(request):
            raise Http404
        draft = PolicyVersion.objects.filter(pk=pk).first()
        if draft is None:
            raise Http404
        started = time.perf_counter()
        current, impact = draft_impact(draft, timezone.localdate())
        elapsed = time.perf_counter() - started
        audit.record(
            "tolerance.policy.impact",
            actor=request.user,
            obj=draft,
            after={"examined": impact.examined, "changed": len(impact.changes)},
        )
        return TemplateResponse(
            request,
            "admin/tolerance/policyversion/impact.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Impact before publishing"),
                "draft": draft,
                "current": current,
                "impact": impact,
                "elapsed_ms": round(elapsed * 1000),
            },
        )

    def get_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return self.published_fields
        head = ["jurisdiction_code", "jurisdiction_name", "title", "issuer", "label"]
        if obj is None:
            return [*head, "effective_from", "note", "content"]
        return [
            *head,
            "code",
            "effective_from",
            "status",
            "impact_link",
            "note",
            "content",
            *DELIBERATION_FIELDS,
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_published:
            return self.published_fields
        return self.draft_readonly if obj is not None else ()

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        audit.record(
            "tolerance.policy_version.delete",
            actor=request.user,
            obj=obj,
            before=snapshot(obj),
        )
        super().delete_model(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # A bulk delete would not ask each version whether it is published.
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            values = {name: data[name] for name in form.changed_data if name in EDITABLE_FIELDS}
            saved = policy_version_update(obj, actor=request.user, **values)
        else:
            saved = policy_version_create(
                policy_from_data(data["content"]),
                actor=request.user,
                title=data["title"],
                effective_from=data["effective_from"],
                jurisdiction_code=data["jurisdiction_code"],
                jurisdiction_name=data["jurisdiction_name"],
                issuer=data["issuer"],
                label=data["label"],
                note=data["note"],
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    @admin.action(description=_lazy("Publish the selected drafts"), permissions=["change"])
    def publish(self, request, queryset):
        for version in queryset.order_by("effective_from", "pk"):
            try:
                policy_version_publish(version, actor=request.user)
            except CaseError as exc:
                self.message_user(
                    request,
                    _("%(version)s was not published: %(reason)s")
                    % {"version": version, "reason": exc.message},
                    messages.ERROR,
                )
            else:
                self.message_user(request, _("%(version)s was published.") % {"version": version})

    @admin.action(description=_lazy("New draft from this version"), permissions=["add"])
    def new_draft(self, request, queryset):
        drafts = [
            policy_draft_from(version, actor=request.user, effective_from=timezone.localdate())
            for version in queryset.order_by("pk")
        ]
        self.message_user(
            request,
            _(
                "New drafts: %(titles)s. Set the date they take effect, edit the content, "
                "then publish."
            )
            % {"titles": ", ".join(str(d) for d in drafts)},
        )
        if len(drafts) == 1:
            url = reverse("admin:tolerance_policyversion_change", args=[drafts[0].pk])
            return HttpResponseRedirect(url)
        return None


# --- read-only views -----------------------------------------------------------------------


class ReadOnlyMixin:
    """Shown to administrators; changed only through the services, which audit."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EntryInline(ReadOnlyMixin, admin.TabularInline):
    model = CaseCadre
    fields = ("cadre", "outcome", "advice_at_decision", "departs_from_advice", "decided_at")
    readonly_fields = fields
    extra = 0
    show_change_link = False


class ExtensionInline(ReadOnlyMixin, admin.TabularInline):
    model = Extension
    fields = (
        "stage",
        "previous_due_on",
        "new_due_on",
        "working_days",
        "reason",
        "granted_by",
        "granted_at",
    )
    readonly_fields = fields
    extra = 0


class RemedyInline(ReadOnlyMixin, admin.TabularInline):
    model = Remedy
    fields = ("measure", "owner", "due_on", "status", "overdue_notified_on")
    readonly_fields = fields
    extra = 0


@admin.register(Case)
class CaseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "reference",
        "authority",
        "state",
        "due_stage",
        "due_on",
        "policy_version",
        "created_at",
    )
    list_filter = ("state", "due_stage", "authority")
    list_select_related = ("authority", "policy_version")
    search_fields = ("matter__title",)
    date_hierarchy = "created_at"
    inlines = [EntryInline, ExtensionInline, RemedyInline]

    @admin.display(description=_lazy("reference"), ordering="pk")
    def reference(self, obj):
        return obj.reference


@admin.register(AccountabilityMatter)
class AccountabilityMatterAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("title", "occurred_on", "action", "action_by", "document_ref")
    search_fields = ("title", "document_ref")
    date_hierarchy = "occurred_on"


@admin.register(Appeal)
class AppealAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "case", "filed_at", "state", "reviewer", "original_outcome")
    list_filter = ("state",)
    list_select_related = ("entry__case", "reviewer")

    @admin.display(description=_lazy("case"), ordering="entry__case")
    def case(self, obj):
        return obj.entry.case


@admin.register(Remedy)
class RemedyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("measure_short", "case", "owner", "due_on", "status", "overdue_notified_on")
    list_filter = ("status",)
    list_select_related = ("case",)
    date_hierarchy = "due_on"

    @admin.display(description=_lazy("measure"))
    def measure_short(self, obj):
        return str(obj)


# --- the committee roster -------------------------------------------------------------------


class CommitteeMemberForm(forms.ModelForm):
    class Meta:
        model = CommitteeMember
        fields = ("authority", "user", "title", "active")

    def clean(self):
        data = super().clean()
        user, authority = data.get("user"), data.get("authority")
        if user is not None and authority is not None:
            problem = seat_problem(user, authority)
            if problem:
                self.add_error("user", problem)
        return data


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(AuditedAdmin):
    """Each authority's committee roster; every change is audited (AuditedAdmin). A seat
    that has sat in meetings is ended (untick "sits on the committee") rather than deleted."""

    form = CommitteeMemberForm
    list_display = ("user", "title", "authority", "active", "added_at")
    list_filter = ("authority", "active")
    search_fields = ("user__username", "user__full_name", "title")
    list_select_related = ("user", "authority")
