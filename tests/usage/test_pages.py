"""R20 pages: the buyer's progress and one-step claim, the office's progress, records to check and import, the public
list of pilot kinds; refusals (another buyer or district 404, a role outside the workspace 403); constant queries."""

import pytest
from django.urls import reverse

from applications.models import Application, Kind, State
from core import spreadsheets
from tests.usage.conftest import at, work
from usage.models import RecordEvent, RecordStatus

pytestmark = pytest.mark.django_db


def test_the_buyer_sees_the_progress_of_a_machine_R20(login, machine, pilot):
    m = machine()
    work(m, start=at(4, 1, 8), volume="326")
    page = login(m.buyer).get(reverse("apply_usage:machine", args=[m.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "326/500" in text and 'data-met="no"' in text
    assert 'id="claim-form"' not in text
    home = login(m.buyer).get(reverse("apply_usage:home")).content.decode()
    assert f'data-machine="{m.pk}"' in home and "326/500" in home
    application_page = login(m.buyer).get(reverse("apply:application", args=[m.pk])).content.decode()
    assert 'id="usage-panel"' in application_page and "326/500" in application_page


def test_the_buyer_claims_in_one_step_once_the_targets_are_met_R20(login, machine, pilot):
    m = machine()
    work(m, start=at(4, 1, 8), volume="500")
    client = login(m.buyer)
    page = client.get(reverse("apply_usage:machine", args=[m.pk])).content.decode()
    assert 'id="claim-form"' in page
    unsigned = client.post(reverse("apply_usage:claim", args=[m.pk]), {})
    assert unsigned.status_code == 302 and not Application.objects.filter(kind=Kind.INCENTIVE).exists()
    response = client.post(reverse("apply_usage:claim", args=[m.pk]), {"accept_commitment": "on"})
    claim = Application.objects.get(kind=Kind.INCENTIVE)
    assert response.url == reverse("apply:application", args=[claim.pk])
    assert claim.state == State.SUBMITTED
    assert 'id="usage-panel"' in client.get(response.url).content.decode()


def test_another_buyer_does_not_find_the_machine_R20(login, cast, machine, pilot):
    m = machine()
    client = login(cast["other_buyer"])
    assert client.get(reverse("apply_usage:machine", args=[m.pk])).status_code == 404
    assert client.post(reverse("apply_usage:claim", args=[m.pk]), {"accept_commitment": "on"}).status_code == 404
    assert client.get(reverse("apply_usage:add_record", args=[m.pk])).status_code == 404


def test_the_buyer_adds_a_record_with_a_photo_R20(login, machine, pilot, photo):
    m = machine()
    client = login(m.buyer)
    url = reverse("apply_usage:add_record", args=[m.pk])
    form = {"day": "2026-04-01", "start": "08:00", "end": "10:00", "volume": "30", "latitude": "40.03"}
    missing = client.post(url, form)
    assert missing.status_code == 200 and 'class="error-summary"' in missing.content.decode()
    response = client.post(url, {**form, "longitude": "116.3", "measure_0": "27", "files": [photo()]})
    assert response.status_code == 302
    record = m.work_records.get()
    assert record.status == RecordStatus.FLAGGED and record.evidence.count() == 1


def test_the_office_sees_progress_checks_a_record_and_starts_a_claim_R20(login, cast, machine, pilot):
    m = machine()
    work(m, start=at(4, 1, 8), volume="480")
    flagged = work(m, start=at(4, 2, 8), volume="30", status=RecordStatus.FLAGGED)
    client = login(cast["officer"])
    page = client.get(reverse("office_usage:progress")).content.decode()
    assert f'data-machine="{m.pk}"' in page and "480/500" in page
    assert f'data-record="{flagged.pk}"' in client.get(reverse("office_usage:flagged")).content.decode()
    client.post(reverse("office_usage:review", args=[flagged.pk]), {"decision": "accept", "reason": "轨迹核实"})
    assert RecordEvent.objects.get(record=flagged).reason == "轨迹核实"
    response = client.post(reverse("office_usage:start_claim", args=[m.pk]), {"note": "代购机者申请"})
    claim = Application.objects.get(kind=Kind.INCENTIVE)
    assert response.url == reverse("office:detail", args=[claim.pk])
    assert client.get(response.url).status_code == 200  # the ordinary application page shows the claim


def test_another_district_does_not_find_the_machine_or_record_R20(login, cast, machine, pilot):
    m = machine()
    flagged = work(m, start=at(4, 2, 8), volume="30", status=RecordStatus.FLAGGED)
    client = login(cast["other_officer"])
    assert client.get(reverse("office_usage:machine", args=[m.pk])).status_code == 404
    assert client.post(reverse("office_usage:start_claim", args=[m.pk])).status_code == 404
    assert f'data-machine="{m.pk}"' not in client.get(reverse("office_usage:progress")).content.decode()
    assert f'data-record="{flagged.pk}"' not in client.get(reverse("office_usage:flagged")).content.decode()
    client.post(reverse("office_usage:review", args=[flagged.pk]), {"decision": "accept", "reason": "x"})
    flagged.refresh_from_db()
    assert flagged.status == RecordStatus.FLAGGED


@pytest.mark.parametrize("role", ["buyer", "finance"])
def test_a_role_outside_the_office_is_refused_R20(login, cast, role):
    assert login(cast[role]).get(reverse("office_usage:progress")).status_code == 403


def test_a_buyer_page_is_refused_to_an_official(login, cast):
    assert login(cast["officer"]).get(reverse("apply_usage:home")).status_code == 403


def test_the_import_page_lists_errors_by_row_R20(login, cast, machine, pilot):
    machine()
    header = ["出厂编号", "开始时间", "结束时间", "作业量", "纬度", "经度", "耕深"]
    data = spreadsheets.xlsx_bytes([header, ["SN-NONE", "2026-04-01T08:00", "2026-04-01T10:00", 30, 40.03, 116.3, 27]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("x.xlsx", data)
    page = login(cast["officer"]).post(reverse("office_usage:import"), {"file": upload})
    assert page.status_code == 200
    assert "error-summary" in page.content.decode()


def test_the_public_list_shows_the_years_pilot_kinds_R20(client, pilot):
    page = client.get(reverse("public_usage:pilot_kinds")).content.decode()
    assert f'data-pilot="{pilot.pk}"' in page and "20%" in page
    assert "R20" not in page


def test_the_office_progress_page_keeps_its_queries_constant_R20(
    login, cast, machine, pilot, django_assert_max_num_queries
):
    first = machine(serial="SN-0001")
    work(first, start=at(4, 1, 8), volume="100")
    client = login(cast["officer"])
    url = reverse("office_usage:progress")
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for n in range(2, 5):
        m = machine(serial=f"SN-000{n}")
        work(m, start=at(4, n, 8), volume="100")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_buyers_list_keeps_its_queries_constant_R20(login, machine, pilot, django_assert_max_num_queries):
    first = machine(serial="SN-0001")
    work(first, start=at(4, 1, 8), volume="100")
    client = login(first.buyer)
    url = reverse("apply_usage:home")
    with django_assert_max_num_queries(25) as few:
        client.get(url)
    for n in range(2, 5):
        work(machine(serial=f"SN-000{n}"), start=at(4, n, 8), volume="100")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("data-machine=") == 4
