"""The record of the trails' checkpoints (R45): the file itself, out of the database's reach, is what counts."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Checkpoint(models.Model):
    """存证点: a signed checkpoint of every chain's head and count, written to a file under ``CHECKPOINT_DIR``
    (core/checkpoints.py). This row shows it on the admin, so an outside auditor can compare the file's digest and
    signature with what the system says; the checks read the file, never this row. Append-only."""

    at = models.DateTimeField(_("at"), default=timezone.now)
    file = models.CharField(_("file"), max_length=200)
    digest = models.CharField(_("digest (SHA-256 of the heads)"), max_length=64)
    signature = models.CharField(_("signature (HMAC-SHA256)"), max_length=64)
    tables = models.JSONField(_("rows, last id and chains per table"), default=dict)

    class Meta:
        verbose_name = _("trail checkpoint")
        verbose_name_plural = _("trail checkpoints")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.digest[:12]}"
