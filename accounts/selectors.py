"""Reads, already scoped to the user (see accounts.scope)."""

from django.db.models import Q, QuerySet

from . import crypto, scope
from .backends import MOBILE_RE
from .models import User


def buyer_list(*, user, query: str = "") -> QuerySet[User]:
    """Buyers the official may look up, searched by name, by exact mobile or ID number, or by credit code."""
    buyers = scope.buyers_for(user).order_by("display_name", "pk")
    query = query.strip()
    if not query:
        return buyers
    index = crypto.blind_index(query)
    if MOBILE_RE.match(query):
        return buyers.filter(mobile_index=index)
    return buyers.filter(Q(display_name__icontains=query) | Q(id_number_index=index) | Q(credit_code=query.upper()))


def buyer_for(*, user, pk: int) -> User:
    return scope.get_or_404(scope.buyers_for(user), pk=pk)
