"""The annual implementation summary (R44): drafted from the year's figures, the district's own text, submitted
by 30 November; reminders from 1 November, once a round; overdue from 1 December; the bureau returns one."""

import subprocess

import pytest
import time_machine

from notifications.models import Notification
from reports import summaries
from reports.errors import ReportError
from reports.models import AnnualSummary, SummaryEvent, SummaryState


@pytest.fixture
def _november():
    with time_machine.travel("2026-11-20 10:00 +0800"):
        yield


def test_the_district_writes_and_submits_and_the_bureau_returns_it_R44(_november, login, cast, haidian):
    client = login(cast["officer"])
    page = client.get("/office/summaries/")
    assert page.status_code == 200 and "实施进度统计表" in page.content.decode()
    assert not AnnualSummary.objects.exists()  # a page view writes nothing
    client.post(
        "/office/summaries/save/", {"implementation": "全年受理申请顺利。", "pilots": "无人机试点", "problems": ""}
    )
    summary = AnnualSummary.objects.get(district=haidian, year=2026)
    assert summary.state == SummaryState.DRAFT and summary.figures["scope"]["name"] == "海淀区"
    client.post(
        "/office/summaries/save/", {"implementation": "全年受理申请顺利。", "pilots": "无人机试点", "submit": "1"}
    )
    summary.refresh_from_db()
    assert summary.state == SummaryState.SUBMITTED and summary.submitted_by == cast["officer"]
    with pytest.raises(ReportError):
        summaries.save_text(
            district=haidian, year=2026, by=cast["officer"], implementation="改", pilots="", problems=""
        )
    city = login(cast["city"])
    status = next(r for r in city.get("/office/summaries/").context["rows"] if r["district"] == haidian)
    assert status["state"] == SummaryState.SUBMITTED and not status["overdue"]
    city.post(f"/office/summaries/{summary.pk}/return/", {"reason": "补充试点数据"})
    summary.refresh_from_db()
    assert (summary.state, summary.return_reason) == (SummaryState.RETURNED, "补充试点数据")
    assert list(SummaryEvent.objects.filter(summary=summary).values_list("action", flat=True)) == [
        "save", "save", "submit", "return"]  # fmt: skip


def test_submitting_without_text_and_returning_without_reason_are_refused(_november, cast, haidian):
    summary = summaries.save_text(district=haidian, year=2026, by=cast["officer"], implementation=" ", pilots="",
                                  problems="")  # fmt: skip
    with pytest.raises(ReportError):
        summaries.submit(summary_id=summary.pk, by=cast["officer"])
    with pytest.raises(ReportError):
        summaries.save_text(district=haidian, year=2026, by=cast["other_officer"], implementation="x", pilots="",
                            problems="")  # fmt: skip
    summary.refresh_from_db()
    assert summary.state == SummaryState.DRAFT


def test_the_pdf_carries_the_text_and_is_refused_to_another_district(_november, login, cast, haidian, tmp_path):
    summary = summaries.save_text(district=haidian, year=2026, by=cast["officer"], implementation="全年受理申请顺利。",
                                  pilots="无人机试点", problems="")  # fmt: skip
    response = login(cast["city"]).get(f"/office/summaries/{summary.pk}/pdf/")
    path = tmp_path / "s.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "海淀区年度实施总结" in text.replace(" ", "") and "无人机试点" in text and "实施进度统计表" in text
    assert login(cast["other_officer"]).get(f"/office/summaries/{summary.pk}/pdf/").status_code == 404
    assert login(cast["buyer"]).get(f"/office/summaries/{summary.pk}/pdf/").status_code == 403


def test_reminders_from_1_november_once_a_round_and_not_after_submitting(cast, haidian):
    with time_machine.travel("2026-10-31 10:00 +0800"):
        assert summaries.remind() == 0
    with time_machine.travel("2026-11-01 10:00 +0800"):
        assert summaries.remind() == 13
        assert summaries.remind() == 0
    assert Notification.objects.filter(recipient=cast["officer"]).count() == 1
    with time_machine.travel("2026-11-10 10:00 +0800"):
        summary = summaries.save_text(district=haidian, year=2026, by=cast["officer"], implementation="完成",
                                      pilots="", problems="")  # fmt: skip
        summaries.submit(summary_id=summary.pk, by=cast["officer"])
    with time_machine.travel("2026-11-15 10:00 +0800"):
        assert summaries.remind() == 12  # 海淀区 has submitted
    with time_machine.travel("2026-12-01 10:00 +0800"):
        assert summaries.remind() == 0


def test_overdue_from_1_december_on_the_municipal_dashboard(login, cast, haidian):
    with time_machine.travel("2026-11-30 10:00 +0800"):
        summary = summaries.save_text(district=haidian, year=2026, by=cast["officer"], implementation="完成",
                                      pilots="", problems="")  # fmt: skip
        summaries.submit(summary_id=summary.pk, by=cast["officer"])
        assert not any(r["overdue"] for r in summaries.statuses(year=2026))
    with time_machine.travel("2026-12-01 10:00 +0800"):
        overdue = [r["district"].name for r in summaries.statuses(year=2026) if r["overdue"]]
        assert len(overdue) == 12 and "海淀区" not in overdue
        page = login(cast["city"]).get("/office/dashboard/").content.decode()
        assert "年度工作总结逾期未报" in page and "昌平区" in page
