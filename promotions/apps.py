from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "promotions"
    verbose_name = _("Promotions")

    def ready(self):
        from core.notifications import register_notification_kinds, register_notification_targets

        from .notification_kinds import KINDS, TARGETS

        register_notification_kinds(*KINDS)
        register_notification_targets(*TARGETS)
        from cadres.lrmx.sources import register
        from core.document_access import register_document_access
        from core.models import DocumentKind
        from core.policies import register_policy_kind

        from .incentives.lrmx import commendation_lines
        from .proposals.permissions import (
            can_read_document,
            readable_document_paths,
            readable_documents_q,
        )

        register_policy_kind(
            "promotions", "promotions.PromotionPolicy", _("up/down and incentive measure")
        )
        register_document_access(
            (DocumentKind.ADJUSTMENT_PROPOSAL, DocumentKind.ADJUSTMENT_DECISION),
            check=can_read_document,
            readable=readable_documents_q,
            paths=readable_document_paths,
        )
        from core.drafts import register_draft_source

        from .exceptional import documents as exceptional_documents
        from .proposals import documents as proposal_documents

        register_document_access(
            (DocumentKind.EXCEPTIONAL_PROMOTION,),
            check=exceptional_documents.can_read_exceptional,
            readable=exceptional_documents.readable_exceptional_q,
            paths=exceptional_documents.readable_exceptional_paths,
        )
        register_draft_source(
            DocumentKind.EXCEPTIONAL_PROMOTION, exceptional_documents.DRAFT_SOURCE
        )
        for kind in proposal_documents.DRAFT_KINDS:
            register_draft_source(kind, proposal_documents.DRAFT_SOURCE)

        register("JiangChengQingKuang", commendation_lines)

        from cadres.placement import register_placement_copy

        from .incentives.placement import refresh_commendations

        register_placement_copy("promotions.commendation", refresh_commendations)

        from core.audit_display import ACTION_LABELS

        ACTION_LABELS.update({
            "promotions.policy.copy": _("Up/down measure copied as a draft"),
            "promotions.policy.publish": _("Up/down measure published"),
            "promotions.policy.impact": _("Up/down measure draft impact viewed"),
        })
