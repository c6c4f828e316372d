"""销售记录 (Sale): a machine sold by a manufacturer or dealer, as its sales software reports it through the API
(api/), so that the buyer's application can start from it instead of the buyer typing it in.

The buyer's resident ID number and mobile are sensitive personal data: encrypted, with a blind index for the
buyer pages to find the sale (accounts.crypto, as on the user). An organisation's credit code is public data.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import crypto


class SaleQuerySet(models.QuerySet):
    def of_buyer(self, *, id_number: str = "", credit_code: str = ""):
        """Sales to a buyer, found by the blind index of their ID number or by their credit code."""
        if id_number:
            return self.filter(buyer_id_number_index=crypto.blind_index(id_number))
        if credit_code:
            return self.filter(buyer_credit_code=credit_code.strip().upper())
        return self.none()


class Sale(models.Model):
    manufacturer = models.ForeignKey(
        "catalog.Manufacturer",
        verbose_name=_("sold by manufacturer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales",
    )
    dealer = models.ForeignKey(
        "catalog.Dealer",
        verbose_name=_("sold by dealer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sales",
    )
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="sales"
    )
    serial_number = models.CharField(_("factory serial number"), max_length=64)
    serial_key = models.CharField(max_length=64, editable=False)
    invoice_number = models.CharField(_("invoice number"), max_length=40)
    sold_on = models.DateField(_("sold on"))
    price = models.DecimalField(_("invoice price"), max_digits=12, decimal_places=2)
    buyer_id_number_encrypted = models.TextField(blank=True, editable=False)
    buyer_id_number_index = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    buyer_credit_code = models.CharField(
        _("buyer's unified social credit code"), max_length=18, blank=True, db_index=True
    )
    buyer_mobile_encrypted = models.TextField(blank=True, editable=False)
    buyer_mobile_index = models.CharField(max_length=64, blank=True, editable=False)
    reported_by = models.CharField(_("reported by"), max_length=100, editable=False)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = SaleQuerySet.as_manager()

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        ordering = ["-recorded_at"]
        constraints = [
            # R11: one machine (a product's factory serial number) is sold, and subsidised, once.
            models.UniqueConstraint(fields=["product", "serial_key"], name="sale_once_per_machine"),
            models.CheckConstraint(
                name="sale_by_one_seller",
                condition=Q(manufacturer__isnull=False, dealer__isnull=True)
                | Q(manufacturer__isnull=True, dealer__isnull=False),
            ),
            models.CheckConstraint(
                name="sale_names_its_buyer", condition=~Q(buyer_id_number_index="") | ~Q(buyer_credit_code="")
            ),
        ]

    def __str__(self):
        return f"{self.product} {self.serial_number}"

    @property
    def seller(self):
        """The dealer or the manufacturer that sold it (exactly one of the two, by constraint)."""
        return self.dealer or self.manufacturer

    @property
    def buyer_id_number(self) -> str:
        return crypto.decrypt(self.buyer_id_number_encrypted)

    @buyer_id_number.setter
    def buyer_id_number(self, value: str) -> None:
        value = (value or "").strip().upper()
        self.buyer_id_number_encrypted = crypto.encrypt(value) if value else ""
        self.buyer_id_number_index = crypto.blind_index(value)

    @property
    def buyer_mobile(self) -> str:
        return crypto.decrypt(self.buyer_mobile_encrypted)

    @buyer_mobile.setter
    def buyer_mobile(self, value: str) -> None:
        value = (value or "").strip()
        self.buyer_mobile_encrypted = crypto.encrypt(value) if value else ""
        self.buyer_mobile_index = crypto.blind_index(value)

    @property
    def buyer_id_number_masked(self) -> str:
        return crypto.mask_id_number(self.buyer_id_number)

    @property
    def buyer_mobile_masked(self) -> str:
        return crypto.mask_phone(self.buyer_mobile)
