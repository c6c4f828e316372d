"""Oversight (监管): warning signs (预警, R38), sampling runs (抽查), audit tasks and control reports,
investigations and violation cases (R38, R42, R43, R45)."""

from .cases import (
    BuyerBar,
    Case,
    CaseRule,
    Complaint,
    ComplaintStatus,
    Decision,
    Investigation,
    Party,
    Source,
    ViolationKind,
)
from .events import AuditEvent
from .sampling import Part, RiskFactor, RiskWeight, SamplingParameter, SamplingRun, Selection
from .warnings import BuyerScale, RiskWarning, Sign, WarningRule
from .work import AuditTask, BuyerRemark, Conclusion, ControlReport, How, ReportPhoto, TaskState

__all__ = [
    "BuyerBar",
    "Case",
    "CaseRule",
    "Complaint",
    "ComplaintStatus",
    "Decision",
    "Investigation",
    "Party",
    "Source",
    "ViolationKind",
    "AuditEvent",
    "AuditTask",
    "BuyerRemark",
    "Conclusion",
    "ControlReport",
    "How",
    "ReportPhoto",
    "TaskState",
    "BuyerScale",
    "Part",
    "RiskFactor",
    "RiskWarning",
    "RiskWeight",
    "SamplingParameter",
    "SamplingRun",
    "Selection",
    "Sign",
    "WarningRule",
]
