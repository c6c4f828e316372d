"""The buyer's declared scale of production (sign 6 of A1 §4(8)), recorded by the district office that knows it:
every change is an event with the figures before and after and the reason, and the nightly scan reads it."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import scope

from . import events
from .cases import DECIDERS
from .errors import AuditError
from .models import BuyerScale

FIELDS = ("land_mu", "herd_head", "facility_m2")


def _plain(scale: BuyerScale | None) -> dict:
    """The figures as the trail keeps them: areas to the hundredth, heads whole, None where not declared."""
    out = {}
    for field in FIELDS:
        value = getattr(scale, field) if scale else None
        out[field] = None if value is None else str(value) if field == "herd_head" else f"{Decimal(value):.2f}"
    return out


def record_scale(*, buyer_id: int, officer, reason: str, land_mu=None, herd_head=None, facility_m2=None) -> BuyerScale:
    """Set the buyer's declared land, herd and facility area (any may be empty); refused without a reason."""
    if officer.role not in DECIDERS:
        raise PermissionDenied(_("Only the agriculture office records a buyer's scale of production."))
    reason = (reason or "").strip()
    if not reason:
        raise AuditError(_("Say where the figures come from (a land contract, a herd register, a site visit)."),
                         rule="R38")  # fmt: skip
    with transaction.atomic():
        buyer = scope.get_or_404(scope.buyers_for(officer).select_for_update(of=("self",)), pk=buyer_id)
        scale = BuyerScale.objects.filter(buyer=buyer).first()
        before = _plain(scale)
        scale = scale or BuyerScale(buyer=buyer)
        scale.land_mu, scale.herd_head, scale.facility_m2 = land_mu, herd_head, facility_m2
        scale.recorded_by, scale.recorded_at = officer, timezone.now()
        scale.save()
        events.record(scale, action="scale_recorded", actor=officer, reason=reason,
                      data={"buyer": buyer.pk, "before": before, "after": _plain(scale)})  # fmt: skip
    return scale
