from .case import Attachment, Case, CaseCadre, CaseNote, Extension
from .matter import AccountabilityMatter
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
    "Extension",
    "Meeting",
    "MeetingMember",
    "PolicyVersion",
    "Remedy",
    "Vote",
]
