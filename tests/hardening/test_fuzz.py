"""No input crashes a worker (issue 14, part 3): every form and filter a user can reach, driven with arbitrary
text by hypothesis, answers with the form's error, a refusal or a 400, never a 500 (R45's "bad input: a clear
message, never a server error").

The forms are not listed by hand: each user of the cast walks the pages from their workspace (links followed
within the site, admin and sign-out left out), and every ``<form>`` found (its action, method and field names)
and every page with a query string is fuzzed. The figures (requests tried, refused, 500s) are printed.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from payments import services as payments

pytestmark = pytest.mark.django_db

STARTS = ["/", "/apply/", "/office/", "/office/applications/", "/finance/", "/audit/", "/filing/", "/public/"]
SKIP = re.compile(r"^/(admin/|accounts/logout|i18n/|static/|media/)|/(document|certificate)s?/\d+/?$")
FILTERS = ["q", "page", "state", "district", "year", "on", "item", "manufacturer", "closed", "original", "start"]
MAX_PAGES = 40

# Arbitrary text, with what a fuzzer favours: NUL and control characters, long runs, digits that are not ASCII,
# numbers of any size, formula starts. Surrogates cannot be sent in UTF-8 at all, so they are left out.
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=300),
    st.sampled_from(["\x00", "a\x00b", "²", "١٢", "-1", "0", "99999999999999999999", "1e309", "=1+2", "NaN"]),
    st.text(st.sampled_from("0123456789-.:/ \x00"), max_size=40),
    st.just("x" * 5000),
)


class Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self.links, self._form = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        elif tag == "form":
            self._form = {
                "action": attrs.get("action") or "",
                "method": (attrs.get("method") or "get").lower(),
                "fields": {},
                "files": set(),
            }
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea") and attrs.get("name"):
            if attrs.get("type") == "file":
                self._form["files"].add(attrs["name"])
            elif attrs["name"] != "csrfmiddlewaretoken":
                self._form["fields"].setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def walk(client) -> tuple[list[dict], list[str]]:
    """The forms and pages a signed-in client reaches from the workspaces."""
    seen, queue, forms = set(), list(STARTS), {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or SKIP.search(path):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(response.content.decode())
        for form in parser.forms:
            action = urlsplit(urljoin(path, form["action"] or path)).path
            if SKIP.search(action):
                continue
            key = (action, form["method"], tuple(sorted(form["fields"])), tuple(sorted(form["files"])))
            forms.setdefault(key, {**form, "action": action})
        for href in parser.links:
            link = urlsplit(urljoin(path, href))
            if not link.netloc and link.path not in seen:
                queue.append(link.path)
    return list(forms.values()), sorted(seen)


@pytest.fixture
def world(cast, haidian, fund, requested, verified, second_finance):
    """Data in most states, so the pages show their forms: a submitted and a verified application, one in its
    public notice, one handed to finance in an approved and exported batch, one waiting in the finance queue."""
    from applications import services

    fund(haidian)
    verified(serial="SN-F1")
    services.open_notice(application_id=verified(serial="SN-F2").pk, officer=cast["officer"])
    paid = requested(serial="SN-F3")
    requested(serial="SN-F4")
    batch = payments.build_batch(officer=cast["finance"], application_ids=[paid.pk])
    payments.approve_batch(batch_id=batch.pk, officer=second_finance)
    payments.export_batch(batch_id=batch.pk, officer=cast["finance"], file_format="csv")
    return cast


def test_every_form_and_filter_answers_arbitrary_text_without_a_500_R45(world, capsys):
    users = ["buyer", "officer", "finance", "city", "city_finance", "auditor", "maker", None]
    targets = []
    for name in users:
        client = Client(raise_request_exception=False)
        if name:
            client.force_login(world[name])
        forms, pages = walk(client)
        targets += [(client, name, "form", form) for form in forms]
        targets += [(client, name, "page", {"action": page, "method": "get", "fields": {}}) for page in pages]
    figures = {"tried": 0, "refused": 0, "errors": []}

    @settings(
        max_examples=max(400, 4 * len(targets)),
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def fuzz(data):
        client, name, kind, form = data.draw(st.sampled_from(targets))
        fields = list(form["fields"]) if kind == "form" else FILTERS
        chosen = data.draw(st.lists(st.sampled_from(fields), unique=True)) if fields else []
        payload = {**form["fields"], **{field: data.draw(TEXT) for field in chosen}}
        if form["method"] == "post":
            for field in form.get("files", ()):
                payload[field] = _file(data.draw(st.binary(max_size=2000)))
            response = client.post(form["action"], payload)
        else:
            response = client.get(form["action"], payload)
        figures["tried"] += 1
        if 400 <= response.status_code < 500:
            figures["refused"] += 1
        if response.status_code >= 500:
            figures["errors"].append((name, form["method"], form["action"], {k: payload[k] for k in chosen}))

    fuzz()
    with capsys.disabled():
        print(
            f"\nfuzz: {len(targets)} forms and pages; {figures['tried']} requests tried, "
            f"{figures['refused']} refused (4xx), {len(figures['errors'])} answered 500"
        )
    assert figures["errors"] == []


def _file(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("fuzz.csv", content)
