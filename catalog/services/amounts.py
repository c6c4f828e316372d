"""Grades, market prices, amounts, ratio ceilings and limits (R6, R7, R14–R18): the municipal bureau's catalogue
editing. Each function is one transaction, the trail's lock first, an event per change (R45)."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import CatalogueError
from ..events import lock_trail, record_event
from ..grading import ParameterSpec
from ..models import (
    Amount,
    CatalogueLimit,
    FundSource,
    Grade,
    GradeParameter,
    Item,
    LimitKind,
    MarketPrice,
    PriceAssessment,
    PriceSource,
    RatioCeiling,
    RatioClass,
    Scope,
)
from ..money import yuan
from ..rules import rules_in_force
from .common import ensure_municipal_if_named, pct
from .flags import check_key_limits


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
    ensure_municipal_if_named(by)
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
            check_key_limits(on=valid_from, grades_delta=1)
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
    ensure_municipal_if_named(by)
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
                "ratio": pct(ratio),
                "ceiling": pct(ceiling.value),
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
            % {"amount": amount, "ratio": pct(ratio), "price": market_price.average_price, "most": most},
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
                    "plus": f" + {pct(margin)}" if margin else "",
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
            % {"last": last_year.amount, "margin": pct(margin)},
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
    ensure_municipal_if_named(by)
    with transaction.atomic():
        lock_trail()
        grade = Grade.objects.select_for_update(of=("self",)).select_related("item").get(pk=grade.pk)
        check_amount(
            grade=grade, fund_source=fund_source, amount=amount, ratio=ratio, market_price=market_price, on=valid_from
        )
        check_amount_period(grade=grade, fund_source=fund_source, valid_from=valid_from)
        current, valid_to = _close_amount_in_force(grade=grade, fund_source=fund_source, valid_from=valid_from)
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


def _close_amount_in_force(*, grade: Grade, fund_source: str, valid_from: date):
    """Close the row in force before ``valid_from`` on that day (R7: never edited otherwise). Returns it (or None)
    and the end the new row inherits from it (a later change already planned)."""
    rows = Amount.objects.filter(grade=grade, fund_source=fund_source)
    current = rows.filter(valid_from__lt=valid_from).order_by("-valid_from").first()
    valid_to = None
    if current is not None and (current.valid_to is None or current.valid_to > valid_from):
        valid_to = current.valid_to
        current.valid_to = valid_from
        current.save(update_fields=["valid_to"])
    return current, valid_to


def set_ratio_ceiling(
    *, fund_source: str, ratio_class: str, ceiling, valid_from: date, rule: str, by=None, note: str = ""
) -> RatioCeiling:
    """A new ceiling from ``valid_from``; the one in force closes then (R15, R17, R18)."""
    ceiling = Decimal(str(ceiling))
    if not (0 < ceiling <= 1):
        raise CatalogueError(_("A ratio ceiling is more than 0 and at most 100%."), rule=rule or "R15")
    ensure_municipal_if_named(by)
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
    ensure_municipal_if_named(by)
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
