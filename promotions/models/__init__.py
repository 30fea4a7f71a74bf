from .policy import PolicyStatus, PromotionPolicy
from .proposal import IncidentMatter, Proposal

__all__ = ["IncidentMatter", "PolicyStatus", "PromotionPolicy", "Proposal"]
