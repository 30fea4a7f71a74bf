from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Audit actions of the casework that binds (deliberation, delivery, paper dates).
AUDIT_LABELS = {
    "tolerance.case.receive": _("Date of receipt recorded"),
    "tolerance.case.deadline_recompute": _("Deadline recomputed on the holiday schedule"),
    "tolerance.policy.impact": _("Policy draft impact viewed"),
    "tolerance.delivery.record": _("Delivery of the conclusion recorded"),
    "tolerance.committee.add": _("Committee member added to the roster"),
    "tolerance.committee.update": _("Committee roster changed"),
    "tolerance.committee.remove": _("Committee member removed from the roster"),
}


class ToleranceConfig(AppConfig):
    name = "tolerance"
    verbose_name = _("Tolerance")

    def ready(self):
        from core.notifications import register_notification_kinds, register_notification_targets

        from .notification_kinds import KINDS, TARGETS

        register_notification_kinds(*KINDS)
        register_notification_targets(*TARGETS)
        from core.policies import register_policy_kind

        register_policy_kind("tolerance", "tolerance.PolicyVersion", _("tolerance measure"))
        from core.audit_display import ACTION_LABELS
        from core.document_access import register_document_access
        from core.drafts import register_draft_source

        from . import ruling_drafts
        from .permissions import (
            DOCUMENT_KINDS,
            can_read_document,
            readable_document_paths,
            readable_documents_q,
        )

        ACTION_LABELS.update(AUDIT_LABELS)

        register_document_access(
            DOCUMENT_KINDS,
            check=can_read_document,
            readable=readable_documents_q,
            paths=readable_document_paths,
        )
        for kind, source in ruling_drafts.SOURCES.items():
            register_draft_source(kind, source)

        from cadres.lrmx.sources import register

        from .lrmx import sanction_lines

        register("JiangChengQingKuang", sanction_lines, order=1)

        from core.signals import calendar_changed

        from .calendar_sync import on_calendar_changed

        calendar_changed.connect(on_calendar_changed, dispatch_uid="tolerance.deadlines")
