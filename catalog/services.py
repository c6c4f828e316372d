"""Changing the catalogue: each function is one business operation in one transaction, recorded as an event (R45).

Refusals raise ``CatalogueError`` with a translated message and the rule it enforces; a refused change leaves
nothing behind.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role

from .errors import CatalogueError
from .events import lock_trail, record_event
from .grading import ParameterSpec, grade_matches
from .models import (
    Amount,
    CatalogueLimit,
    Certificate,
    Closure,
    CreditKind,
    CreditRecord,
    Filing,
    FilingState,
    FundSource,
    Grade,
    GradeParameter,
    InnovationListing,
    Item,
    LimitKind,
    Manufacturer,
    MarketPrice,
    PriceAssessment,
    PriceSource,
    Product,
    RatioCeiling,
    RatioClass,
    Scope,
)
from .money import yuan
from .rules import rules_in_force
from .uploads import check_upload

FALSE_FILING_KINDS = {CreditKind.FALSE_FILING_OUT_OF_SCOPE, CreditKind.FALSE_FILING_LOWER_GRADE}


def ensure_municipal(user) -> None:
    """Only the municipal agriculture bureau (or a superuser in the admin) changes the catalogue, reviews filings
    and closes products."""
    if not (user.is_authenticated and (user.role == Role.CITY_AGRICULTURE or user.is_superuser)):
        raise PermissionDenied(_("Only the municipal agriculture bureau may do this."))


def _ensure_municipal_if_named(user) -> None:
    """Data migrations and the demo seeder pass no user; anyone named must be the municipal bureau."""
    if user is not None:
        ensure_municipal(user)


def _pct(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}%"


# --- Grades ----------------------------------------------------------------------------------------------


def create_grade(
    *,
    item: Item,
    name: str,
    parameters: list[ParameterSpec],
    valid_from: date,
    by=None,
    reason: str = "",
    sort_order: int = 0,
    is_demo: bool = False,
    source: str = "",
    **flags,
) -> Grade:
    """A new grade of ``item`` with its key parameters, from ``valid_from``."""
    if not parameters:
        raise CatalogueError(_("A grade needs at least one key parameter."), rule="R6")
    _ensure_municipal_if_named(by)
    with transaction.atomic():
        lock_trail()
        grade = Grade.objects.create(
            item=item,
            name=name,
            valid_from=valid_from,
            sort_order=sort_order,
            is_demo=is_demo,
            source=source,
            **flags,
        )
        GradeParameter.objects.bulk_create(
            GradeParameter(
                grade=grade,
                name=p.name,
                kind=p.kind,
                unit=p.unit,
                lower=p.lower,
                lower_inclusive=p.lower_inclusive,
                upper=p.upper,
                upper_inclusive=p.upper_inclusive,
                choices=p.choices,
                sort_order=n,
            )
            for n, p in enumerate(parameters)
        )
        if grade.is_key:
            _check_key_limits(on=valid_from, grades_delta=1)
        record_event(
            subject=grade,
            action="grade_created",
            actor=by,
            reason=reason,
            data={"item": item.code, "name": name, "parameters": [str(p) for p in grade.parameters.all()]},
        )
    return grade


# --- Prices and amounts (R14–R18) ------------------------------------------------------------------------


def record_market_price(
    *,
    grade: Grade,
    year: int,
    average_price,
    source: str,
    assessments: list[tuple[str, object]] = (),
    note: str = "",
    by=None,
    is_demo: bool = False,
) -> MarketPrice:
    """The previous year's average market price of a grade, with its source (R14). A price from third-party
    assessments needs at least two of them."""
    price = yuan(average_price)
    if price <= 0:
        raise CatalogueError(_("The average market price must be more than zero."), rule="R14")
    if source not in PriceSource.values:
        raise CatalogueError(_("Unknown price source."), rule="R14")
    assessments = list(assessments)
    if source == PriceSource.THIRD_PARTY and len(assessments) < 2:
        raise CatalogueError(
            _("A price from third-party assessments needs at least two assessments (R14)."), rule="R14"
        )
    _ensure_municipal_if_named(by)
    with transaction.atomic():
        lock_trail()
        market_price = MarketPrice.objects.create(
            grade=grade, year=year, average_price=price, source=source, note=note, created_by=by, is_demo=is_demo
        )
        for assessor, value in assessments:
            PriceAssessment.objects.create(market_price=market_price, assessor=assessor, value=yuan(value))
        record_event(
            subject=market_price,
            action="market_price_recorded",
            actor=by,
            data={"grade": grade.pk, "year": year, "price": price, "source": source, "assessments": len(assessments)},
        )
    return market_price


def check_amount(
    *, grade: Grade, fund_source: str, amount: Decimal, ratio: Decimal, market_price: MarketPrice, on: date
) -> None:
    """Every rule an amount obeys, each refusal naming its rule (R6, R14–R18)."""
    if fund_source not in FundSource.values:
        raise CatalogueError(_("Unknown fund source."), rule="R15")
    if market_price.grade_id != grade.pk:
        raise CatalogueError(_("The market price belongs to another grade."), rule="R14")
    if market_price.source == PriceSource.THIRD_PARTY and market_price.assessments.count() < 2:
        raise CatalogueError(
            _("A price from third-party assessments needs at least two assessments (R14)."), rule="R14"
        )
    if grade.item.scope == Scope.MUNICIPAL and fund_source == FundSource.CENTRAL:
        raise CatalogueError(_("An item of the municipal-only catalogue has no central-funds amount (R6)."), rule="R6")
    if amount < 0:
        raise CatalogueError(_("An amount cannot be negative."), rule="R14")
    if ratio <= 0 or ratio > 1:
        raise CatalogueError(_("The calculation ratio must be more than 0 and at most 100%."), rule="R14")
    ceiling = rules_in_force(on=on).ceiling(fund_source=fund_source, ratio_class=grade.ratio_class)
    if ratio > ceiling.value:
        raise CatalogueError(
            _("The calculation ratio %(ratio)s is above the ceiling of %(ceiling)s for %(fund)s, %(klass)s (%(rule)s).")
            % {
                "ratio": _pct(ratio),
                "ceiling": _pct(ceiling.value),
                "fund": FundSource(fund_source).label,
                "klass": _ratio_class_label(ceiling.ratio_class),
                "rule": ceiling.rule,
            },
            rule=ceiling.rule,
        )
    most = yuan(ratio * market_price.average_price)
    if amount > most:
        raise CatalogueError(
            _(
                "The amount ¥%(amount)s is above the calculation ratio %(ratio)s × the average market price "
                "¥%(price)s = ¥%(most)s (R14)."
            )
            % {"amount": amount, "ratio": _pct(ratio), "price": market_price.average_price, "most": most},
            rule="R14",
        )
    if fund_source == FundSource.CENTRAL:
        _check_raised_amount(grade=grade, amount=amount, on=on)
    if fund_source == FundSource.CENTRAL and grade.item.is_complete_set:
        cap = rules_in_force(on=on).limit(LimitKind.COMPLETE_SET_CENTRAL)
        if cap is not None and amount > cap:
            raise CatalogueError(
                _("Central funds for one complete set are at most ¥%(cap)s (R16).") % {"cap": yuan(cap)}, rule="R16"
            )


def _check_raised_amount(*, grade: Grade, amount: Decimal, on: date) -> None:
    """A general-purpose item's central amount stays within the national maximum; a raised grade (key machinery,
    R17 kinds) may exceed it, or for other items last year's amount, by at most the margin in force (R17)."""
    raised = grade.ratio_class in (RatioClass.KEY, RatioClass.RAISED)
    margin = rules_in_force(on=on).limit(LimitKind.RAISE_MARGIN) or Decimal("0") if raised else Decimal("0")
    if grade.item.general_purpose and grade.national_max_amount is not None:
        cap = yuan(grade.national_max_amount * (1 + margin))
        if amount > cap:
            raise CatalogueError(
                _("The central amount ¥%(amount)s is above the national maximum ¥%(max)s%(plus)s (%(rule)s).")
                % {
                    "amount": amount,
                    "max": grade.national_max_amount,
                    "plus": f" + {_pct(margin)}" if margin else "",
                    "rule": "R17",
                },
                rule="R17",
            )
        return
    if not raised:
        return
    last_year = (
        Amount.objects.in_force(date(on.year - 1, 12, 31))
        .filter(grade=grade, fund_source=FundSource.CENTRAL)
        .order_by("-valid_from")
        .first()
    )
    if last_year is not None and amount > yuan(last_year.amount * (1 + margin)):
        raise CatalogueError(
            _("A raised amount may exceed last year's ¥%(last)s by at most %(margin)s (R17).")
            % {"last": last_year.amount, "margin": _pct(margin)},
            rule="R17",
        )


def _ratio_class_label(value: str) -> str:
    return str(RatioClass(value).label)


def check_new_period(*, rows, valid_from: date, rule: str) -> None:
    """A new row of a versioned series (amounts, ceilings, limits) starts after every existing one, and today or
    later once the series exists: what applied on a past day is never changed (R7, R41)."""
    if rows.filter(valid_from__gte=valid_from).exists():
        raise CatalogueError(
            _("An entry from %(day)s or later already exists; a new one must start after it.") % {"day": valid_from},
            rule=rule,
        )
    if rows.exists() and valid_from < timezone.localdate():
        raise CatalogueError(
            _("A change takes effect today or later; what applied on past days is never changed (R7, R41)."),
            rule="R41",
        )


def check_amount_period(*, grade: Grade, fund_source: str, valid_from: date) -> None:
    if valid_from < grade.valid_from or (grade.valid_to is not None and valid_from >= grade.valid_to):
        raise CatalogueError(_("The grade is not in force on %(day)s.") % {"day": valid_from}, rule="R7")
    check_new_period(rows=Amount.objects.filter(grade=grade, fund_source=fund_source), valid_from=valid_from, rule="R7")


def set_amount(
    *,
    grade: Grade,
    fund_source: str,
    amount,
    ratio,
    market_price: MarketPrice,
    valid_from: date,
    by=None,
    reason: str = "",
    is_demo: bool = False,
) -> Amount:
    """Set the amount of one fund source for a grade from ``valid_from`` (R7, R14).

    The amount in force is never edited: it is closed the day before ``valid_from`` (its ``valid_to`` becomes
    ``valid_from``) and a new row opens. A change takes effect today or later, so what applied on a past day
    never changes; only a grade's first amount for a fund source may start in the past.
    """
    try:
        amount, ratio = yuan(amount), Decimal(str(ratio))
    except (InvalidOperation, ValueError) as exc:
        raise CatalogueError(_("The amount and the ratio must be numbers."), rule="R14") from exc
    _ensure_municipal_if_named(by)
    with transaction.atomic():
        lock_trail()
        grade = Grade.objects.select_for_update(of=("self",)).select_related("item").get(pk=grade.pk)
        check_amount(
            grade=grade, fund_source=fund_source, amount=amount, ratio=ratio, market_price=market_price, on=valid_from
        )
        check_amount_period(grade=grade, fund_source=fund_source, valid_from=valid_from)
        rows = Amount.objects.filter(grade=grade, fund_source=fund_source)
        current = rows.filter(valid_from__lt=valid_from).order_by("-valid_from").first()
        valid_to = None
        if current is not None and (current.valid_to is None or current.valid_to > valid_from):
            valid_to = current.valid_to
            current.valid_to = valid_from
            current.save(update_fields=["valid_to"])
        new = Amount.objects.create(
            grade=grade,
            fund_source=fund_source,
            amount=amount,
            ratio=ratio,
            market_price=market_price,
            valid_from=valid_from,
            valid_to=valid_to,
            reason=reason,
            created_by=by if by is not None and by.is_authenticated else None,
            is_demo=is_demo,
        )
        record_event(
            subject=new,
            action="amount_set",
            actor=by,
            reason=reason,
            data={
                "grade": grade.pk,
                "fund_source": fund_source,
                "amount": amount,
                "ratio": ratio,
                "valid_from": valid_from,
                "replaces": current.pk if current else None,
            },
        )
    return new


def set_ratio_ceiling(
    *, fund_source: str, ratio_class: str, ceiling, valid_from: date, rule: str, by=None, note: str = ""
) -> RatioCeiling:
    """A new ceiling from ``valid_from``; the one in force closes then (R15, R17, R18)."""
    ceiling = Decimal(str(ceiling))
    if not (0 < ceiling <= 1):
        raise CatalogueError(_("A ratio ceiling is more than 0 and at most 100%."), rule=rule or "R15")
    _ensure_municipal_if_named(by)
    with transaction.atomic():
        lock_trail()
        rows = RatioCeiling.objects.select_for_update().filter(fund_source=fund_source, ratio_class=ratio_class)
        check_new_period(rows=rows, valid_from=valid_from, rule=rule or "R15")
        current = rows.filter(valid_to__isnull=True).first()
        if current:
            current.valid_to = valid_from
            current.save(update_fields=["valid_to"])
        row = RatioCeiling.objects.create(
            fund_source=fund_source,
            ratio_class=ratio_class,
            ceiling=ceiling,
            valid_from=valid_from,
            rule=rule,
            note=note,
        )
        record_event(
            subject=row,
            action="ratio_ceiling_set",
            actor=by,
            reason=note,
            data={"fund_source": fund_source, "ratio_class": ratio_class, "ceiling": ceiling, "valid_from": valid_from},
        )
    return row


def set_limit(*, kind: str, value, valid_from: date, rule: str, by=None) -> CatalogueLimit:
    """A new limit from ``valid_from`` (R8, R9, R16); the one in force closes then."""
    _ensure_municipal_if_named(by)
    with transaction.atomic():
        lock_trail()
        rows = CatalogueLimit.objects.select_for_update().filter(kind=kind)
        check_new_period(rows=rows, valid_from=valid_from, rule=rule)
        current = rows.filter(valid_to__isnull=True).first()
        if current:
            current.valid_to = valid_from
            current.save(update_fields=["valid_to"])
        row = CatalogueLimit.objects.create(kind=kind, value=Decimal(str(value)), valid_from=valid_from, rule=rule)
        record_event(subject=row, action="limit_set", actor=by, data={"kind": kind, "value": row.value})
    return row


# --- Flags with limits (R8, R9, R16, R32) -----------------------------------------------------------------

ITEM_FLAGS = (
    "is_key",
    "oversupplied",
    "is_high_risk",
    "is_installation",
    "is_complete_set",
    "plate_licence",
    "general_purpose",
)
GRADE_FLAGS = ("is_key", "oversupplied", "power_shift_or_cvt", "raised")


def _check_key_limits(*, on: date, items_delta: int = 0, grades_delta: int = 0, exclude_item=None, exclude_grade=None):
    rules = rules_in_force(on=on)
    if items_delta:
        cap = rules.limit(LimitKind.KEY_ITEMS)
        key_items = Item.objects.in_force(on).filter(is_key=True)
        if exclude_item is not None:
            key_items = key_items.exclude(pk=exclude_item.pk)
        if cap is not None and key_items.count() + items_delta > cap:
            raise CatalogueError(_("At most %(cap)s items may be key machinery (R8).") % {"cap": int(cap)}, rule="R8")
    if grades_delta:
        cap = rules.limit(LimitKind.KEY_GRADES)
        key_grades = Grade.objects.in_force(on).filter(is_key=True)
        if exclude_grade is not None:
            key_grades = key_grades.exclude(pk=exclude_grade.pk)
        if cap is not None and key_grades.count() + grades_delta > cap:
            raise CatalogueError(_("At most %(cap)s grades may be key machinery (R8).") % {"cap": int(cap)}, rule="R8")


def set_item_flags(*, item: Item, by, reason: str, **flags) -> Item:
    """Change an item's flags (key machinery, over-supplied, high-risk, installation, complete set,
    plate-and-licence). A key flag beyond the limit is refused (R8)."""
    ensure_municipal(by)
    unknown = set(flags) - set(ITEM_FLAGS)
    if unknown:
        raise ValueError(f"unknown flags {unknown}")
    with transaction.atomic():
        lock_trail()
        item = Item.objects.select_for_update().get(pk=item.pk)
        before = {f: getattr(item, f) for f in flags}
        if flags.get("is_key") and not item.is_key:
            _check_key_limits(on=timezone.localdate(), items_delta=1, exclude_item=item)
        for name, value in flags.items():
            setattr(item, name, bool(value))
        item.save(update_fields=list(flags))
        record_event(
            subject=item, action="item_flags_changed", actor=by, reason=reason, data={"before": before, "after": flags}
        )
    return item


def set_grade_flags(*, grade: Grade, by, reason: str, **flags) -> Grade:
    """Change a grade's flags; a key flag beyond the limit of key grades is refused (R8)."""
    ensure_municipal(by)
    unknown = set(flags) - set(GRADE_FLAGS)
    if unknown:
        raise ValueError(f"unknown flags {unknown}")
    with transaction.atomic():
        lock_trail()
        grade = Grade.objects.select_for_update().get(pk=grade.pk)
        before = {f: getattr(grade, f) for f in flags}
        if flags.get("is_key") and not grade.is_key:
            _check_key_limits(on=timezone.localdate(), grades_delta=1, exclude_grade=grade)
        for name, value in flags.items():
            setattr(grade, name, bool(value))
        grade.save(update_fields=list(flags))
        record_event(
            subject=grade,
            action="grade_flags_changed",
            actor=by,
            reason=reason,
            data={"before": before, "after": flags},
        )
    return grade


def check_innovation_room(*, year: int, strategic: bool) -> None:
    """R9: at most 10 innovation product items a year; strategic ones are not counted."""
    if strategic:
        return
    cap = rules_in_force(on=date(year, 1, 1)).limit(LimitKind.INNOVATION_ITEMS)
    counted = InnovationListing.objects.filter(year=year, strategic=False).count()
    if cap is not None and counted + 1 > cap:
        raise CatalogueError(
            _("At most %(cap)s innovation product items a year, not counting strategic ones (R9).") % {"cap": int(cap)},
            rule="R9",
        )


def list_innovation_product(
    *, item: Item, year: int, kind: str, by, reason: str = "", strategic: bool = False
) -> InnovationListing:
    """List an item as an innovation product for ``year``; at most 10 a year, strategic ones not counted (R9)."""
    ensure_municipal(by)
    with transaction.atomic():
        lock_trail()
        # The trail's lock (taken first) serialises listings, so two cannot both pass the count.
        check_innovation_room(year=year, strategic=strategic)
        try:
            with transaction.atomic():
                listing = InnovationListing.objects.create(
                    year=year, item=item, kind=kind, strategic=strategic, note=reason
                )
        except IntegrityError as exc:
            raise CatalogueError(_("This item is already listed for that year."), rule="R9") from exc
        record_event(
            subject=listing, action="innovation_listed", actor=by, reason=reason, data={"year": year, "item": item.code}
        )
    return listing


# --- Closure (R27) -----------------------------------------------------------------------------------------


def close_product(*, product: Product, by, reason: str) -> Product:
    """封闭: no new application may name the product until it is reopened (R27)."""
    ensure_municipal(by)
    if not (reason or "").strip():
        raise CatalogueError(_("Give the reason for closing the product."), rule="R27")
    with transaction.atomic():
        lock_trail()
        product = Product.objects.select_for_update().get(pk=product.pk)
        if product.closed:
            raise CatalogueError(_("The product is already closed."), rule="R27")
        closure = Closure.objects.create(product=product, reason=reason.strip(), closed_by=by)
        product.closed = True
        product.save(update_fields=["closed"])
        record_event(subject=product, action="product_closed", actor=by, reason=reason, data={"closure": closure.pk})
    return product


def reopen_product(*, product: Product, by, reason: str) -> Product:
    ensure_municipal(by)
    if not (reason or "").strip():
        raise CatalogueError(_("Give the reason for reopening the product."), rule="R27")
    with transaction.atomic():
        lock_trail()
        product = Product.objects.select_for_update().get(pk=product.pk)
        closure = Closure.objects.filter(product=product, reopened_at__isnull=True).first()
        if not product.closed or closure is None:
            raise CatalogueError(_("The product is not closed."), rule="R27")
        closure.reopened_at, closure.reopened_by, closure.reopen_reason = timezone.now(), by, reason.strip()
        closure.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
        product.closed = False
        product.save(update_fields=["closed"])
        record_event(subject=product, action="product_reopened", actor=by, reason=reason, data={"closure": closure.pk})
    return product


# --- Filing (投档, R26) -------------------------------------------------------------------------------------


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


def declared_grade_warning(*, filing: Filing) -> str:
    """For the reviewer: whether the product's declared parameters land in the grade it was filed under."""
    product = filing.product
    if not product.declared:
        return ""
    if grade_matches(product.grade.parameters.all(), product.declared):
        return ""
    return _("The declared parameters do not fall in the filed grade: check for a lower grade filed as higher.")


# --- Amount tables from XLSX ------------------------------------------------------------------------------


@dataclass
class ImportResult:
    imported: list = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_amounts(*, rows, by, valid_from: date) -> ImportResult:
    """Import an amount table: every row is checked, and nothing is kept unless every row is good."""
    from .tables import resolve_amount_row

    ensure_municipal(by)
    result = ImportResult()
    with transaction.atomic():
        lock_trail()
        for line, row in rows:
            sid = transaction.savepoint()
            try:
                values = resolve_amount_row(row, valid_from=valid_from)
                price = record_market_price(
                    grade=values["grade"],
                    year=values["year"],
                    average_price=values["average_price"],
                    source=values["price_source"],
                    assessments=values["assessments"],
                    by=by,
                )
                for fund, amount in values["amounts"].items():
                    result.imported.append(
                        set_amount(
                            grade=values["grade"],
                            fund_source=fund,
                            amount=amount,
                            ratio=values["ratios"][fund],
                            market_price=price,
                            valid_from=values["valid_from"],
                            by=by,
                            reason=_("Imported amount table"),
                        )
                    )
                transaction.savepoint_commit(sid)
            except CatalogueError as exc:
                transaction.savepoint_rollback(sid)
                result.errors.append((line, str(exc)))
        if result.errors:
            transaction.set_rollback(True)
            result.imported = []
    return result
