from .annual import AnnualAssessment, QuotaPolicy, QuotaStatus
from .incidents import Incident, IncidentLeader
from .thresholds import DetectionPolicy
from .tracking import (
    CheckupInput,
    CheckupWarning,
    FeedbackRecord,
    MonthlyReport,
    PairedCompetition,
    QuarterlyCheckup,
)
from .units import MonitoringRank, PovertyTarget, TargetAssessment, TeamAssessment

__all__ = [
    "AnnualAssessment",
    "CheckupInput",
    "CheckupWarning",
    "DetectionPolicy",
    "FeedbackRecord",
    "Incident",
    "IncidentLeader",
    "MonitoringRank",
    "MonthlyReport",
    "PairedCompetition",
    "PovertyTarget",
    "QuarterlyCheckup",
    "QuotaPolicy",
    "QuotaStatus",
    "TargetAssessment",
    "TeamAssessment",
]
