"""Access is checked on the server for every object (issue 14's probe, rerun after every change): on the demo data,
every address of the site that names an object by number is asked for by two users of the same role who must never
share an object — the two districts' officers, their finance officers, the two demo buyers — and by a buyer where
only officials go. An object belongs to one district and one buyer, so an address that answers both users of a
pair with the page is a leak, whatever the object is; the wrong role must be refused. The patterns are not listed
by hand but read from the URL configuration, so a new page is probed the day it is added. Figures are printed.
"""

import re
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PAIRS = [("officer-haidian", "officer-changping"), ("finance-haidian", "finance-changping"),
         ("buyer-zhang", "buyer-coop")]  # fmt: skip
#: Pages of things every user of a role may read whatever their district: the catalogue, the public side.
CITY_WIDE = {"catalog:office_product", "catalog:public_grade", "catalog:public_item", "notices:object"}
PUBLIC = re.compile(r"^(admin|public|api|accounts/reset|static|media|i18n)/")
OFFICIAL_ONLY = re.compile(r"^(office|finance|audit)/")
#: What a string parameter of a pattern can be: the values the pages themselves link to.
CHOICES = {"kind": ["pdf", "xlsx", "complaint", "objection"], "file_format": ["csv", "xlsx"]}
OBJECTS = range(1, 11)  # the demo's first objects of every table belong to both districts in turn


def patterns(resolver=None, prefix="", namespace=""):
    """(route, 'namespace:name', parameter names) of every pattern that names an object by number."""
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}:{p.namespace}".strip(":") if p.namespace else namespace
            yield from patterns(p, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern) and p.name and "<int:" in str(p.pattern):
            route = prefix + str(p.pattern)
            if not PUBLIC.match(route):
                yield route, f"{namespace}:{p.name}".strip(":"), re.findall(r"<(\w+):(\w+)>", route)


def addresses(name, params):
    """Every address of a pattern over the demo's first object numbers (and each string parameter's values)."""
    out = [{}]
    for kind, param in params:
        values = list(OBJECTS) if kind == "int" else CHOICES.get(param, [])
        out = [{**kwargs, param: v} for kwargs in out for v in values]
    return [reverse(name, kwargs=kwargs) for kwargs in out]


def fresh_sequences() -> None:
    """Object numbers as a fresh database gives them: earlier tests of the session moved PostgreSQL's sequences on
    (a rollback does not move them back), so the demo's first objects would not be numbers 1 to 10."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)


def signed_in(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def shown(response) -> bool:
    return response.status_code == 200


@time_machine.travel("2026-12-01 10:00 +0800", tick=True)
def test_no_object_is_shown_to_two_users_who_must_not_share_it_and_no_buyer_reaches_an_office_R45(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    fresh_sequences()
    call_command("seed_demo")
    probed = [(route, name, params) for route, name, params in patterns() if name not in CITY_WIDE]
    figures, leaks, errors = Counter(), [], []
    for one, other in PAIRS:
        first, second = signed_in(one), signed_in(other)
        for _route, name, params in probed:
            for address in addresses(name, params):
                a, b = first.get(address), second.get(address)
                figures["requests"] += 2
                figures["shown"] += shown(a) + shown(b)
                errors += [(user, address) for user, r in ((one, a), (other, b)) if r.status_code >= 500]
                if shown(a) and shown(b):
                    leaks.append((one, other, address))
                for user, client, response in ((one, second, a), (other, first, b)):
                    if shown(response):  # what one may see, the other may not change either
                        refused = client.post(address, {})
                        figures["requests"] += 1
                        if refused.status_code < 400 and refused.status_code != 302:
                            leaks.append((user, "POST", address, refused.status_code))
                        if refused.status_code == 302 and "/accounts/login" not in refused["Location"]:
                            leaks.append((user, "POST", address, refused["Location"]))
    buyer = signed_in("buyer-zhang")
    for route, name, params in probed:
        if OFFICIAL_ONLY.match(route):
            for address in addresses(name, params)[:3]:
                response = buyer.get(address)
                figures["requests"] += 1
                if shown(response):
                    leaks.append(("buyer-zhang", address))
    print(
        f"\naccess matrix: {len(probed)} patterns, {figures['requests']} requests, {figures['shown']} pages shown "
        f"to their owner, {len(leaks)} leaks, {len(errors)} server errors"
    )
    assert figures["shown"] > 50  # the probe reached real objects, not only refusals
    assert leaks == []
    assert errors == []
