"""Audit work on /audit/ (R38): the task list by due date, scoped to the auditor's districts (another
district's task is not found), no full ID, phone or account number, the control report with photos, the
print, the buyer's remarks, and the list in a constant number of queries."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import AuditTask, ControlReport, Investigation, ReportPhoto, TaskState
from audits.sampling import draw_run
from tests.applications.conftest import jpeg
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
TASKS = reverse("audits:tasks")


@pytest.fixture
def runs(cast, submitted, live, haidian, changping):
    """One real application of 张三 in 海淀区 (with ID, phone and account) and one in 昌平区, each drawn."""
    mine = submitted()
    live(cast["other_buyer"], district=changping)
    today = timezone.localdate()
    period = {"period_start": today - timedelta(days=3), "period_end": today, "by": cast["city"]}
    from catalog.models import Item

    Item.objects.filter(pk=mine.product.item_id).update(is_high_risk=True)  # drawn whole: every unit is a task
    return draw_run(district=haidian, seed="h", **period), draw_run(district=changping, seed="c", **period), mine


@pytest.fixture
def district_auditor(haidian):
    return make_user("a-hd", "auditor", haidian)


def test_an_auditor_sees_its_districts_tasks_and_another_districts_are_not_found_R38(
    login, runs, district_auditor, cast
):
    hd, cp, mine = runs
    client = login(district_auditor)
    listed = client.get(TASKS).context["page"].object_list
    assert [t.application_id for t in listed] == [mine.pk]
    other = AuditTask.objects.get(run=cp)
    for name in ("audits:task", "audits:task_print"):
        assert client.get(reverse(name, args=[other.pk])).status_code == 404
    assert client.post(reverse("audits:task", args=[other.pk]), {"met": "x"}).status_code == 404
    assert not ControlReport.objects.exists()
    assert len(login(cast["auditor"]).get(TASKS).context["page"].object_list) == 2  # municipal auditor
    assert login(cast["buyer"]).get(TASKS).status_code == 403


def test_the_auditor_never_sees_a_full_id_phone_or_account_number_R38(login, runs, district_auditor):
    _hd, _cp, mine = runs
    task = AuditTask.objects.get(application=mine)
    client = login(district_auditor)
    for name in ("audits:task", "audits:task_print"):
        content = client.get(reverse(name, args=[task.pk])).content.decode()
        assert "110108197503120033" not in content and "13900000001" not in content
        assert "6228480010012345678" not in content
        assert "110***********0033" in content and "张*" in content


def report(**extra):
    return {
        "visited_on": timezone.localdate().isoformat(),
        "how": "on_site",
        "met": "张三本人",
        "nameplate_seen": "TX-554",
        "serial_seen": "SN-0001",
        "location": "海淀区上庄镇",
        "notes": "",
        **extra,
    }


def test_a_control_report_with_photos_then_a_conclusion_and_the_buyer_remarks_R38(
    login, runs, district_auditor, cast, client
):
    _hd, _cp, mine = runs
    task = AuditTask.objects.get(application=mine)
    auditor = login(district_auditor)
    url = reverse("audits:task", args=[task.pk])
    response = auditor.post(url, {**report(), "photos": [jpeg("a.jpg"), jpeg("b.jpg")]})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.VISITED and ReportPhoto.objects.filter(report__task=task).count() == 2
    photo = ReportPhoto.objects.first()
    assert auditor.get(reverse("audits:photo", args=[photo.pk]))["Content-Type"] == "image/jpeg"
    bad = auditor.post(url, {**report(), "photos": [SimpleUploadedFile("x.jpg", b"not an image")]})
    assert bad.status_code == 200 and "error-summary" in (page := bad.content.decode())
    assert "不是照片或扫描件" in page or "无法读取" in page, page[page.find("error-summary") :][:400]
    assert ReportPhoto.objects.count() == 2
    auditor.post(url, report(conclusion="no_problem"))
    task.refresh_from_db()
    assert task.state == TaskState.CONCLUDED
    printed = auditor.get(reverse("audits:task_print", args=[task.pk])).content.decode()
    assert "未发现问题" in printed and "张三本人" in printed
    # the buyer is told, reads the record and adds a remark
    buyer = login(cast["buyer"])
    remark_url = reverse("audits_buyer:report", args=[task.report.pk])
    assert "未发现问题" in buyer.get(remark_url).content.decode()
    buyer.post(remark_url, {"text": "机具在合作社院内"})
    assert task.report.remarks.get().text == "机具在合作社院内"
    assert login(cast["other_buyer"]).get(remark_url).status_code == 404


def test_a_suspected_violation_opens_an_investigation_R38(login, runs, district_auditor):
    _hd, _cp, mine = runs
    task = AuditTask.objects.get(application=mine)
    login(district_auditor).post(
        reverse("audits:task", args=[task.pk]), report(conclusion="suspected", notes="铭牌与出厂编号不符")
    )
    investigation = Investigation.objects.get(application=mine)
    assert investigation.source == "task" and investigation.reason == "铭牌与出厂编号不符"
    mine.refresh_from_db()
    assert mine.state == "under_investigation"


def test_the_task_list_keeps_its_queries_at_10_and_1000_applications_R38(
    login, cast, live, haidian, django_assert_num_queries
):
    from catalog.models import Item

    client = login(cast["auditor"])
    apps = live(cast["buyer"], 10)
    Item.objects.filter(pk=apps[0].product.item_id).update(is_high_risk=True)
    today = timezone.localdate()
    period = {"district": haidian, "period_start": today - timedelta(days=1), "period_end": today, "by": cast["city"]}
    run = draw_run(seed="a", **period)
    with CaptureQueriesContext(connection) as small:
        assert client.get(TASKS).status_code == 200
    live(cast["buyer"], 990)
    draw_run(seed="b", redraw_of=run, redraw_reason="全部", **period)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(TASKS)
    assert len(response.context["page"].object_list) == 50
