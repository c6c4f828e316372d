"""Users, their roles, and the districts they belong to (R2, R3)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import chain

from . import crypto


class District(models.Model):
    """涉农区: one of the districts that carry out the programme (R2). A row, so adding or retiring one is data."""

    code = models.CharField(_("administrative division code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=20, unique=True)
    name_en = models.CharField(_("English name"), max_length=40, blank=True)
    active = models.BooleanField(_("takes part in the programme"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    # R25: what the district publishes for buyers and the public.
    consultation_phone = models.CharField(_("telephone for questions"), max_length=60, blank=True)
    complaint_phone = models.CharField(_("telephone for complaints and reports"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Town(models.Model):
    """乡镇 (or 街道): a place within a district, as the municipal bureau lists it. Buyers say where they farm; the
    district office filters its queue by it. A district without towns listed is simply not asked."""

    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="towns")
    name = models.CharField(_("town"), max_length=40)
    active = models.BooleanField(_("in use"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        ordering = ["district__sort_order", "district__code", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="town_once_per_district")]

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    BUYER = "buyer", _("Buyer")
    DISTRICT_AGRICULTURE = "district_agriculture", _("District agriculture officer")
    DISTRICT_FINANCE = "district_finance", _("District finance officer")
    CITY_AGRICULTURE = "city_agriculture", _("Municipal agriculture bureau")
    CITY_FINANCE = "city_finance", _("Municipal finance bureau")
    AUDITOR = "auditor", _("Sampling auditor")
    MANUFACTURER = "manufacturer", _("Manufacturer or dealer")
    # Creates officials and sets their roles and districts in the admin, and acts on no application or money.
    USER_ADMIN = "user_admin", _("User administrator")


DISTRICT_ROLES = {Role.DISTRICT_AGRICULTURE, Role.DISTRICT_FINANCE}
CITY_ROLES = {Role.CITY_AGRICULTURE, Role.CITY_FINANCE}
OFFICIAL_ROLES = DISTRICT_ROLES | CITY_ROLES | {Role.AUDITOR}


class BuyerKind(models.TextChoices):
    """R3: an individual farmer, or an organisation of one of four kinds."""

    INDIVIDUAL = "individual", _("Individual farmer")
    COLLECTIVE = "collective", _("Rural collective economic organisation")
    COOPERATIVE = "cooperative", _("Farmers' specialised cooperative")
    ENTERPRISE = "enterprise", _("Agricultural enterprise")
    OTHER = "other", _("Other agricultural organisation")


class UserQuerySet(models.QuerySet):
    def with_mobile(self, mobile: str):
        return self.filter(mobile_index=crypto.blind_index(mobile)) if mobile else self.none()

    def with_id_number(self, number: str):
        return self.filter(id_number_index=crypto.blind_index(number)) if number else self.none()


class SubsidyUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in: a buyer, an official, an auditor or a manufacturer.

    An official belongs to one district (``district``) or, with a municipal role, to the municipality
    (``district`` empty). A buyer's ``district`` is the district of registration; each application says
    on which ground (R4) it is made.
    """

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.BUYER)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    display_name = models.CharField(_("real name or organisation name"), max_length=100, blank=True)
    buyer_kind = models.CharField(_("buyer kind"), max_length=20, choices=BuyerKind.choices, blank=True)
    # Sensitive personal data: encrypted, with a blind index for equality (see accounts.crypto).
    mobile_encrypted = models.TextField(_("mobile (encrypted)"), blank=True, editable=False)
    mobile_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    id_number_encrypted = models.TextField(_("resident ID number (encrypted)"), blank=True, editable=False)
    id_number_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    # An organisation's unified social credit code is public registration data, not personal data.
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    organisation = models.CharField(_("employer or organisation"), max_length=100, blank=True)
    # The language the user chose (empty: none yet, so Chinese): their inbox, e-mails and text messages use it.
    language = models.CharField(_("language of messages"), max_length=10, choices=settings.LANGUAGES, blank=True)

    objects = SubsidyUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(fields=["mobile_index"], condition=~Q(mobile_index=""), name="user_mobile_unique"),
            models.UniqueConstraint(
                fields=["id_number_index"], condition=~Q(id_number_index=""), name="user_id_number_unique"
            ),
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="user_credit_code_unique"
            ),
            models.CheckConstraint(
                name="user_district_role_consistent",
                condition=~Q(role__in=sorted(r.value for r in DISTRICT_ROLES)) | Q(district__isnull=False),
            ),
            models.CheckConstraint(
                name="user_city_role_no_district",
                condition=~Q(role__in=sorted(r.value for r in CITY_ROLES)) | Q(district__isnull=True),
            ),
        ]
        # A part of a buyer's name in the office queue's search is served by the trigram index user_display_name_trgm,
        # made on PostgreSQL only by migration 0008 (core.postgres.trigram_index), outside the model's state.

    def __str__(self):
        return self.display_name or self.username

    # --- personal data, decrypted only on demand ---------------------------------------------------------
    @property
    def mobile(self) -> str:
        return crypto.decrypt(self.mobile_encrypted)

    @mobile.setter
    def mobile(self, value: str) -> None:
        value = (value or "").strip()
        self.mobile_encrypted = crypto.encrypt(value)
        self.mobile_index = crypto.blind_index(value)

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    @id_number.setter
    def id_number(self, value: str) -> None:
        value = (value or "").strip().upper()
        self.id_number_encrypted = crypto.encrypt(value)
        self.id_number_index = crypto.blind_index(value)

    @property
    def mobile_masked(self) -> str:
        return crypto.mask_phone(self.mobile)

    @property
    def id_number_masked(self) -> str:
        return crypto.mask_id_number(self.id_number)

    @property
    def public_name(self) -> str:
        """The name as the public may see it: 张* for a person, the full name of an organisation."""
        if self.buyer_kind and self.buyer_kind != BuyerKind.INDIVIDUAL:
            return self.display_name
        return crypto.mask_name(self.display_name or self.username)

    # --- role helpers ------------------------------------------------------------------------------------
    @property
    def is_buyer(self) -> bool:
        return self.role == Role.BUYER

    @property
    def is_organisation(self) -> bool:
        return self.is_buyer and self.buyer_kind not in ("", BuyerKind.INDIVIDUAL)

    @property
    def is_official(self) -> bool:
        return self.role in OFFICIAL_ROLES

    @property
    def is_municipal(self) -> bool:
        return self.role in CITY_ROLES


class PersonalDataAccess(models.Model):
    """A record that an official saw a full, unmasked personal number (PIPL Art. 51; R45). Append-only."""

    viewer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="personal_data_views")
    subject = models.ForeignKey(User, on_delete=models.PROTECT, related_name="personal_data_viewed")
    field = models.CharField(_("field"), max_length=40)
    purpose = models.CharField(_("purpose"), max_length=200)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.viewer} → {self.subject} ({self.field}, {self.at:%Y-%m-%d %H:%M})"


class RoleChange(chain.Chained, models.Model):
    """账户角色变更: a user's role, district, administration rights, groups or permissions set (when the account is
    made) or changed, by whom and when (R45). Append-only: on PostgreSQL triggers refuse UPDATE, DELETE and
    TRUNCATE; each user's changes form a chain (core/chain.py). Four-eyes reads it: an approver whose role was given
    by the batch's builder, or only lately, may not approve (R36)."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="role_changes")
    by = models.ForeignKey(
        User, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True, related_name="role_changes_made"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    role_before = models.CharField(_("role before"), max_length=32, blank=True)
    role = models.CharField(_("role"), max_length=32)
    district_before = models.CharField(_("district before"), max_length=6, blank=True)
    district = models.CharField(_("district"), max_length=6, blank=True)
    rights = models.CharField(_("administration rights"), max_length=40, blank=True)  # "staff", "staff superuser"
    groups = models.TextField(_("groups"), blank=True)  # the names after the change, sorted, one "; " apart
    permissions = models.TextField(_("permissions"), blank=True)  # "app_label.codename", sorted, one "; " apart
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    CHAIN = chain.Link(
        name="role changes",
        fields=(
            "user_id",
            "by_id",
            "at",
            "role_before",
            "role",
            "district_before",
            "district",
            "rights",
            "groups",
            "permissions",
            "prev_hash",
        ),
        chain_by="user_id",
    )

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user}: {self.role_before or '-'} → {self.role}"

    def save(self, *args, **kwargs):
        if self.pk:
            from django.core.exceptions import ValidationError

            raise ValidationError(_("Role changes are never edited."))
        super().save(*args, **kwargs)


class ResetRequest(models.Model):
    """A password-reset request, kept to throttle them per account and per network address (both as keyed hashes:
    no mobile number or address in clear). Rows older than a day are of no use and may be deleted."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    account_key = models.CharField(max_length=64, db_index=True)
    address_key = models.CharField(max_length=64, db_index=True)

    class Meta:
        verbose_name = _("password-reset request")
        verbose_name_plural = _("password-reset requests")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}"
