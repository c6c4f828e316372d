"""Filing (投档, R26): a manufacturer files a product with its certificates; the bureau accepts, rejects,
publishes, or records a false filing."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role

from ..errors import CatalogueError
from ..events import lock_trail, record_event
from ..grading import grade_matches
from ..models import (
    Certificate,
    CreditKind,
    CreditRecord,
    Filing,
    FilingState,
    Grade,
    Item,
    Manufacturer,
    Product,
)
from ..uploads import check_upload
from .common import FALSE_FILING_KINDS, ensure_municipal


def _ensure_member(user, manufacturer: Manufacturer) -> None:
    if not (
        user.is_authenticated and user.role == Role.MANUFACTURER and manufacturer.members.filter(pk=user.pk).exists()
    ):
        raise PermissionDenied(_("You do not file for this manufacturer."))


def create_filing(
    *,
    manufacturer: Manufacturer,
    by,
    item: Item,
    grade: Grade,
    name: str,
    model: str,
    executive_standard: str = "",
    mandatory_standard: bool = False,
    declared: dict | None = None,
) -> Filing:
    """A draft filing with its product; certificates are added before it is submitted."""
    _ensure_member(by, manufacturer)
    today = timezone.localdate()
    if not item.in_force_on(today):
        raise CatalogueError(_("The item is not in the catalogue."), rule="R26")
    if grade.item_id != item.pk or not grade.in_force_on(today):
        raise CatalogueError(_("Choose a grade of the item that is in force."), rule="R26")
    with transaction.atomic():
        lock_trail()
        if Product.objects.filter(manufacturer=manufacturer, model=model).exists():
            raise CatalogueError(_("This manufacturer has already filed a product of this model."), rule="R26")
        product = Product.objects.create(
            manufacturer=manufacturer,
            item=item,
            grade=grade,
            name=name,
            model=model,
            executive_standard=executive_standard,
            mandatory_standard=mandatory_standard,
            declared=declared or {},
        )
        filing = Filing.objects.create(manufacturer=manufacturer, product=product, created_by=by)
        record_event(subject=filing, action="filing_created", actor=by, data={"product": product.pk, "grade": grade.pk})
    return filing


def add_certificate(
    *,
    filing: Filing,
    by,
    kind: str,
    upload,
    number: str = "",
    issuer: str = "",
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> Certificate:
    """Attach a certificate to a draft filing's product. The file is checked by its content (JPEG, PNG or PDF,
    at most 10 MB) and stored under a name the system chooses, outside every served folder."""
    _ensure_member(by, filing.manufacturer)
    if filing.state != FilingState.DRAFT:
        raise CatalogueError(_("Certificates can only be added before the filing is submitted."), rule="R26")
    if valid_from and valid_until and valid_until < valid_from:
        raise CatalogueError(_("The certificate ends before it starts."), rule="R10")
    original_name = (getattr(upload, "name", "") or "")[:200]
    content_type = check_upload(upload)
    with transaction.atomic():
        lock_trail()
        cert = Certificate(
            product=filing.product,
            kind=kind,
            number=number,
            issuer=issuer,
            valid_from=valid_from,
            valid_until=valid_until,
            content_type=content_type,
            original_name=original_name,
            uploaded_by=by,
        )
        cert.file.save(upload.name, upload, save=False)
        cert.save()
        record_event(subject=cert, action="certificate_added", actor=by, data={"filing": filing.pk, "kind": kind})
    return cert


def _locked_filing(filing: Filing) -> Filing:
    return Filing.objects.select_for_update(of=("self",)).select_related("product", "manufacturer").get(pk=filing.pk)


def submit_filing(*, filing: Filing, by) -> Filing:
    _ensure_member(by, filing.manufacturer)
    with transaction.atomic():
        lock_trail()
        filing = _locked_filing(filing)
        if filing.state != FilingState.DRAFT:
            raise CatalogueError(_("This filing has already been submitted."), rule="R26")
        if not filing.product.certificates.exists():
            raise CatalogueError(_("Attach the product's certificates before submitting."), rule="R26")
        suspension = filings_suspended(manufacturer=filing.manufacturer)  # issue 11: R27, R43
        if suspension is not None:
            raise CatalogueError(
                _("This manufacturer's filings are suspended until %(until)s by decision %(decision)s.")
                % {"until": suspension.suspended_until, "decision": suspension.decision},
                rule="R43",
            )
        filing.submit()
        filing.save()
        record_event(subject=filing, action="filing_submitted", actor=by)
    return filing


def accept_filing(*, filing: Filing, by, note: str = "") -> Filing:
    ensure_municipal(by)
    with transaction.atomic():
        lock_trail()
        filing = _locked_filing(filing)
        if filing.state != FilingState.SUBMITTED:
            raise CatalogueError(_("Only a filing awaiting review can be accepted."), rule="R26")
        filing.accept(by=by)
        filing.save()
        record_event(subject=filing, action="filing_accepted", actor=by, reason=note)
    return filing


def reject_filing(*, filing: Filing, by, reason: str, false_filing: str = "") -> Filing:
    """Reject with a reason; a false filing (out of scope, or a lower grade filed as higher) is also recorded on
    the manufacturer's credit record (R26, R43)."""
    ensure_municipal(by)
    if not (reason or "").strip():
        raise CatalogueError(_("Give the reason for rejecting the filing."), rule="R26")
    with transaction.atomic():
        lock_trail()
        filing = _locked_filing(filing)
        if filing.state != FilingState.SUBMITTED:
            raise CatalogueError(_("Only a filing awaiting review can be rejected."), rule="R26")
        filing.reject(by=by, reason=reason.strip())
        filing.save()
        record_event(subject=filing, action="filing_rejected", actor=by, reason=reason, data={"false": false_filing})
        if false_filing:
            record_false_filing(filing=filing, by=by, kind=false_filing, reason=reason)
    return filing


def publish_filing(*, filing: Filing, by) -> Filing:
    """Publish an accepted filing: from today its product may be named in applications (R26)."""
    ensure_municipal(by)
    with transaction.atomic():
        lock_trail()
        filing = _locked_filing(filing)
        if filing.state != FilingState.ACCEPTED:
            raise CatalogueError(_("Only an accepted filing can be published."), rule="R26")
        filing.publish()
        filing.save()
        product = Product.objects.select_for_update().get(pk=filing.product_id)
        product.published_on = timezone.localdate()
        product.save(update_fields=["published_on"])
        record_event(subject=filing, action="filing_published", actor=by, data={"product": product.pk})
    return filing


def record_false_filing(*, filing: Filing, by, kind: str, reason: str) -> CreditRecord:
    """A false filing on the manufacturer's credit record; a second or later one is marked as repeated (R26, R43)."""
    ensure_municipal(by)
    if kind not in FALSE_FILING_KINDS:
        raise CatalogueError(_("Unknown kind of false filing."), rule="R26")
    with transaction.atomic():
        lock_trail()
        manufacturer = Manufacturer.objects.select_for_update().get(pk=filing.manufacturer_id)
        # Issue 11 (R43): any earlier entry, a violation decided in a case included, makes this one repeated.
        repeated = CreditRecord.objects.filter(manufacturer=manufacturer).exists()
        record = CreditRecord.objects.create(
            manufacturer=manufacturer, kind=kind, repeated=repeated, reason=reason, filing=filing, recorded_by=by
        )
        record_event(
            subject=manufacturer,
            action="false_filing_recorded",
            actor=by,
            reason=reason,
            data={"filing": filing.pk, "kind": kind, "repeated": repeated},
        )
    return record


def declared_grade_warning(*, filing: Filing) -> str:
    """For the reviewer: whether the product's declared parameters land in the grade it was filed under."""
    product = filing.product
    if not product.declared:
        return ""
    if grade_matches(product.grade.parameters.all(), product.declared):
        return ""
    return _("The declared parameters do not fall in the filed grade: check for a lower grade filed as higher.")


def filings_suspended(*, manufacturer=None, dealer=None, on=None) -> CreditRecord | None:
    """The credit record suspending the party's filings on ``on`` (today), if any (issue 11: R27, R43)."""
    on = on or timezone.localdate()
    party = {"manufacturer": manufacturer} if manufacturer is not None else {"dealer": dealer}
    return CreditRecord.objects.filter(suspended_until__gte=on, **party).order_by("-suspended_until").first()


def record_violation(
    *, by, reason: str, decision: str, manufacturer=None, dealer=None, suspended_until=None
) -> CreditRecord:
    """Issue 11 (R43): a violation decided in a case on the manufacturer's or dealer's credit record, optionally
    suspending its filings until a date (R27); a second or later entry is marked as repeated."""
    if (manufacturer is None) == (dealer is None):
        raise ValueError("name the manufacturer or the dealer")
    if suspended_until is not None:
        ensure_municipal(by)
    with transaction.atomic():
        lock_trail()
        party = {"manufacturer": manufacturer} if manufacturer is not None else {"dealer": dealer}
        repeated = CreditRecord.objects.filter(**party).exists()
        record = CreditRecord.objects.create(
            kind=CreditKind.VIOLATION,
            repeated=repeated,
            reason=reason,
            decision=decision,
            suspended_until=suspended_until,
            recorded_by=by,
            **party,
        )
        record_event(
            subject=manufacturer or dealer,
            action="credit_recorded",
            actor=by,
            reason=reason,
            data={"decision": decision, "suspended_until": str(suspended_until or ""), "repeated": repeated},
        )
    return record
