"""Every list and detail page keeps its number of queries whatever the data (issue 15; DESIGN "Scale we design
for"): each page is read at two sizes (the demo data set with one copy of each application, then with eleven)
and must make the same number of queries. A detail page is read before and after its application gains ten more
events, warnings and documents."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from applications.models import Application, ApplicationEvent, Document, EventAction, Warning
from applications.workflow import State
from audits.models import AuditTask, Investigation

pytestmark = pytest.mark.django_db

# (page, who reads it: a demo username or None for the public, path or a function of the world giving it)
LISTS = [
    ("office queue", "officer-haidian", "/office/applications/"),
    ("office queue, due soon", "officer-haidian", "/office/applications/?due=soon"),
    ("office queue, overdue", "officer-haidian", "/office/applications/?due=overdue"),
    ("office queue, all states", "officer-haidian", "/office/applications/?state=all"),
    ("office queue, page 2", "officer-haidian", "/office/applications/?page=2"),
    ("municipal queue", "city-agri", "/office/applications/"),
    ("municipal queue, search", "city-agri", "/office/applications/?q=2026"),
    ("at risk, municipal", "city-agri", "/office/applications/at-risk/"),
    ("public notices", None, "/public/notices/"),
    ("public notice archive", None, "/public/notices/archive/"),
    ("finance queue, district", "finance-haidian", "/finance/queue/"),
    ("finance queue, municipal", "city-finance", "/finance/queue/"),
    ("ledger, district", "finance-haidian", "/finance/ledger/"),
    ("ledger, municipal", "city-finance", "/finance/ledger/"),
    ("batches, district", "finance-haidian", "/finance/batches/"),
    ("year-end preview", "city-finance", "/finance/year-end/"),
    ("reports, municipal", "city-agri", "/office/reports/"),
    ("overtime report, municipal", "city-agri", "/office/overtime/"),
    ("dashboard, municipal", "city-agri", "/office/dashboard/"),
    ("annual summaries", "city-agri", "/office/summaries/"),
    ("audit tasks", "auditor", "/audit/"),
    ("audit warnings", "auditor", "/audit/warnings/"),
    ("audit investigations", "auditor", "/audit/investigations/"),
    ("audit runs", "auditor", "/audit/runs/"),
    ("public beneficiaries", None, "/public/beneficiaries/"),
    ("public progress", None, "/public/progress/"),
    ("buyer's home", "buyer-zhang", "/apply/"),
    ("API office queue", "officer-haidian", "/api/v1/office/applications?limit=50"),
    ("API finance queue", "finance-haidian", "/api/v1/finance/queue"),
    ("API balances", "city-finance", "/api/v1/finance/balances"),
    ("API public notices", None, "/api/v1/notices"),
]

#: Pages whose queries grow with the rows today, for the list-page work of issue 15 (branch ``pages``).
GROWING = {}


def statements(client, path: str) -> tuple[int, int]:
    client.get(path)  # once to warm what a process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    return response.status_code, len(ctx.captured_queries)


def reader(client, username):
    if username:
        client.force_login(User.objects.get(username=username))
        user = User.objects.get(username=username)
        if "/api/" in "".join(p for _l, u, p in LISTS if u == username):
            from api.tokens import create_personal_token

            client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {create_personal_token(user=user, name='test')[1]}"
    return client


@pytest.mark.parametrize(
    ("page", "username", "path"),
    [
        pytest.param(*page, marks=pytest.mark.xfail(reason=GROWING[page[0]])) if page[0] in GROWING else page
        for page in LISTS
    ],
    ids=[page[0] for page in LISTS],
)
def test_a_list_page_makes_as_many_queries_for_eleven_times_the_rows(client, grow, page, username, path):
    reader(client, username)
    grow(1)
    status, few = statements(client, path)
    assert status == 200, f"{page}: HTTP {status}"
    grow(10)
    status, many = statements(client, path)
    assert status == 200
    assert many == few, f"{page}: {few} queries with the demo data twice, {many} with it twelve times"


def _in_notice():
    return Application.objects.filter(state=State.IN_NOTICE, district__code="110108").order_by("pk").first()


def _paid():
    return Application.objects.filter(state=State.PAID, district__code="110108").order_by("pk").first()


DETAILS = [
    ("office detail", "officer-haidian", lambda: _in_notice(), "/office/applications/{pk}/"),
    ("finance application", "finance-haidian", lambda: _paid(), "/finance/applications/{pk}/"),
    ("buyer's application", None, lambda: _in_notice(), "/apply/{pk}/"),
    ("API office application", "officer-haidian", lambda: _in_notice(), "/api/v1/office/applications/{pk}"),
]


def more_rows(application: Application, n: int) -> None:
    """``n`` more events (on a valid chain), open warnings and documents on ``application``."""
    from applications import events

    for i in range(n):
        events.record(application, action=EventAction.OVERDUE, from_state=application.state, data={"step": str(i)})
    Warning.objects.bulk_create(
        Warning(application=application, code=f"test-{i}", rule="R38", message="test") for i in range(n)
    )
    document = Document.objects.filter(application=application).first()
    fields = {f.attname: getattr(document, f.attname) for f in Document._meta.concrete_fields if not f.primary_key}
    copies = [Document(**{**fields, "uploaded_at": timezone.now() + timedelta(seconds=i)}) for i in range(n)]
    Document.objects.bulk_create(copies)


@pytest.mark.parametrize(("page", "username", "application", "path"), DETAILS, ids=[d[0] for d in DETAILS])
def test_a_detail_page_makes_as_many_queries_for_ten_more_events_warnings_and_documents(
    client, world, page, username, application, path
):
    app = application()
    assert app is not None
    username = username or app.buyer.username
    reader(client, username)
    url = path.format(pk=app.pk)
    status, few = statements(client, url)
    assert status == 200, f"{page}: HTTP {status}"
    more_rows(app, 10)
    assert ApplicationEvent.objects.filter(application=app).count() > 10
    status, many = statements(client, url)
    assert status == 200
    assert many == few, f"{page}: {few} queries, {many} with ten more events, warnings and documents"


def test_an_audit_task_and_an_investigation_keep_their_queries(client, world, grow):
    reader(client, "auditor")
    task, case = AuditTask.objects.order_by("pk").first(), Investigation.objects.order_by("pk").first()
    assert task is not None and case is not None
    paths = [f"/audit/tasks/{task.pk}/", f"/audit/investigations/{case.pk}/"]
    before = [statements(client, path) for path in paths]
    grow(10)
    assert [statements(client, path) for path in paths] == before
