from .exceptional import ExceptionalRequest
from .policy import PolicyStatus, PromotionPolicy
from .proposal import IncidentMatter, Proposal

__all__ = ["ExceptionalRequest", "IncidentMatter", "PolicyStatus", "PromotionPolicy", "Proposal"]
