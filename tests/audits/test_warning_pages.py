"""The warnings in plain words with their figures: on the auditor's list (scoped to its districts) and on the
office's queue and detail page, each page in a constant number of queries (R38)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits import signs
from audits.models import Sign
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LIST = reverse("audits:warnings")


@pytest.fixture
def every_app_warned(rule):
    rule(Sign.UNIT_SUBSIDY, "1")


def test_the_auditor_reads_the_warning_in_plain_words_with_figures_R38(login, cast, live, every_app_warned):
    live(cast["buyer"], amount="18300.00")
    signs.scan()
    content = login(cast["auditor"]).get(LIST).content.decode()
    assert "单台补贴额18,300.00元，高于预警值1元。" in content
    assert "张*" in content and "张三" not in content


def test_a_district_auditor_sees_only_its_district_and_others_are_refused_R38(
    client, login, cast, live, every_app_warned, haidian
):
    live(cast["buyer"])
    live(cast["other_buyer"])  # 昌平区
    signs.scan()
    district_auditor = make_user("a-hd", "auditor", haidian)
    page = login(district_auditor).get(LIST)
    assert [w.application.district_id for w in page.context["page"].object_list] == [haidian.pk]
    assert len(login(cast["auditor"]).get(LIST).context["page"].object_list) == 2  # the municipal auditor: all
    assert login(cast["officer"]).get(LIST).status_code == 403  # the office works on /office/
    client.logout()
    assert client.get(LIST).status_code == 302


def test_the_warning_list_keeps_its_queries_at_10_and_1000_applications_R38(
    login, cast, live, every_app_warned, django_assert_num_queries
):
    client = login(cast["auditor"])
    live(cast["buyer"], 10)
    signs.scan()
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST).status_code == 200
    live(cast["other_buyer"], 990)
    signs.scan()
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 50


def test_the_office_queue_shows_the_figures_and_keeps_its_queries_R38(
    login, cast, live, every_app_warned, django_assert_num_queries
):
    client = login(cast["officer"])
    live(cast["buyer"], 10)
    signs.scan()
    queue = reverse("office:queue")
    with CaptureQueriesContext(connection) as small:
        content = client.get(queue).content.decode()
    assert "单台补贴额18,300.00元，高于预警值1元。" in content
    live(cast["buyer"], 990)
    signs.scan()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(queue).status_code == 200


def test_the_office_detail_shows_the_warning_with_its_figures_R38(login, cast, submitted, every_app_warned):
    app = submitted()
    content = login(cast["officer"]).get(reverse("office:detail", args=[app.pk])).content.decode()
    assert "单台补贴额18,300.00元，高于预警值1元。" in content
