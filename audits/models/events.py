"""The oversight trail (R45): every step of sampling, audit work, investigations and cases."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import chain

ACTIONS = {
    "run_drawn": _("Sampling run drawn"),
    "report_visited": _("Check recorded"),
    "report_concluded": _("Check concluded"),
    "buyer_remark": _("Buyer's remarks added"),
    "investigation_opened": _("Investigation opened"),
    "referred": _("Referred to the judiciary"),
    "decision_proposed": _("Proposed decision sent to the party"),
    "answered": _("The party answered"),
    "case_decided": _("Case decided"),
    "complaint_received": _("Complaint received"),
    "complaint_answered": _("Complaint answered"),
}


class AuditEvent(chain.Chained, models.Model):
    """One step: who, when, what (action and subject), why, and the data decided on. Append-only (a PostgreSQL
    trigger refuses UPDATE and DELETE) and chained: each row stores the previous row's hash and its own."""

    action = models.CharField(_("action"), max_length=32)
    subject_type = models.CharField(max_length=32)
    subject_id = models.PositiveBigIntegerField()
    application = models.ForeignKey(
        "applications.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("data decided on"), default=dict, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    CHAIN = chain.Link(
        name="oversight events",
        fields=(
            "action",
            "subject_type",
            "subject_id",
            "application_id",
            "actor_id",
            "reason",
            "data",
            "at",
            "prev_hash",
        ),
    )

    class Meta:
        verbose_name = _("oversight event")
        verbose_name_plural = _("oversight events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return f"{self.subject_type} {self.subject_id} {self.action}"

    @property
    def label(self) -> str:
        return str(ACTIONS.get(self.action, self.action))
