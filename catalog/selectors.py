"""Reading the catalogue: what is in force on a date, what an application snapshots, which products may be named.

Public reads (the tree, grades, amounts) need no user; reads of filings and certificates start from the user's
scope, so a manufacturer sees only its own and the municipal bureau sees all.
"""

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.scope import Decision, get_or_404

from .errors import CatalogueError
from .grading import grade_matches
from .models import (
    CONVENTIONAL_CERTIFICATES,
    Amount,
    Category,
    CertificateKind,
    Closure,
    Filing,
    FilingState,
    FundSource,
    Grade,
    GradeParameter,
    Item,
    Manufacturer,
    Product,
    QualificationKind,
    Scope,
    SearchSynonym,
    Subcategory,
)
from .rules import rules_in_force

# --- The tree and its grades ---------------------------------------------------------------------------


def catalogue_tree(*, on: date, scope: str | None = None) -> QuerySet[Category]:
    """Categories in force with their subcategories and items in force (3 queries whatever the size)."""
    grades_then = Q(grades__valid_from__lte=on) & (Q(grades__valid_to__isnull=True) | Q(grades__valid_to__gt=on))
    items = Item.objects.in_force(on).order_by("sort_key").annotate(grade_count=Count("grades", filter=grades_then))
    subcategories = Subcategory.objects.in_force(on).order_by("sort_key").prefetch_related(Prefetch("items", items))
    categories = Category.objects.in_force(on).order_by("scope", "sort_key")
    if scope:
        categories = categories.filter(scope=scope)
    return categories.prefetch_related(Prefetch("subcategories", subcategories))


ITEM_CODE = re.compile(r"^[\d.]+$")


def search_terms(word: str) -> list[str]:
    """The word as typed, and the catalogue's words for it where it is, or holds, an everyday name farmers use
    (无人机 → 无人驾驶航空器; the list is ``SearchSynonym``, kept in the admin). One query."""
    word = word.strip()
    if not word:
        return []
    terms = [word]
    for synonym in SearchSynonym.objects.all():
        if synonym.word in word:
            terms += [t for t in synonym.terms() if t not in terms]
    return terms


def search_items(*, on: date, query: str = "", scope: str | None = None) -> QuerySet[Item]:
    """Items in force whose code starts with, or whose name contains, ``query`` or a catalogue word it stands for."""
    items = Item.objects.in_force(on).select_related("subcategory__category").order_by("scope", "sort_key")
    if scope:
        items = items.filter(scope=scope)
    query = (query or "").strip()
    if query:
        found = Q(code=query) | Q(code__startswith=f"{query}.")
        for term in [query] if ITEM_CODE.match(query) else search_terms(query):
            found |= (
                Q(name__icontains=term)
                | Q(subcategory__name__icontains=term)
                | Q(subcategory__category__name__icontains=term)
            )
        items = items.filter(found)
    return items


def grades_in_force(*, on: date, items=None) -> QuerySet[Grade]:
    """Grades in force with their item and parameters (2 queries); ``items`` narrows to those items."""
    grades = (
        Grade.objects.in_force(on)
        .filter(Q(item__valid_to__isnull=True) | Q(item__valid_to__gt=on), item__valid_from__lte=on)
        .select_related("item")
        .prefetch_related(Prefetch("parameters", GradeParameter.objects.order_by("sort_order", "id")))
        .order_by("item__scope", "item__sort_key", "sort_order", "id")
    )
    if items is not None:
        grades = grades.filter(item__in=items)
    return grades


def amounts_by_grade(*, on: date, grade_ids) -> dict[int, dict[str, Amount]]:
    """The amounts in force on ``on`` for the grades: {grade id: {fund source: Amount}} (1 query)."""
    table: dict[int, dict[str, Amount]] = {}
    amounts = Amount.objects.in_force(on).filter(grade_id__in=list(grade_ids)).select_related("market_price")
    for amount in amounts.order_by("valid_from", "id"):
        table.setdefault(amount.grade_id, {})[amount.fund_source] = amount
    return table


def item_by_code(*, on: date, scope: str, code: str) -> Item:
    return get_or_404(Item.objects.in_force(on).select_related("subcategory__category"), scope=scope, code=code)


@dataclass
class GradeRow:
    """A grade with its amounts, as the public table shows it."""

    grade: Grade
    amounts: dict = field(default_factory=dict)

    @property
    def central(self):
        return self.amounts.get(FundSource.CENTRAL)

    @property
    def municipal(self):
        return self.amounts.get(FundSource.MUNICIPAL)

    @property
    def district(self):
        return self.amounts.get(FundSource.DISTRICT)

    @property
    def is_demo(self) -> bool:
        return self.grade.is_demo or any(a.is_demo for a in self.amounts.values())


def grade_history(*, pk: int) -> tuple[Grade, QuerySet[Amount]]:
    """A grade (404 when there is none) and every amount it has had or will have, newest first, with the average
    market price each was calculated from: what the public reads on the grade's history page (R14, R41)."""
    grades = Grade.objects.select_related("item__subcategory__category").prefetch_related("parameters")
    grade = get_or_404(grades, pk=pk)
    amounts = grade.amounts.select_related("market_price").order_by("-valid_from", "fund_source")
    return grade, amounts


def amount_table(*, on: date, grades) -> list[GradeRow]:
    grades = list(grades)
    table = amounts_by_grade(on=on, grade_ids=[g.pk for g in grades])
    return [GradeRow(grade=g, amounts=table.get(g.pk, {})) for g in grades]


# --- Versions (R7, R41) --------------------------------------------------------------------------------


def _item_snapshot(item: Item) -> dict:
    return {
        "id": item.pk,
        "code": item.code,
        "name": item.name,
        "note": item.note,
        "valid_from": item.valid_from.isoformat(),
        "is_key": item.is_key,
        "is_high_risk": item.is_high_risk,
        "is_installation": item.is_installation,
        "is_complete_set": item.is_complete_set,
        "plate_licence": item.plate_licence,
        "qualification": item.qualification,
    }


def _grade_snapshot(grade: Grade) -> dict:
    return {
        "id": grade.pk,
        "name": grade.name,
        "valid_from": grade.valid_from.isoformat(),
        "parameters": [p.text for p in grade.parameters.all()],
        "ratio_class": grade.ratio_class,
        "is_key": grade.is_key,
        "is_demo": grade.is_demo,
    }


def snapshot_for(*, grade: Grade, on: date) -> dict:
    """What an application stores at submission (R41): the item, the grade and the amounts in force on ``on``,
    and the ratio rules that applied. Asking again for the same day gives the same answer after any later change.
    """
    grade = (
        Grade.objects.select_related("item__subcategory__category")
        .prefetch_related(Prefetch("parameters", GradeParameter.objects.order_by("sort_order", "id")))
        .get(pk=grade.pk)
    )
    item = grade.item
    if not grade.in_force_on(on) or not item.in_force_on(on):
        raise CatalogueError(
            _("The grade “%(grade)s” is not in the catalogue on %(day)s.") % {"grade": grade.name, "day": on},
            rule="R7",
        )
    amounts = amounts_by_grade(on=on, grade_ids=[grade.pk]).get(grade.pk, {})
    subcategory, category = item.subcategory, item.subcategory.category
    total = sum((a.amount for a in amounts.values()), Decimal("0")) if amounts else None
    snapshot = {
        "on": on.isoformat(),
        "catalogue": item.scope,
        "category": {"id": category.pk, "code": category.code, "name": category.name},
        "subcategory": {"id": subcategory.pk, "code": subcategory.code, "name": subcategory.name},
        "item": _item_snapshot(item),
        "grade": _grade_snapshot(grade),
        "amounts": {
            fund: {
                "id": a.pk,
                "amount": str(a.amount),
                "ratio": str(a.ratio),
                "valid_from": a.valid_from.isoformat(),
                "is_demo": a.is_demo,
            }
            for fund, a in sorted(amounts.items())
        },
        "total": str(total) if total is not None else None,
        "rules": rules_in_force(on=on).as_snapshot(),
    }
    # One short string naming this version of the catalogue entry: equal snapshots, equal versions.
    content = {k: v for k, v in snapshot.items() if k != "on"}
    snapshot["version"] = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[
        :16
    ]
    return snapshot


def product_snapshot(*, product: Product, on: date) -> dict:
    """``snapshot_for`` the product's grade, with the product and its manufacturer; refused when the product may
    not be named on ``on`` (unpublished R26, closed R27, out of the catalogue R7)."""
    decision = may_name_product(product=product, on=on)
    if not decision:
        raise CatalogueError(decision.reason)
    snapshot = snapshot_for(grade=product.grade, on=on)
    manufacturer = product.manufacturer
    snapshot["product"] = {
        "id": product.pk,
        "name": product.name,
        "model": product.model,
        "published_on": product.published_on.isoformat(),
        "is_demo": product.is_demo,
        "manufacturer": {"id": manufacturer.pk, "name": manufacturer.name, "credit_code": manufacturer.credit_code},
    }
    return snapshot


@dataclass(frozen=True)
class CatalogueInForce:
    """The catalogue as it stood on one day (R7): items, grades and amounts in force then."""

    on: date

    def items(self, *, scope: str | None = None) -> QuerySet[Item]:
        return search_items(on=self.on, scope=scope)

    def grades(self, *, item: Item | None = None) -> QuerySet[Grade]:
        return grades_in_force(on=self.on, items=[item] if item is not None else None)

    def amounts(self, *, grade: Grade) -> dict[str, Amount]:
        return amounts_by_grade(on=self.on, grade_ids=[grade.pk]).get(grade.pk, {})

    def snapshot(self, *, grade: Grade) -> dict:
        return snapshot_for(grade=grade, on=self.on)

    def find_grade(self, *, item: Item, declared: dict) -> Grade:
        return find_grade(item=item, declared=declared, on=self.on)


def catalogue_in_force(*, on: date | None = None) -> CatalogueInForce:
    return CatalogueInForce(on=on or timezone.localdate())


# --- Which grade a machine lands in (R6, R14) -----------------------------------------------------------


def matching_grades(*, item: Item, declared: dict, on: date) -> list[Grade]:
    return [g for g in grades_in_force(on=on, items=[item]) if grade_matches(g.parameters.all(), declared)]


def find_grade(*, item: Item, declared: dict, on: date) -> Grade:
    """The one grade of ``item`` in force on ``on`` that the declared values land in.

    ``declared`` maps a parameter name to its value: ``{"功率": "57马力", "驱动方式": "两轮驱动"}`` (a bare number is
    read in the grade's unit). No grade, or more than one, is refused with the reason.
    """
    found = matching_grades(item=item, declared=declared, on=on)
    if not found:
        raise CatalogueError(
            _("The declared parameters fall in no grade of %(item)s.") % {"item": f"{item.code} {item.name}"},
            rule="R6",
        )
    if len(found) > 1:
        raise CatalogueError(
            _("The declared parameters fall in more than one grade: %(grades)s.")
            % {"grades": "、".join(g.name for g in found)},
            rule="R6",
        )
    return found[0]


# --- Products: qualification, closure, open for application (R10–R13, R26, R27) -----------------------


@dataclass
class Qualification:
    """Whether a product qualifies for a machine produced on P and bought on B, and why not."""

    qualifies: bool
    rule: str
    reasons: list[str] = field(default_factory=list)
    certificates: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.qualifies


def _period_text(cert) -> str:
    start = cert.valid_from.isoformat() if cert.valid_from else "…"
    end = cert.valid_until.isoformat() if cert.valid_until else "…"
    return f"{start} – {end}"


def qualification(*, product: Product, produced_on: date, bought_on: date) -> Qualification:
    """R10 (conventional machines: one appraisal or certification certificate valid on both dates), R12 (drones:
    their own qualification, valid on both dates), R13 (municipal catalogue: certificate of conformity, nameplate,
    executive standard, and a test report where a compulsory or national standard exists)."""
    item = product.item
    certificates = list(product.certificates.all())
    reasons: list[str] = []
    if produced_on > bought_on:
        reasons.append(_("The production date is after the purchase date."))

    def covering(kinds):
        """The certificates of ``kinds`` valid on both dates; the reasons why not when there are none."""
        found = [c for c in certificates if c.kind in kinds]
        good = [c for c in found if c.covers(produced_on) and c.covers(bought_on)]
        notes = []
        if found and not good:
            for c in found:
                for label, day in ((_("production date"), produced_on), (_("purchase date"), bought_on)):
                    if not c.covers(day):
                        notes.append(
                            _("%(cert)s is valid %(period)s; the %(what)s %(day)s is outside it.")
                            % {"cert": c.get_kind_display(), "period": _period_text(c), "what": label, "day": day}
                        )
        return found, good, notes

    if item.scope == Scope.MUNICIPAL or item.qualification == QualificationKind.MUNICIPAL:
        needed = [CertificateKind.CONFORMITY, CertificateKind.NAMEPLATE, CertificateKind.STANDARD]
        if product.mandatory_standard:
            needed.append(CertificateKind.TEST_REPORT)
        good_all = []
        for kind in needed:
            found, good, notes = covering({kind})
            if not found:
                reasons.append(_("Missing: %(kind)s.") % {"kind": CertificateKind(kind).label})
            reasons.extend(notes)
            good_all.extend(good[:1])
        return Qualification(qualifies=not reasons, rule="R13", reasons=reasons, certificates=good_all)
    if item.qualification == QualificationKind.DRONE:
        rule, kinds = "R12", {CertificateKind.DRONE}
        missing = _("The drone has no qualification under its own rule set (Nong Ban Ji [2017] No. 10).")
    else:
        rule, kinds = "R10", CONVENTIONAL_CERTIFICATES
        missing = _(
            "The product has no test appraisal certificate, compulsory certification or voluntary certification."
        )
    found, good, notes = covering(kinds)
    if not found:
        reasons.append(missing)
    reasons.extend(notes)
    return Qualification(qualifies=not reasons, rule=rule, reasons=reasons, certificates=good)


def _closed_on(on: date):
    return Closure.objects.filter(product=OuterRef("pk"), closed_at__date__lte=on).filter(
        Q(reopened_at__isnull=True) | Q(reopened_at__date__gt=on)
    )


def products_open_for_application(*, on: date | None = None) -> QuerySet[Product]:
    """Products an application may name on ``on``: filing published, not closed, item and grade in force (R26, R27)."""
    on = on or timezone.localdate()
    return (
        Product.objects.filter(published_on__isnull=False, published_on__lte=on)
        .filter(Q(item__valid_to__isnull=True) | Q(item__valid_to__gt=on), item__valid_from__lte=on)
        .filter(Q(grade__valid_to__isnull=True) | Q(grade__valid_to__gt=on), grade__valid_from__lte=on)
        .exclude(Exists(_closed_on(on)))
        .select_related("manufacturer", "item", "grade")
    )


def may_name_product(*, product: Product, on: date | None = None) -> Decision:
    """Whether a new application may name ``product`` on ``on``, and why not (R26, R27, R7)."""
    on = on or timezone.localdate()
    if product.published_on is None or product.published_on > on:
        return Decision(False, _("This product's filing has not been published (R26)."))
    closed = Closure.objects.filter(product=product, closed_at__date__lte=on).filter(
        Q(reopened_at__isnull=True) | Q(reopened_at__date__gt=on)
    )
    if closed.exists():
        return Decision(False, _("This product is closed pending investigation (R27)."))
    if not product.item.in_force_on(on) or not product.grade.in_force_on(on):
        return Decision(False, _("This product's item or grade is not in the catalogue on that date (R7)."))
    return Decision(True)


# --- Filings, scoped -------------------------------------------------------------------------------------


def manufacturers_for(user) -> QuerySet[Manufacturer]:
    if not user.is_authenticated or not user.is_active:
        return Manufacturer.objects.none()
    if user.role == Role.CITY_AGRICULTURE:
        return Manufacturer.objects.all()
    if user.role == Role.MANUFACTURER:
        return Manufacturer.objects.filter(members=user)
    return Manufacturer.objects.none()


def filings_for(user, *, state: str | None = None) -> QuerySet[Filing]:
    """The filings the user may see: the municipal bureau all, a manufacturer's user its own."""
    if not user.is_authenticated or not user.is_active:
        filings = Filing.objects.none()
    elif user.role == Role.CITY_AGRICULTURE:
        filings = Filing.objects.exclude(state=FilingState.DRAFT)
    elif user.role == Role.MANUFACTURER:
        filings = Filing.objects.filter(manufacturer__members=user)
    else:
        filings = Filing.objects.none()
    if state:
        filings = filings.filter(state=state)
    # R43: the bureau sees at a glance how many marks the manufacturer's credit record carries.
    filings = filings.annotate(credit_marks=Count("manufacturer__credit_records", distinct=True))
    return filings.select_related("manufacturer", "product__item", "product__grade").order_by("-created_at", "-id")


def filing_for(user, *, pk: int) -> Filing:
    return get_or_404(filings_for(user), pk=pk)


def products_for(user) -> QuerySet[Product]:
    if not user.is_authenticated or not user.is_active:
        return Product.objects.none()
    if user.role == Role.CITY_AGRICULTURE:
        products = Product.objects.all()
    elif user.role == Role.MANUFACTURER:
        products = Product.objects.filter(manufacturer__members=user)
    else:
        return Product.objects.none()
    return products.select_related("manufacturer", "item", "grade")
