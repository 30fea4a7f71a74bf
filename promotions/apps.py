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

        from .permissions import can_read_document

        for kind in (DocumentKind.ADJUSTMENT_PROPOSAL, DocumentKind.ADJUSTMENT_DECISION):
            register_document_access(kind, can_read_document)
        from core.drafts import register_draft_source

        from . import document_drafts

        register_document_access(
            DocumentKind.EXCEPTIONAL_PROMOTION, document_drafts.can_read_exceptional
        )
        for kind, source in document_drafts.SOURCES.items():
            register_draft_source(kind, source)

        from .lrmx import commendation_lines

        register("JiangChengQingKuang", commendation_lines)
