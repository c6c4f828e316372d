"""Officials know the policy by its own articles, not by the specification's rule numbers: office and finance pages
rendered in Chinese show no R-number (they cite 附件1第四条(七) and the like); buyer and public pages in Chinese
show no English word, only what cannot be otherwise (model codes, serial numbers, amounts). R28 (plain words)."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from applications.models import Application, Objection
from applications.workflow import State
from catalog.sale import Sale
from payments.models import PaymentBatch
from tests.core.visible import LATIN_WORD, RULE_NUMBER, visible_text

pytestmark = pytest.mark.django_db
# Unavoidable on a Chinese page: the language switch names the other language in its own words.
ALLOWED = {"English"}


def zh(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, url
    return visible_text(response.content.decode())


def signed_in(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_office_and_finance_pages_cite_the_policy_not_rule_numbers(client):
    call_command("seed_demo", verbosity=0)
    office = signed_in(client, "officer-haidian")
    some = Application.objects.filter(district__code="110108").exclude(state=State.DRAFT)
    pages = ["/office/", "/office/applications/", "/office/applications/at-risk/"]
    pages += [f"/office/applications/{a.pk}/" for a in some]
    for url in pages:
        text = zh(office, url)
        assert not RULE_NUMBER.search(text), (url, RULE_NUMBER.findall(text))
    finance = signed_in(client, "finance-haidian")
    pages = ["/finance/", "/finance/queue/", "/finance/batches/", "/finance/ledger/"]
    pages += [f"/finance/batches/{b.pk}/" for b in PaymentBatch.objects.filter(district__code="110108")]
    pages += [f"/finance/applications/{a.pk}/" for a in some.filter(state__in=[State.PAYMENT_REQUESTED, State.PAID])]
    for url in pages:
        text = zh(finance, url)
        assert not RULE_NUMBER.search(text), (url, RULE_NUMBER.findall(text))
    city = signed_in(client, "city-finance")
    for url in ("/finance/", f"/finance/year-end/?year={timezone.localdate().year}"):
        text = zh(city, url)
        assert not RULE_NUMBER.search(text), (url, RULE_NUMBER.findall(text))


def test_buyer_and_public_pages_in_chinese_have_no_english_words(client):
    call_command("seed_demo", verbosity=0)
    buyer = signed_in(client, "buyer-zhang")
    mine = Application.objects.filter(buyer__username="buyer-zhang")
    pages = ["/apply/"]
    for app in mine:
        if app.state in (State.DRAFT, State.RETURNED):
            pages += [f"/apply/{app.pk}/{step}/" for step in ("tasks", "buyer", "machine", "purchase", "documents")]
            pages += [f"/apply/{app.pk}/{step}/" for step in ("account", "commitment", "check")]
        if app.state != State.DRAFT:
            pages.append(f"/apply/{app.pk}/")
    pages += [f"/apply/sales/{s.pk}/" for s in Sale.objects.all()]
    pages += [
        f"/apply/{o.application_id}/objections/{o.pk}/answer/"
        for o in Objection.objects.filter(application__buyer__username="buyer-zhang", status="open")
    ]
    for url in pages:
        words = set(LATIN_WORD.findall(zh(buyer, url))) - ALLOWED
        assert not words, (url, words)
    client.logout()
    in_notice = Application.objects.filter(state=State.IN_NOTICE).first()
    public = ["/public/", "/public/notices/", "/public/notices/archive/", "/public/catalogue/"]
    public += ["/public/catalogue/amounts/", f"/public/notices/{in_notice.pk}/object/"]
    for url in public:
        words = set(LATIN_WORD.findall(zh(client, url))) - ALLOWED
        assert not words, (url, words)
