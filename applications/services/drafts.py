"""The buyer's draft (R29): start it, save what was entered, add and remove its documents, and say what is still
missing before it can be submitted."""

import io

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import District, Role
from catalog.errors import CatalogueError
from catalog.sale_services import sales_of_buyer
from catalog.selectors import may_name_product
from catalog.uploads import check_upload

from .. import events
from ..errors import ApplicationError
from ..models import Application, Document, DocumentKind, EventAction
from ..rules import REQUIRED_DOCUMENTS
from ..transitions import require_state
from ..workflow import State
from .common import local_today, own

DRAFT_FIELDS = {
    "district",
    "town",
    "ground",
    "outside_base",
    "outside_base_address",
    "annual_supply_tonnes",
    "product",
    "serial_number",
    "production_date",
    "purchase_date",
    "invoice_number",
    "invoice_price",
    "payment_method",
    "payee_name",
    "bank_name",
    "account_number",
}
PHOTO_MAX_PIXELS = 1600


def start_application(*, buyer, district=None) -> Application:
    """A new draft in ``district``; by default the buyer's own, else the first active district (the buyer chooses
    on the first step)."""
    if buyer.role != Role.BUYER:
        raise PermissionDenied
    district = district or buyer.district or District.objects.filter(active=True).first()
    with transaction.atomic():
        application = Application.objects.create(buyer=buyer, district=district, payee_name=buyer.display_name)
        events.record(application, action=EventAction.CREATE, actor=buyer)
    return application


def start_application_from_sale(*, buyer, sale_id: int) -> Application:
    """A new draft from a sale the dealer recorded for this buyer: the machine, serial number, invoice, date and
    price filled in from it (the buyer checks them). A sale to someone else is not found (404); a sale this buyer
    already started from gives that application back (a second tap starts nothing)."""
    if buyer.role != Role.BUYER:
        raise PermissionDenied
    with transaction.atomic():
        sale = sales_of_buyer(buyer).select_for_update(of=("self",)).filter(pk=sale_id).first()
        if sale is None:
            raise Http404
        started = Application.objects.filter(sale=sale, buyer=buyer).exclude(state=State.WITHDRAWN).first()
        if started is not None:
            return started
        if not may_name_product(product=sale.product, on=local_today()):
            raise ApplicationError(
                _("This machine cannot be applied for today. Ask the district's agricultural office."), rule="R26"
            )
        application = Application(
            buyer=buyer,
            district=buyer.district or District.objects.filter(active=True).first(),
            payee_name=buyer.display_name,
            sale=sale,
            product=sale.product,
            manufacturer_id=sale.product.manufacturer_id,
            purchase_date=sale.sold_on,
            invoice_number=sale.invoice_number,
            invoice_price=sale.price,
        )
        application.set_serial(sale.serial_number)
        application.save()
        events.record(application, action=EventAction.CREATE, actor=buyer, data={"sale": sale.pk})
    return application


def update_draft(*, application_id: int, buyer, **fields) -> Application:
    """Save what the buyer entered on a draft or a returned application; nothing is checked that would stop it."""
    unknown = set(fields) - DRAFT_FIELDS
    if unknown:
        raise TypeError(f"not draft fields: {sorted(unknown)}")
    with transaction.atomic():
        application = own(application_id, buyer)
        require_state(application, State.DRAFT, State.RETURNED)
        for name, value in fields.items():
            if name == "serial_number":
                application.set_serial(value)
            elif name == "account_number":
                application.account_number = value
            else:
                setattr(application, name, value)
        if "product" in fields:
            application.manufacturer_id = application.product.manufacturer_id if application.product else None
        if application.town_id and application.town.district_id != application.district_id:
            application.town = None  # a town of another district (the district changed): asked again
        application.save()
    return application


def _resized(upload) -> ContentFile:
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((PHOTO_MAX_PIXELS, PHOTO_MAX_PIXELS))
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    upload.seek(0)
    return ContentFile(out.getvalue(), name="resized.jpg")


def store_document(application: Application, *, user, kind: str, upload, answer=None) -> Document:
    original_name = (getattr(upload, "name", "") or "")[:200]
    try:
        content_type = check_upload(upload)
    except CatalogueError as error:
        raise ApplicationError(error.message, rule="R29") from error
    document = Document(
        application=application,
        kind=kind,
        content_type=content_type,
        original_name=original_name,
        size=upload.size,
        uploaded_by=user,
        answer=answer,
    )
    document.original.save(upload.name, upload, save=False)
    if content_type.startswith("image/"):
        document.resized.save("resized.jpg", _resized(upload), save=False)
    document.save()
    return document


def add_document(*, application_id: int, user, kind: str, upload) -> Document:
    """A scan or photo, checked by its content (JPEG, PNG, PDF; at most 10 MB), stored under a name the system
    chooses outside every served root; photos keep their original beside a resized copy."""
    if kind not in DocumentKind.values or kind in (DocumentKind.VERIFICATION, DocumentKind.ANSWER):
        raise ApplicationError(_("Unknown kind of document."), rule="R29")
    with transaction.atomic():
        application = own(application_id, user)
        require_state(application, State.DRAFT, State.RETURNED)
        return store_document(application, user=user, kind=kind, upload=upload)


def remove_document(*, document_id: int, user) -> None:
    """Take a document off a draft; the file is kept (nothing is deleted), only marked removed."""
    with transaction.atomic():
        document = Document.objects.select_related("application").filter(pk=document_id).first()
        if document is None or document.removed_at is not None:
            raise Http404
        application = own(document.application_id, user)
        require_state(application, State.DRAFT, State.RETURNED)
        document.removed_at = timezone.now()
        document.save(update_fields=["removed_at"])


def missing_for_submission(application: Application) -> list[str]:
    """What the buyer still has to enter; empty when the application can be submitted."""
    missing = []
    required = [
        ("ground", _("the ground of application")),
        ("product", _("the machine")),
        ("serial_number", _("the factory serial number")),
        ("production_date", _("the production date")),
        ("purchase_date", _("the purchase date")),
        ("invoice_number", _("the invoice number")),
        ("invoice_price", _("the invoice price")),
        ("payment_method", _("the payment method")),
        ("payee_name", _("the account holder")),
        ("bank_name", _("the bank")),
        ("account_encrypted", _("the card or account number")),
    ]
    for field, label in required:
        value = application.product_id if field == "product" else getattr(application, field)
        if value in (None, ""):
            missing.append(label)
    kinds = set(application.documents.filter(removed_at__isnull=True).values_list("kind", flat=True))
    missing.extend(
        _("a photo or scan of: %(kind)s") % {"kind": DocumentKind(kind).label}
        for kind in REQUIRED_DOCUMENTS
        if kind not in kinds
    )
    if application.outside_base:
        if not application.outside_base_address or application.annual_supply_tonnes is None:
            missing.append(_("the base's address and its declared annual supply to Beijing"))
        if DocumentKind.BASE_PROOF not in kinds:
            missing.append(_("the proof of production at the base outside Beijing"))
    return missing
