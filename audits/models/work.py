"""Audit work on /audit/: a sampled application becomes a task; the auditor records a control report (R38)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import private_storage


class TaskState(models.TextChoices):
    OPEN = "open", _("To visit")
    VISITED = "visited", _("Visited, conclusion pending")
    CONCLUDED = "concluded", _("Concluded")


class AuditTask(models.Model):
    """抽查任务: one selected application to check by its due date."""

    selection = models.OneToOneField("audits.Selection", on_delete=models.PROTECT, related_name="task")
    run = models.ForeignKey("audits.SamplingRun", on_delete=models.PROTECT, related_name="tasks")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due"))
    state = models.CharField(_("state"), max_length=12, choices=TaskState.choices, default=TaskState.OPEN)

    class Meta:
        verbose_name = _("audit task")
        verbose_name_plural = _("audit tasks")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["district", "state", "due_on"])]

    def __str__(self):
        return f"{self.run} {self.application_id}"


class How(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    PHONE = "phone", _("By telephone")


class Conclusion(models.TextChoices):
    NO_PROBLEM = "no_problem", _("No problem")
    LEAD = "lead", _("A lead to assess")
    SUSPECTED = "suspected", _("Suspected violation")


class ControlReport(models.Model):
    """核查记录: what the auditor did and saw. Without a conclusion it is a visit; with one, the task is done."""

    task = models.OneToOneField(AuditTask, on_delete=models.PROTECT, related_name="report")
    visited_on = models.DateField(_("date of the check"))
    how = models.CharField(_("how"), max_length=10, choices=How.choices)
    met = models.CharField(_("who was met"), max_length=100)
    nameplate_seen = models.CharField(_("nameplate seen"), max_length=150, blank=True)
    serial_seen = models.CharField(_("serial number seen"), max_length=64, blank=True)
    location = models.CharField(_("where the machine is"), max_length=200, blank=True)
    notice_given = models.BooleanField(_("notice given before the visit"), default=False)
    conclusion = models.CharField(_("conclusion"), max_length=12, choices=Conclusion.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("control report")
        verbose_name_plural = _("control reports")

    def __str__(self):
        return f"{self.task} {self.visited_on}"


def photo_path(instance, filename):
    return f"audits/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ReportPhoto(models.Model):
    report = models.ForeignKey(ControlReport, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(storage=private_storage, upload_to=photo_path)
    content_type = models.CharField(max_length=40, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return f"{self.report} photo {self.pk}"


class BuyerRemark(models.Model):
    """The buyer's remarks on a control report."""

    report = models.ForeignKey(ControlReport, on_delete=models.PROTECT, related_name="remarks")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("your remarks"))
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("buyer's remark")
        verbose_name_plural = _("buyers' remarks")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.report}: {self.text[:40]}"
