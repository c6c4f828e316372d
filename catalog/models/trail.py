"""The catalogue's trail (R45): every change an immutable, chained event."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import chain

# --- The trail (R45) -----------------------------------------------------------------------------------


ACTION_LABELS = {
    "grade_created": _("Grade created"),
    "grade_changed": _("Grade changed"),
    "grade_flags_changed": _("Grade marks changed"),
    "item_flags_changed": _("Item marks changed"),
    "item_created": _("Item added"),
    "item_retired": _("Item retired"),
    "market_price_recorded": _("Average market price recorded"),
    "amount_set": _("Amount set"),
    "ratio_ceiling_set": _("Ratio ceiling set"),
    "limit_set": _("Limit set"),
    "innovation_listed": _("Listed as innovation product"),
    "product_closed": _("Product closed"),
    "product_reopened": _("Product reopened"),
    "filing_created": _("Filing created"),
    "certificate_added": _("Certificate attached"),
    "filing_submitted": _("Filing submitted"),
    "filing_accepted": _("Filing accepted"),
    "filing_rejected": _("Filing rejected"),
    "filing_published": _("Filing published"),
    "false_filing_recorded": _("False filing recorded on the credit record"),
    "credit_recorded": _("Credit record added"),
    "manufacturer_created": _("Manufacturer added"),
    "manufacturer_changed": _("Manufacturer changed"),
    "dealer_created": _("Dealer added"),
    "dealer_changed": _("Dealer changed"),
    "marketprice_created": _("Average market price recorded"),
    "marketprice_changed": _("Average market price changed"),
    "members_changed": _("Users of the manufacturer changed"),
}


class CatalogueEvent(chain.Chained, models.Model):
    """An immutable record of a change to the catalogue: who, when, what and why (R45).

    Rows are chained (each stores the previous row's hash) and, on PostgreSQL, a trigger refuses UPDATE and
    DELETE.
    """

    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=40)
    subject_type = models.CharField(_("subject"), max_length=40)
    subject_id = models.BigIntegerField(_("subject id"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    CHAIN = chain.Link(
        name="catalogue events",
        fields=("prev_hash", "at", "actor_id", "action", "subject_type", "subject_id", "reason", "data"),
    )

    class Meta:
        verbose_name = _("catalogue event")
        verbose_name_plural = _("catalogue events")
        ordering = ["-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject_type}#{self.subject_id}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(_("Catalogue events are never changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Catalogue events are never deleted."))

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS.get(self.action, self.action))
