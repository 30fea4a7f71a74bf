from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "promotions"
    verbose_name = _("Promotions")

    def ready(self):
        from core.policies import register_policy_kind

        register_policy_kind(
            "promotions", "promotions.PromotionPolicy", _("up/down and incentive measure")
        )
        from cadres.lrmx.sources import register
        from core.documents import register_document_access
        from core.models import DocumentKind
        from promotions.proposals.permissions import can_read_document

        for kind in (DocumentKind.ADJUSTMENT_PROPOSAL, DocumentKind.ADJUSTMENT_DECISION):
            register_document_access(kind, can_read_document)
        from core.drafts import register_draft_source

        from .exceptional import documents as exceptional_documents
        from .proposals import documents as proposal_documents

        register_document_access(
            DocumentKind.EXCEPTIONAL_PROMOTION, exceptional_documents.can_read_exceptional
        )
        register_draft_source(
            DocumentKind.EXCEPTIONAL_PROMOTION, exceptional_documents.DRAFT_SOURCE
        )
        for kind in proposal_documents.DRAFT_KINDS:
            register_draft_source(kind, proposal_documents.DRAFT_SOURCE)

        from promotions.incentives.lrmx import commendation_lines

        register("JiangChengQingKuang", commendation_lines)
