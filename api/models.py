"""Who may call the API and what they did: personal tokens of officials, machine clients issued by the municipal
bureau, every use of a token, and the first answer to each idempotent POST.

A token's secret is shown once and stored only as its SHA-256 (a random 256-bit secret needs no slow hash);
the first characters are kept to tell tokens apart on the profile page.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClientKind(models.TextChoices):
    SALES = "sales", _("Sales software of a manufacturer or dealer")
    TREASURY = "treasury", _("Treasury integration of a district's finance")
    MONITORING = "monitoring", _("Work monitoring platform (application subsidy)")


class ApiClient(models.Model):
    """机器客户端: a machine client bound to one organisation: a manufacturer or dealer (sales), a district's
    finance (treasury), or a work monitoring platform (monitoring, R20: its machines are the terminals bound to
    it). Treasury clients act through a technical account of the district's finance, so the payments services
    record them like an officer and check their district the same way."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=ClientKind.choices)
    manufacturer = models.ForeignKey(
        "catalog.Manufacturer", verbose_name=_("manufacturer"), on_delete=models.PROTECT, null=True, blank=True
    )
    dealer = models.ForeignKey(
        "catalog.Dealer", verbose_name=_("dealer"), on_delete=models.PROTECT, null=True, blank=True
    )
    district = models.ForeignKey(
        "accounts.District", verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technical account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="api_client",
    )
    active = models.BooleanField(_("active"), default=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="api_client_bound_to_one_organisation",
                condition=(
                    Q(kind=ClientKind.SALES, district__isnull=True)
                    & (
                        Q(manufacturer__isnull=False, dealer__isnull=True)
                        | Q(manufacturer__isnull=True, dealer__isnull=False)
                    )
                )
                | Q(kind=ClientKind.TREASURY, district__isnull=False, manufacturer__isnull=True, dealer__isnull=True)
                # R20: a monitoring platform is an organisation of its own; its machines are the terminals bound
                # to it (usage.Terminal).
                | Q(kind=ClientKind.MONITORING, district__isnull=True, manufacturer__isnull=True, dealer__isnull=True),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def organisation(self):
        return self.manufacturer or self.dealer or self.district


class ApiToken(models.Model):
    """A bearer token: an official's own (``user``) or a machine client's (``client``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="api_tokens"
    )
    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, null=True, blank=True, related_name="tokens")
    name = models.CharField(_("what it is for"), max_length=100)
    prefix = models.CharField(_("begins with"), max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="api_token_of_a_user_or_a_client",
                condition=Q(user__isnull=False, client__isnull=True) | Q(user__isnull=True, client__isnull=False),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def is_valid(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class ApiTokenUse(models.Model):
    """One use of a token (R45): when, what was asked, from where. The per-minute limit counts these rows."""

    token = models.ForeignKey(ApiToken, on_delete=models.PROTECT, related_name="uses")
    at = models.DateTimeField(default=timezone.now)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")
        indexes = [models.Index(fields=["token", "at"], name="api_token_use_token_at")]

    def __str__(self):
        return f"{self.method} {self.path} ({self.at:%Y-%m-%d %H:%M:%S})"


class IdempotentRequest(models.Model):
    """The first answer to a POST with an ``Idempotency-Key``: a repeat gets it back and changes nothing."""

    client = models.ForeignKey(ApiClient, on_delete=models.PROTECT, related_name="idempotent_requests")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    body_sha256 = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    content_type = models.CharField(max_length=60, default="application/json")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="api_idempotency_key_once_per_client")]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"
