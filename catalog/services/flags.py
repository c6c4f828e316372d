"""Flags with limits (R8, R9, R16, R32), innovation listings, and closing or reopening a product (R27)."""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..errors import CatalogueError
from ..events import lock_trail, record_event
from ..models import (
    Closure,
    Grade,
    InnovationListing,
    Item,
    LimitKind,
    Product,
)
from ..rules import rules_in_force
from .common import ensure_municipal

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


def check_key_limits(*, on: date, items_delta: int = 0, grades_delta: int = 0, exclude_item=None, exclude_grade=None):
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
            check_key_limits(on=timezone.localdate(), items_delta=1, exclude_item=item)
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
            check_key_limits(on=timezone.localdate(), grades_delta=1, exclude_grade=grade)
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
