from .incentive import BonusAllocation, Commendation
from .policy import PolicyStatus, PromotionPolicy
from .proposal import IncidentMatter, Proposal

__all__ = [
    "BonusAllocation",
    "Commendation",
    "IncidentMatter",
    "PolicyStatus",
    "PromotionPolicy",
    "Proposal",
]
