"""Reads, already scoped to the user (see accounts.scope)."""

from django.db.models import Q, QuerySet

from . import crypto, scope
from .backends import MOBILE_RE
from .models import Town, User


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


def towns(*, district=None) -> list[Town]:
    """The towns in use, of one district or of every district taking part, with their district."""
    found = Town.objects.filter(active=True, district__active=True).select_related("district")
    return list(found.filter(district=district) if district is not None else found)


def town_choices(towns: list[Town]) -> list:
    """Choices for a town field: one group per district, or a plain list when they are all of one district."""
    groups: dict[str, list] = {}
    for town in towns:
        groups.setdefault(town.district.display_name, []).append((town.pk, town.name))
    return groups.popitem()[1] if len(groups) == 1 else list(groups.items())
