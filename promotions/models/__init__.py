from .exceptional import ExceptionalRequest
from .incentive import BonusAllocation, Commendation
from .policy import PolicyStatus, PromotionPolicy
from .proposal import IncidentMatter, Proposal

__all__ = [
    "BonusAllocation",
    "Commendation",
    "ExceptionalRequest",
    "IncidentMatter",
    "PolicyStatus",
    "PromotionPolicy",
    "Proposal",
]
