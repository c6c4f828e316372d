"""The public notice (公示, R34) at /public/notices/: anyone reads it, personal data masked, and anyone may object;
an objection pauses the notice and puts the application under investigation."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import BuyerKind, District, Role
from applications import services
from applications.models import Application, ApplicationEvent, Deadline, Objection, Step
from applications.workflow import State
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

NOTICES = reverse("notices:list")


@pytest.fixture
def in_notice(cast, verified):
    def _in_notice(**kwargs) -> Application:
        app = verified(**kwargs)
        return services.open_notice(application_id=app.pk, officer=cast["officer"])

    return _in_notice


def objection_url(app):
    return reverse("notices:object", args=[app.pk])


def test_anyone_reads_the_notice_with_the_buyers_name_masked_and_no_personal_numbers_R34(client, in_notice):
    app = in_notice()
    response = client.get(NOTICES)
    content = response.content.decode()
    assert response.status_code == 200
    assert app.number in content and "张*" in content and "¥18,300.00" in content
    assert "张三" not in content
    for secret in ("110108197503120033", "13900000001", "6228480010012345678"):
        assert secret not in content
    notice = Deadline.objects.get(application=app, step=Step.NOTICE)
    assert notice.started_on.isoformat() in content and notice.due_on.isoformat() in content
    assert objection_url(app) in content


def test_an_organisation_is_named_in_full_R34(client, cast, haidian, in_notice):
    coop = make_user(
        "coop", Role.BUYER, haidian, buyer_kind=BuyerKind.COOPERATIVE, display_name="海淀区绿野农机专业合作社"
    )
    in_notice(buyer=coop, serial="SN-COOP")
    assert "海淀区绿野农机专业合作社" in client.get(NOTICES).content.decode()


def test_only_applications_in_notice_are_published_R34(client, cast, in_notice, submitted, verified):
    published = in_notice(serial="SN-1")
    waiting = submitted(serial="SN-2")
    checked = verified(serial="SN-3")
    page = client.get(NOTICES)
    assert [a.pk for a in page.context["listing"].rows] == [published.pk]
    for app in (waiting, checked):
        assert client.get(objection_url(app)).status_code == 404
        assert client.post(objection_url(app), {"text": "有问题"}).status_code == 404
    assert not Objection.objects.exists()


def test_the_notice_is_shown_by_district(client, cast, in_notice, haidian, changping):
    app = in_notice()
    assert [a.pk for a in client.get(NOTICES, {"district": haidian.code}).context["listing"].rows] == [app.pk]
    assert list(client.get(NOTICES, {"district": changping.code}).context["listing"].rows) == []
    assert client.get(NOTICES, {"district": "nonsense"}).status_code == 200


def test_the_notice_takes_the_same_number_of_queries_whatever_its_length(client, in_notice, django_assert_num_queries):
    in_notice(serial="SN-1")
    with CaptureQueriesContext(connection) as small:
        client.get(NOTICES)
    for n in range(2, 6):
        in_notice(serial=f"SN-{n}")
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(client.get(NOTICES).context["listing"].rows) == 5


def test_an_anonymous_objection_pauses_the_notice_and_gives_a_reference_R34(client, in_notice):
    app = in_notice()
    assert client.get(objection_url(app)).status_code == 200
    response = client.post(objection_url(app), {"text": "这台拖拉机是旧机翻新", "name": "", "contact": ""})
    assert response.status_code == 302 and response["Location"] == reverse("notices:received")
    objection = Objection.objects.get(application=app)
    assert (objection.text, objection.name, objection.contact) == ("这台拖拉机是旧机翻新", "", "")
    app.refresh_from_db()
    assert app.state == State.UNDER_INVESTIGATION
    assert Deadline.objects.get(application=app, step=Step.NOTICE).paused
    thanks = client.get(reverse("notices:received"))
    assert thanks.status_code == 200
    assert f"{objection.pk:06d}" in thanks.content.decode()
    # The application is no longer in notice: a second objection finds nothing to object to.
    assert client.get(objection_url(app)).status_code == 404


def test_an_objection_keeps_the_name_and_contact_given_R34(login, cast, in_notice):
    app = in_notice()
    client = login(cast["other_buyer"])
    client.post(objection_url(app), {"text": "发票金额与实际不符", "name": "李四", "contact": "13900000002"})
    objection = Objection.objects.get(application=app)
    assert (objection.name, objection.contact) == ("李四", "13900000002")
    assert ApplicationEvent.objects.filter(application=app, action="objection").count() == 1


def test_an_objection_without_text_changes_nothing_R34(client, in_notice):
    app = in_notice()
    response = client.post(objection_url(app), {"text": "   ", "name": "王五"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Objection.objects.exists()
    app.refresh_from_db()
    assert app.state == State.IN_NOTICE


def test_the_thank_you_page_without_an_objection_goes_back_to_the_notice(client):
    response = client.get(reverse("notices:received"))
    assert response.status_code == 302 and response["Location"] == NOTICES


def test_one_address_may_pause_only_so_many_notices_a_day_and_keeps_what_it_wrote_R34(client, settings, in_notice):
    """Every objection pauses a notice: past the daily limit, one address is refused, above the form, and the text
    it wrote is still there; another address may still object, and so may the first one a day later."""
    settings.OBJECTION_DAILY_LIMIT = 2
    apps = [in_notice(serial=f"SN-{n}") for n in range(4)]
    for app in apps[:2]:
        assert client.post(objection_url(app), {"text": "旧机翻新"}, REMOTE_ADDR="203.0.113.7").status_code == 302
    refused = client.post(objection_url(apps[2]), {"text": "发票造假", "name": "王五"}, REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 200
    form = refused.context["form"]
    assert form.non_field_errors() and not form.has_error("text")
    assert "2" in form.non_field_errors()[0] and "发票造假" in refused.content.decode()
    apps[2].refresh_from_db()
    assert apps[2].state == State.IN_NOTICE and Objection.objects.count() == 2
    stored = Objection.objects.first()
    assert stored.sender_key and "203.0.113.7" not in stored.sender_key  # a keyed hash, never the address

    District.objects.filter(pk=apps[2].district_id).update(complaint_phone="12316")
    again = client.post(objection_url(apps[2]), {"text": "发票造假"}, REMOTE_ADDR="203.0.113.7")
    assert "12316" in again.context["form"].non_field_errors()[0]  # where else to go, when the district published it

    assert client.post(objection_url(apps[2]), {"text": "发票造假"}, REMOTE_ADDR="198.51.100.9").status_code == 302
    Objection.objects.update(received_at=timezone.now() - timedelta(hours=25))
    assert client.post(objection_url(apps[3]), {"text": "旧机翻新"}, REMOTE_ADDR="203.0.113.7").status_code == 302
