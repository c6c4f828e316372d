"""The application's rules, one home each: what a submission needs (R29), the cash threshold (R28), the account
number's length, and which verification a machine gets (R32) from the product's flags and the district's rules."""

import random
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_noop

from .models import Application, DistrictRule, DocumentKind, PaymentMethod, VerificationMethod
from .workflow import NOT_LIVE, State

#: R29: the photos or scans every submission needs (a base outside Beijing also needs its proof, R5).
REQUIRED_DOCUMENTS = (DocumentKind.INVOICE, DocumentKind.NAMEPLATE, DocumentKind.MACHINE, DocumentKind.IDENTITY)

#: R28: above this invoice price a cash payment is flagged for the officials (never refused).
CASH_FLAG_ABOVE = Decimal("5000.00")

#: A card or account number: digits only, this many.
ACCOUNT_DIGITS = range(8, 31)


def cash_flagged(payment_method: str, invoice_price) -> bool:
    """R28: paid in cash above the threshold."""
    return payment_method == PaymentMethod.CASH and invoice_price is not None and invoice_price > CASH_FLAG_ABOVE


def account_digits(value: str) -> str | None:
    """The account number without spaces when it is a valid one (digits, 8 to 30 of them), else None."""
    number = "".join((value or "").split())
    return number if number.isdigit() and len(number) in ACCOUNT_DIGITS else None


def district_rule_on(district, on: date) -> DistrictRule:
    """The district's rule row in force on ``on`` (the latest that started on or before it)."""
    return district_rules_on([district], on)[district.pk]


def district_rules_on(districts, on: date) -> dict[int, DistrictRule]:
    """Each district's rule row in force on ``on``, in one query (a district without one: the defaults)."""
    found: dict[int, DistrictRule] = {}
    rows = DistrictRule.objects.filter(district__in=districts, valid_from__lte=on)
    for rule in rows.order_by("district_id", "-valid_from"):
        found.setdefault(rule.district_id, rule)
    return {d.pk: found.get(d.pk) or DistrictRule(district=d, valid_from=on) for d in districts}


def district_rules_at(pairs) -> dict[tuple[int, date], DistrictRule]:
    """``district_rule_on`` for many (district id, date) pairs, in one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    rows = DistrictRule.objects.filter(
        district_id__in={district for district, _on in pairs}, valid_from__lte=max(on for _d, on in pairs)
    ).order_by("district_id", "-valid_from")
    by_district: dict[int, list[DistrictRule]] = {}
    for rule in rows:
        by_district.setdefault(rule.district_id, []).append(rule)
    found = {}
    for district, on in pairs:
        in_force = (rule for rule in by_district.get(district, []) if rule.valid_from <= on)
        found[district, on] = next(in_force, None) or DistrictRule(district_id=district, valid_from=on)
    return found


def _first_in_district(application: Application) -> bool:
    """Whether no earlier application of this district, past acceptance, names the same product."""
    earlier = (
        Application.objects.filter(district_id=application.district_id, product_id=application.product_id)
        .exclude(pk=application.pk)
        .exclude(state__in=[*NOT_LIVE, State.SUBMITTED, State.RETURNED])
    )
    return not earlier.exists()


# Why each method was proposed: English source text, stored in the acceptance event and translated when shown.
WHY = {
    "high_risk": gettext_noop("High-risk machine: every unit is verified."),
    "complete_set": gettext_noop("Complete set of facility equipment: experts with district finance."),
    "licence": gettext_noop("Plate-and-licence machine: licensed first, no site visit."),
    "installation": gettext_noop("Installation or facility equipment: on site after use."),
    "high_amount": gettext_noop("High subsidy amount, first time in the district: on site after use."),
    "sampled": gettext_noop("Drawn in the district's sample: verified on site."),
    "not_sampled": gettext_noop("Not drawn in the sample: verified on the documents."),
}


def propose_verification(*, application: Application, on: date, rng: random.Random) -> tuple[str, str, float | None]:
    """(method, why, draw): R32 in order — high-risk: every unit; complete set: experts with district finance;
    plate-and-licence: licence check; installation or facility equipment, or a high-amount machine the first
    time it appears in the district: on site after use; others: a sample at the district's ratio, drawn here
    (the draw is returned so the event records it)."""
    item = application.snapshot.get("item", {})
    if item.get("is_high_risk"):
        return VerificationMethod.EVERY_UNIT, WHY["high_risk"], None
    if item.get("is_complete_set"):
        return VerificationMethod.EXPERT, WHY["complete_set"], None
    if item.get("plate_licence"):
        return VerificationMethod.LICENCE, WHY["licence"], None
    if item.get("is_installation"):
        return VerificationMethod.AFTER_USE, WHY["installation"], None
    rule = district_rule_on(application.district, on)
    high = application.total_amount is not None and application.total_amount >= rule.high_amount
    if high and _first_in_district(application):
        return VerificationMethod.AFTER_USE, WHY["high_amount"], None
    draw = rng.random()
    if draw < float(rule.sample_ratio):
        return VerificationMethod.SAMPLE, WHY["sampled"], draw
    return VerificationMethod.DOCUMENTS, WHY["not_sampled"], draw
