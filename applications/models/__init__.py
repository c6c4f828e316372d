"""补贴申请 and what it gathers (R29–R45): ``application`` (the application, its fields and state changes) and
``records`` (events, documents, deadlines, verifications, objections, warnings, the districts' rules). Every model
and choice is importable from ``applications.models``."""

from ..workflow import State  # the application's states, offered here beside the model that moves through them
from .application import (
    NOTICE_WORKING_DAYS,
    OVERALL_WORKING_DAYS,
    Application,
    Ground,
    Kind,
    PaymentMethod,
    VerificationMethod,
    serial_key,
)
from .records import (
    ApplicationEvent,
    Deadline,
    DistrictRule,
    Document,
    DocumentKind,
    EventAction,
    Objection,
    ObjectionAnswer,
    ObjectionStatus,
    ReturnReason,
    Step,
    Verification,
    Warning,
    document_path,
)

__all__ = [
    "Application",
    "State",
    "ApplicationEvent",
    "Deadline",
    "DistrictRule",
    "Document",
    "DocumentKind",
    "EventAction",
    "Ground",
    "Kind",
    "NOTICE_WORKING_DAYS",
    "OVERALL_WORKING_DAYS",
    "Objection",
    "ObjectionAnswer",
    "ObjectionStatus",
    "ReturnReason",
    "PaymentMethod",
    "Step",
    "Verification",
    "VerificationMethod",
    "Warning",
    "document_path",
    "serial_key",
]
