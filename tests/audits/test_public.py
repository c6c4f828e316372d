"""The public side of oversight: complaints followed by their reference (R25), entering the same intake as
objections, and the decided violation cases published with personal data masked (R42)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits import cases, complaints
from audits.models import Case, Complaint, ComplaintStatus, Decision, Investigation

pytestmark = pytest.mark.django_db
NEW = reverse("audits_public:complaint_new")


def test_a_complaint_gets_a_reference_and_its_status_can_be_followed_R25(client, haidian):
    haidian.complaint_phone = "010-62000000"
    haidian.save()
    form = client.get(NEW).content.decode()
    assert "010-62000000" in form
    response = client.post(NEW, {"district": haidian.pk, "text": "某合作社一年买了五台同样的拖拉机", "name": ""})
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.reference in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert complaint.reference in page and "已收到" in page
    looked_up = client.get(reverse("audits_public:complaint_status"), {"reference": complaint.reference.lower()})
    assert "已收到" in looked_up.content.decode()
    missing = client.get(reverse("audits_public:complaint_status"), {"reference": "NOPE1234"}).content.decode()
    assert "没有这个查询编号" in missing


def test_an_empty_complaint_keeps_what_was_typed_R25(client, haidian):
    response = client.post(NEW, {"district": haidian.pk, "text": "  ", "name": "王五", "contact": "13800000000"})
    assert response.status_code == 200 and not Complaint.objects.exists()
    content = response.content.decode()
    assert "王五" in content and "13800000000" in content


def test_a_complaint_enters_the_intake_opens_an_investigation_and_its_outcome_is_shown_R25(
    client, login, cast, submitted, haidian
):
    app = submitted()
    services_app = app
    complaint = complaints.submit_complaint(district=haidian, text="机具没见过", application_number=app.number)
    officer = login(cast["officer"])
    intake = officer.get(reverse("audits:intake")).content.decode()
    assert complaint.reference in intake
    assert (
        cast["other_officer"]
        and complaint.reference not in login(cast["other_officer"]).get(reverse("audits:intake")).content.decode()
    )
    officer = login(cast["officer"])
    response = officer.post(reverse("audits:intake_act", args=["complaint", complaint.pk]), {"reason": "核实举报"})
    investigation = Investigation.objects.get(complaint=complaint)
    assert response["Location"] == reverse("audits:investigation", args=[investigation.pk])
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.INVESTIGATING
    case = cases.propose_decision(
        investigation_id=investigation.pk, officer=cast["officer"], party="buyer", proposed="拟认定虚假购置"
    )
    cases.record_answer(case_id=case.pk, user=cast["buyer"], text="无")
    cases.decide_case(
        case_id=case.pk, officer=cast["officer"], decision=Decision.VIOLATION, kind="false_purchase", text="属实"
    )
    client.logout()
    status = client.get(reverse("audits_public:complaint_status_of", args=[complaint.reference])).content.decode()
    assert "已答复" in status
    published = client.get(reverse("audits_public:violations")).content.decode()
    assert "虚假购置" in published and case.number in published and "张*" in published and "张三" not in published
    assert services_app


def _decided_cases(cast, live, n, *, decision=Decision.VIOLATION):
    apps = live(cast["buyer"], n)
    today = timezone.localdate()
    investigations = Investigation.objects.bulk_create(
        Investigation(
            application=a,
            district=a.district,
            source="warning",
            reason="x",
            opened_by=cast["officer"],
            closed_at=timezone.now(),
        )
        for a in apps
    )
    start = Case.objects.count()
    Case.objects.bulk_create(
        Case(
            investigation=inv,
            number=f"WG-T-{start + i}",
            party="buyer",
            proposed="x",
            proposed_by=cast["officer"],
            proposed_on=today,
            answer_due_on=today,
            decision=decision,
            kind="false_purchase",
            decided_on=today,
        )
        for i, inv in enumerate(investigations)
    )


def test_only_violations_are_published_and_the_page_keeps_its_queries_R42(
    client, cast, live, django_assert_num_queries
):
    _decided_cases(cast, live, 10)
    _decided_cases(cast, live, 3, decision=Decision.CLEARED)
    url = reverse("audits_public:violations")
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    assert response.context["page"].paginator.count == 10
    _decided_cases(cast, live, 990)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 50


def test_one_connection_files_at_most_the_daily_limit_and_is_told_the_telephone_R25(client, haidian, settings):
    settings.COMPLAINT_DAILY_LIMIT = 2
    haidian.complaint_phone = "010-62000000"
    haidian.save()
    for n in range(2):
        assert (
            client.post(NEW, {"district": haidian.pk, "text": f"第{n}条举报"}, REMOTE_ADDR="10.0.0.7").status_code
            == 302
        )
    refused = client.post(NEW, {"district": haidian.pk, "text": "第三条举报", "name": "王五"}, REMOTE_ADDR="10.0.0.7")
    content = refused.content.decode()
    assert refused.status_code == 200 and Complaint.objects.count() == 2
    assert "010-62000000" in content and "明天" in content and "第三条举报" in content and "R25" not in content
    other = client.post(NEW, {"district": haidian.pk, "text": "另一个人的举报"}, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 302 and Complaint.objects.count() == 3


def test_the_complainants_contact_is_stored_encrypted_R25(haidian):
    complaint = complaints.submit_complaint(district=haidian, text="冒名申请", contact=" 13800000009 ")
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_encrypted FROM audits_complaint WHERE id = %s", [complaint.pk])
        stored = cursor.fetchone()[0]
    assert "13800000009" not in stored and Complaint.objects.get().contact == "13800000009"
