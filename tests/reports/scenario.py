"""October 2026 (the National Day week) in 海淀区 and 昌平区, and an independent working-day count to check the
report against (the holidays as published, not the ``workdays`` code)."""

import datetime
from decimal import Decimal

from applications.models import EventAction, Objection, ObjectionStatus, State, Step, Warning
from payments.models import Deferral, DeferralReason, EntryKind

HOLIDAYS_2026 = {"01-01", "01-02", "02-16", "02-17", "02-18", "02-19", "02-20", "02-23", "04-06", "05-01", "05-04",
                 "05-05", "06-19", "09-25", "10-01", "10-02", "10-05", "10-06", "10-07"}  # fmt: skip
WORKED_2026 = {"01-04", "02-14", "02-28", "05-09", "09-20", "10-10"}


def is_working(day: datetime.date) -> bool:
    key = day.strftime("%m-%d")
    if day.year == 2026 and key in WORKED_2026:
        return True
    if day.year == 2026 and key in HOLIDAYS_2026:
        return False
    return day.weekday() < 5


def working_days_between(a: str, b: str) -> int:
    """Working days in (a, b]."""
    first, last = datetime.date.fromisoformat(a), datetime.date.fromisoformat(b)
    return sum(is_working(first + datetime.timedelta(days=i)) for i in range(1, (last - first).days + 1))


def build(rows, haidian, changping, cast):
    """The month's rows; returns the applications by name."""
    officer, finance = cast["officer"], cast["finance"]
    apps = {}
    # Accepted late: submitted before the holiday, accepted after it.
    a = apps["late_accept"] = rows.application(haidian, state=State.ACCEPTED)
    rows.event(a, EventAction.SUBMIT, "2026-09-28")
    rows.event(a, EventAction.ACCEPT, "2026-10-09", actor=officer)
    rows.deadline(a, Step.ACCEPT, "2026-09-28", 2, "2026-09-30", met="2026-10-09")
    # Accepted in time: due on the worked Saturday.
    a = apps["on_time"] = rows.application(haidian, state=State.ACCEPTED)
    rows.event(a, EventAction.SUBMIT, "2026-10-08")
    rows.event(a, EventAction.ACCEPT, "2026-10-09", actor=officer)
    rows.deadline(a, Step.ACCEPT, "2026-10-08", 2, "2026-10-10", met="2026-10-09")
    # Returned.
    a = apps["returned"] = rows.application(haidian, state=State.RETURNED)
    rows.event(a, EventAction.SUBMIT, "2026-10-12")
    rows.event(a, EventAction.RETURN, "2026-10-13", actor=officer)
    rows.deadline(a, Step.ACCEPT, "2026-10-12", 2, "2026-10-14", met="2026-10-13")
    # Verification open past due since September, and one with a district's own 10 days.
    a = apps["open_verify"] = rows.application(haidian, state=State.ACCEPTED)
    rows.event(a, EventAction.SUBMIT, "2026-08-28")
    rows.event(a, EventAction.ACCEPT, "2026-09-01", actor=officer)
    rows.deadline(a, Step.VERIFY, "2026-09-01", 13, "2026-09-18")
    # Paid late by district finance, under the lifted cap; its money in the ledger.
    lifted = {"buyer_cap": {"lifting": {"id": 1, "document": "海农发〔2026〕3号"}}}
    a = apps["paid"] = rows.application(
        haidian, state=State.PAID, total="20000.00", snapshot=lifted, submitted_at=rows_at("2026-09-02")
    )
    rows.event(a, EventAction.SUBMIT, "2026-09-02")
    rows.event(a, EventAction.ACCEPT, "2026-09-03", actor=officer)
    rows.event(a, EventAction.REQUEST_PAYMENT, "2026-09-25", actor=officer)
    rows.event(a, EventAction.PAY, "2026-10-20", actor=finance)
    rows.deadline(a, Step.PAY, "2026-09-24", 15, "2026-10-16", met="2026-10-20")
    rows.payment(a, "2026-10-20")
    # Accepted in September only (year to date, not the month).
    a = apps["september"] = rows.application(haidian, state=State.ACCEPTED)
    rows.event(a, EventAction.SUBMIT, "2026-09-07")
    rows.event(a, EventAction.ACCEPT, "2026-09-08", actor=officer)
    rows.deadline(a, Step.ACCEPT, "2026-09-07", 2, "2026-09-09", met="2026-09-08")
    # 昌平区: one accepted in October, one objection upheld.
    a = apps["changping"] = rows.application(changping, state=State.REJECTED, buyer=cast["other_buyer"])
    rows.event(a, EventAction.SUBMIT, "2026-10-14")
    rows.event(a, EventAction.ACCEPT, "2026-10-15", actor=cast["other_officer"])
    rows.event(a, EventAction.REJECT, "2026-10-29", actor=cast["other_officer"])
    rows.deadline(a, Step.ACCEPT, "2026-10-14", 2, "2026-10-16", met="2026-10-15")
    Objection.objects.create(application=a, text="假发票", received_at=rows_at("2026-10-20"),
                             status=ObjectionStatus.UPHELD, decided_at=rows_at("2026-10-29"))  # fmt: skip
    Objection.objects.create(application=apps["on_time"], text="重复", received_at=rows_at("2026-10-21"))
    # A ratio alert raised and cleared, a deferral.
    Warning.objects.create(application=apps["on_time"], code="ratio_alert", rule="R19", message="比例预警",
                           raised_at=rows_at("2026-10-09"), cleared_at=rows_at("2026-10-22"))  # fmt: skip
    Deferral.objects.create(application=apps["paid"], reason=DeferralReason.FUNDS_SHORT, at=rows_at("2026-10-12"),
                            ended_at=rows_at("2026-10-19"))  # fmt: skip
    # Money of 海淀区's 2026: allocations in March, a cut, a reallocation out, the reservation and payment.
    for source, amount in (("central", "1000000.00"), ("municipal", "500000.00"), ("district", "200000.00")):
        rows.entry(haidian, source, EntryKind.ALLOCATION, amount, "2026-03-02")
    rows.entry(haidian, "municipal", EntryKind.CUT, "-50000.00", "2026-06-01")
    rows.entry(haidian, "district", EntryKind.REALLOCATION, "-20000.00", "2026-07-01")
    rows.entry(changping, "district", EntryKind.REALLOCATION, "20000.00", "2026-07-01")
    paid = apps["paid"]
    rows.entry(haidian, "central", EntryKind.PAYMENT, f"-{paid.central_amount}", "2026-10-20", application=paid)
    rows.entry(haidian, "municipal", EntryKind.PAYMENT, f"-{paid.municipal_amount}", "2026-10-20", application=paid)
    # A payment of November: not in October's figures.
    rows.entry(haidian, "central", EntryKind.PAYMENT, "-1000.00", "2026-11-02")
    return apps


def rows_at(day: str):
    from tests.reports.conftest import at

    return at(day)


PAID_CENTRAL = Decimal("16000.00")
