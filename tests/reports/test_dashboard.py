"""Dashboards: the bureaus see the city and each district, a district officer their own; money by source with the
execution rate; constant queries at two data sizes."""

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import State, Step
from payments.models import EntryKind


def _fund(rows, district):
    rows.entry(district, "central", EntryKind.ALLOCATION, "100000.00", "2026-03-02")
    rows.entry(district, "central", EntryKind.PAYMENT, "-25000.00", "2026-11-20")


@time_machine.travel("2026-12-01 10:00 +0800")
def test_the_bureau_sees_money_states_and_deadlines_at_risk(rows, haidian, changping, login, cast):
    _fund(rows, haidian)
    app = rows.application(haidian, state=State.PREREGISTERED)
    rows.deadline(app, Step.ACCEPT, "2026-11-20", 2, "2026-11-24")
    response = login(cast["city"]).get("/office/dashboard/")
    assert response.status_code == 200
    central = response.context["data"]["money"][0]
    assert (str(central["received"]), str(central["paid"]), str(central["rate"])) == ("100000.00", "25000.00", "25.0")
    assert central["runs_out_on"] is not None
    assert response.context["data"]["preregistered"] == 1
    assert response.context["data"]["at_risk"][0]["overdue"] == 1
    page = response.content.decode()
    # The chart is an SVG image of its own (its styles stay inside it, out of the page's CSP), a table beside it.
    import base64
    import re

    charts = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert charts and all(base64.b64decode(c).decode().lstrip().startswith(("<?xml", "<svg")) for c in charts)
    assert "<caption>" in page and "<script" not in page.split("<main")[-1].split("</main>")[0]
    assert "<style" not in page.split("<main")[-1].split("</main>")[0]
    only = login(cast["city"]).get("/office/dashboard/?district=110114")
    assert only.context["data"]["money"][0]["paid"] == 0


@time_machine.travel("2026-12-01 10:00 +0800")
def test_a_district_officer_sees_their_own_district_only(rows, haidian, changping, login, cast):
    _fund(rows, haidian)
    response = login(cast["other_officer"]).get("/office/dashboard/?district=110108")
    assert response.context["data"]["money"][0]["paid"] == 0  # 昌平区's, not 海淀区's
    assert login(cast["buyer"]).get("/office/dashboard/").status_code == 403
    assert login(cast["city"]).get("/office/dashboard/?district=999999").status_code == 404


@time_machine.travel("2026-12-01 10:00 +0800")
def test_the_dashboard_keeps_a_constant_number_of_queries(rows, haidian, login, cast):
    client = login(cast["finance"])
    _fund(rows, haidian)
    with CaptureQueriesContext(connection) as small:
        client.get("/finance/dashboard/")
    for n in range(10):
        app = rows.application(haidian, state=State.ACCEPTED)
        rows.deadline(app, Step.VERIFY, "2026-11-02", 13, f"2026-11-{19 + n % 3}")
        rows.entry(haidian, "municipal", EntryKind.ALLOCATION, "1000.00", "2026-11-03")
    with CaptureQueriesContext(connection) as large:
        client.get("/finance/dashboard/")
    assert len(large) == len(small)


@time_machine.travel("2026-12-01 10:00 +0800")
def test_money_far_above_its_pace_has_no_run_out_date_rather_than_a_server_error_R21(rows, haidian, login, cast):
    rows.entry(haidian, "central", EntryKind.ALLOCATION, "9000000000.00", "2026-03-02")
    rows.entry(haidian, "central", EntryKind.PAYMENT, "-1.00", "2026-11-20")  # a pace of a few fen a day
    response = login(cast["city"]).get("/office/dashboard/")
    assert response.status_code == 200
    assert response.context["data"]["money"][0]["runs_out_on"] is None
