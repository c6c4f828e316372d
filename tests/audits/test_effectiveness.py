"""How well each part of a run worked (R38): findings and confirmed violations per part, and per warning sign how
many of its warnings ended in a confirmed violation; and an investigation opened from a warning."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audits import cases, signs
from audits.effectiveness import figures
from audits.models import AuditTask, Investigation, Part, RiskWarning, Sign
from audits.sampling import draw_run
from audits.services import record_report

pytestmark = pytest.mark.django_db


def report(task, auditor, conclusion, notes=""):
    record_report(
        task_id=task.pk,
        auditor=auditor,
        conclusion=conclusion,
        visited_on=timezone.localdate(),
        how="phone",
        met="本人",
        notes=notes,
    )


def test_the_run_shows_findings_per_part_and_violations_per_sign_R38(cast, live, rule, haidian, login):
    for sign in (Sign.MULTI_UNIT, Sign.BURST_BUYER, Sign.PRODUCT_VOLUME, Sign.BURST_DISTRICT):
        rule(sign, 100000, period_days=30)
    rule(Sign.UNIT_SUBSIDY, "50000")
    live(cast["buyer"], 38)
    live(cast["other_buyer"], 2, district=haidian, amount="90000.00")  # warned: the risk part takes them
    signs.scan()
    today = timezone.localdate()
    run = draw_run(
        district=haidian, period_start=today - timedelta(days=1), period_end=today, seed="e", by=cast["city"]
    )
    tasks = {t.selection.part: t for t in AuditTask.objects.filter(run=run).select_related("selection")}
    risky = AuditTask.objects.filter(run=run, selection__part=Part.RISK, application__total_amount=90000).first()
    assert risky is not None
    report(tasks[Part.RANDOM], cast["auditor"], "no_problem")
    report(risky, cast["auditor"], "suspected", notes="发票价格虚高")
    investigation = Investigation.objects.get(application=risky.application)
    case = cases.propose_decision(
        investigation_id=investigation.pk, officer=cast["officer"], party="buyer", proposed="拟认定虚抬价格"
    )
    cases.record_answer(case_id=case.pk, user=cast["officer"], text="书面：无")
    cases.decide_case(
        case_id=case.pk, officer=cast["officer"], decision="violation", kind="inflated_price", text="虚抬价格"
    )
    result = figures(run)
    parts = {p["part"]: p for p in result["parts"]}
    assert (parts[Part.RANDOM]["concluded"], parts[Part.RANDOM]["findings"]) == (1, 0)
    assert (parts[Part.RISK]["findings"], parts[Part.RISK]["violations"]) == (1, 1)
    assert result["signs"] == [
        {"sign": Sign.UNIT_SUBSIDY, "label": Sign.UNIT_SUBSIDY.label, "warnings": 2, "violations": 1}
    ]
    page = login(cast["city"]).get(reverse("audits:run", args=[run.pk])).content.decode()
    assert "各部分抽查成效" in page and "单台补贴额高" in page


def test_an_investigation_is_opened_from_a_warning_R38(cast, submitted, rule, login):
    rule(Sign.UNIT_SUBSIDY, "1")
    app = submitted()
    warning = RiskWarning.objects.get(application=app)
    client = login(cast["officer"])
    url = reverse("audits:investigate_warning", args=[warning.pk])
    assert client.post(url, {"reason": "核实补贴额"}).status_code == 302
    assert Investigation.objects.get(application=app).warning == warning
    assert login(cast["other_officer"]).post(url, {"reason": "x"}).status_code == 404
