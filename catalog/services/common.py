"""What the catalogue's services share: the municipal bureau's role check and percentages as people write them."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import Role

from ..models import (
    CreditKind,
)

FALSE_FILING_KINDS = {CreditKind.FALSE_FILING_OUT_OF_SCOPE, CreditKind.FALSE_FILING_LOWER_GRADE}


def ensure_municipal(user) -> None:
    """Only the municipal agriculture bureau (or a superuser in the admin) changes the catalogue, reviews filings
    and closes products."""
    if not (user.is_authenticated and (user.role == Role.CITY_AGRICULTURE or user.is_superuser)):
        raise PermissionDenied(_("Only the municipal agriculture bureau may do this."))


def ensure_municipal_if_named(user) -> None:
    """Data migrations and the demo seeder pass no user; anyone named must be the municipal bureau."""
    if user is not None:
        ensure_municipal(user)


def pct(ratio: Decimal) -> str:
    return f"{(ratio * 100).normalize():f}%"
