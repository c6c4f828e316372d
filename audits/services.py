"""Audit work (R38): the auditor's control report on a task, and the buyer's remarks on it. Each is one
transaction with its event on the oversight trail (R45)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import Role
from accounts.scope import audit_scoped
from catalog.errors import CatalogueError
from catalog.uploads import check_upload
from notifications.services import language_for, notify

from . import events
from .errors import AuditError
from .models import AuditTask, BuyerRemark, Conclusion, ControlReport, ReportPhoto, TaskState

REPORT_FIELDS = ("visited_on", "how", "met", "nameplate_seen", "serial_seen", "location", "notice_given", "notes")
MAX_PHOTOS = 6


def _locked_task(task_id: int, user) -> AuditTask:
    if user.role not in (Role.AUDITOR, Role.CITY_AGRICULTURE):
        raise PermissionDenied(_("Only auditors record control reports."))
    task = audit_scoped(user, AuditTask.objects.select_for_update().filter(pk=task_id)).first()
    if task is None:
        raise Http404
    return task


def _store_photos(report: ControlReport, photos, user) -> None:
    if len(photos) + report.photos.count() > MAX_PHOTOS:
        raise AuditError(_("At most %(n)s photos per report.") % {"n": MAX_PHOTOS}, rule="R38")
    for upload in photos:
        try:
            content_type = check_upload(upload)
        except CatalogueError as exc:
            raise AuditError(exc.message, rule="R38") from exc
        photo = ReportPhoto(report=report, content_type=content_type, uploaded_by=user)
        photo.file.save(upload.name, upload, save=False)
        photo.save()


def record_report(*, task_id: int, auditor, conclusion: str = "", photos=(), **fields) -> ControlReport:
    """Record (or complete) the control report of a task. Without a conclusion the task is *visited*; with one,
    *concluded*, and a suspected violation opens an investigation (``cases.open_investigation``)."""
    unknown = set(fields) - set(REPORT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    if conclusion and conclusion not in Conclusion.values:
        raise AuditError(_("Choose a conclusion."), rule="R38")
    with transaction.atomic():
        task = _locked_task(task_id, auditor)
        if task.state == TaskState.CONCLUDED:
            raise AuditError(_("This task is concluded; its report can no longer be changed."), rule="R38")
        report = ControlReport.objects.filter(task=task).first() or ControlReport(task=task, recorded_by=auditor)
        for name, value in fields.items():
            setattr(report, name, value)
        report.conclusion, report.recorded_by, report.recorded_at = conclusion, auditor, timezone.now()
        report.save()
        _store_photos(report, list(photos), auditor)
        task.state = TaskState.CONCLUDED if conclusion else TaskState.VISITED
        task.save(update_fields=["state"])
        events.record(
            task,
            action="report_concluded" if conclusion else "report_visited",
            actor=auditor,
            application=task.application_id,
            data={"conclusion": conclusion, "how": report.how, "visited_on": str(report.visited_on)},
        )
        if conclusion:
            _tell_buyer_of_report(report)
        if conclusion == Conclusion.SUSPECTED:
            from .cases import open_investigation

            open_investigation(
                application_id=task.application_id,
                source="task",
                task=task,
                reason=report.notes or _("Suspected violation found in a sampling check."),
                by=auditor,
            )
    return report


def _tell_buyer_of_report(report: ControlReport) -> None:
    buyer = report.task.application.buyer
    with override(language_for(buyer)):
        notify(
            user=buyer,
            subject=_("Sampling check of application %(number)s") % {"number": report.task.application.number},
            body=_("Your machine was checked on %(day)s. You may read the record and add your remarks.")
            % {"day": report.visited_on},
            link=reverse("audits_buyer:report", args=[report.pk]),
        )


def add_remark(*, report_id: int, buyer, text: str) -> BuyerRemark:
    text = (text or "").strip()
    if not text:
        raise AuditError(_("Write your remarks."), rule="R38")
    with transaction.atomic():
        report = ControlReport.objects.select_related("task__application").filter(pk=report_id).first()
        if report is None or report.task.application.buyer_id != buyer.pk:
            raise Http404
        remark = BuyerRemark.objects.create(report=report, buyer=buyer, text=text)
        events.record(report.task, action="buyer_remark", actor=buyer, application=report.task.application_id)
    return remark
