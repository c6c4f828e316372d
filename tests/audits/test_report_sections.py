"""The monthly compliance report counts the oversight work (R38, R25, R42): the warning signs raised, the sampling
runs and what they selected, the checks' findings, the violation cases and how they ended, the complaints; for the
district it belongs to only, in its month and in the year to date."""

from datetime import date

import pytest
import time_machine

from audits import cases, signs
from audits.complaints import submit_complaint
from audits.models import AuditTask, Decision, Sign, Source
from audits.models.work import Conclusion
from audits.sampling import draw_run
from audits.services import record_report
from reports.figures import compute
from reports.periods import Month
from reports.tables import tables

pytestmark = pytest.mark.django_db
OCTOBER, NOVEMBER = Month(2026, 10), Month(2026, 11)


@pytest.fixture
def october_work(cast, live, rule, haidian):
    with time_machine.travel("2026-10-14 09:00 +0800", tick=False):
        rule(Sign.UNIT_SUBSIDY, "18300.00")
        for sign in (Sign.MULTI_UNIT, Sign.BURST_BUYER, Sign.BURST_DISTRICT, Sign.PRODUCT_VOLUME):
            rule(sign, "99", period_days=30)  # only the high subsidy per unit is raised here
        flagged = live(cast["buyer"], 2, amount="18300.01")
        live(cast["buyer"], 3)
        assert signs.scan() == 2
        draw_run(district=haidian, seed="2026-10-14 福彩", by=cast["city"],
                 period_start=date(2026, 10, 1), period_end=date(2026, 10, 14))  # fmt: skip
        task = AuditTask.objects.filter(district=haidian).first()
        record_report(task_id=task.pk, auditor=cast["auditor"], conclusion=Conclusion.NO_PROBLEM,
                      visited_on=date(2026, 10, 14), how="on_site", met="张三")  # fmt: skip
        submit_complaint(district=haidian, text="有人冒名申请补贴")
        investigation = cases.open_investigation(
            application_id=flagged[0].pk, source=Source.WARNING, reason="单台补贴额偏高", by=cast["officer"]
        )
        case = cases.propose_decision(
            investigation_id=investigation.pk, officer=cast["officer"], party="buyer", proposed="拟认定虚假购置"
        )
    with time_machine.travel("2026-10-28 09:00 +0800", tick=False):
        cases.decide_case(case_id=case.pk, officer=cast["officer"], decision=Decision.VIOLATION,
                          text="认定虚假购置", kind="false_purchase")  # fmt: skip


def _keyed(rows):
    return {r["key"]: (r["m"], r["y"]) for r in rows}


def test_the_month_counts_the_oversight_work_of_its_district_R38_R25(october_work, haidian, changping):
    work = compute(month=OCTOBER, district=haidian)["oversight"]
    assert _keyed(work["warnings"]["by_sign"]) == {"unit_subsidy": (2, 2)}
    assert (work["sampling"]["runs_m"], work["sampling"]["runs_y"]) == (1, 1)
    assert sum(m for m, _y in _keyed(work["sampling"]["by_part"]).values()) == AuditTask.objects.count()
    assert _keyed(work["findings"]["by_conclusion"]) == {"no_problem": (1, 1)}
    assert (work["cases"]["proposed_m"], work["cases"]["undecided_at_end"]) == (1, 0)
    assert _keyed(work["cases"]["by_decision"]) == {"violation": (1, 1)}
    assert _keyed(work["cases"]["by_kind"]) == {"false_purchase": (1, 1)}
    assert (work["complaints"]["m"], work["complaints"]["y"]) == (1, 1)
    elsewhere = compute(month=OCTOBER, district=changping)["oversight"]
    assert elsewhere["warnings"]["by_sign"] == [] and elsewhere["complaints"]["y"] == 0
    assert elsewhere["sampling"]["runs_y"] == 0 and elsewhere["cases"]["by_decision"] == []


def test_the_next_month_keeps_them_in_the_year_to_date_only_R38(october_work, haidian):
    work = compute(month=NOVEMBER, district=haidian)["oversight"]
    assert _keyed(work["warnings"]["by_sign"]) == {"unit_subsidy": (0, 2)}
    assert _keyed(work["cases"]["by_decision"]) == {"violation": (0, 1)}
    assert (work["complaints"]["m"], work["complaints"]["y"]) == (0, 1)
    city = compute(month=NOVEMBER)["oversight"]
    assert (city["sampling"]["runs_m"], city["sampling"]["runs_y"]) == (0, 1)


def test_the_report_tables_name_the_signs_and_decisions_in_chinese_R38(october_work, haidian):
    from django.utils import translation

    with translation.override("zh-hans"):
        laid_out = {t.key: t for t in tables(compute(month=OCTOBER, district=haidian))}
    assert ["单台补贴额高", 2, 2] in laid_out["warnings"].rows
    assert ["违规", 1, 1] in laid_out["cases"].rows
    assert "oversight" not in laid_out  # no "not available" section once the oversight app is in service
    assert laid_out["complaints"].rows[-1][1:] == [1, 1]
