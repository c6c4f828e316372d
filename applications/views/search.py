"""The product search on the buyer's machine step: products open for application today (R26, R27), with the
subsidy each would get."""

from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from catalog.selectors import amounts_by_grade, products_open_for_application, search_terms

SEARCH_LIMIT = 20


def search_products(query: str):
    """Products open for application today whose model, name, manufacturer or item matches (R26, R27)."""
    products = products_open_for_application(on=timezone.localdate()).select_related("item__subcategory")
    query = " ".join(query.split())
    if not query:
        return []
    for word in query.split(" ")[:4]:
        found = Q(model__icontains=word) | Q(manufacturer__name__icontains=word) | Q(item__code__startswith=word)
        for term in search_terms(word):  # the everyday names farmers use, too (无人机)
            found |= Q(name__icontains=term) | Q(item__name__icontains=term) | Q(grade__name__icontains=term)
        products = products.filter(found)
    products = list(products.order_by("item__scope", "item__sort_key", "model")[:SEARCH_LIMIT])
    table = amounts_by_grade(on=timezone.localdate(), grade_ids={p.grade_id for p in products})
    for product in products:
        amounts = table.get(product.grade_id, {})
        product.expected_total = sum((a.amount for a in amounts.values()), Decimal("0")) if amounts else None
    return products
