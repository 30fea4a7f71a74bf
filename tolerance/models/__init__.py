from .case import Attachment, Case, CaseCadre, CaseNote, Extension
from .committee import CommitteeMember
from .delivery import Delivery, DeliveryMethod
from .matter import AccountabilityMatter, MatterClearance
from .meeting import Meeting, MeetingMember, Vote
from .policy import PolicyVersion
from .review import Appeal, Remedy

__all__ = [
    "AccountabilityMatter",
    "Appeal",
    "Attachment",
    "Case",
    "CaseCadre",
    "CaseNote",
    "CommitteeMember",
    "Delivery",
    "DeliveryMethod",
    "Extension",
    "Meeting",
    "MatterClearance",
    "MeetingMember",
    "PolicyVersion",
    "Remedy",
    "Vote",
]
