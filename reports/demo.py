"""Demo reports (README "Demo data"): the two months before this one, for 海淀区, 昌平区 and the city, with a late
case in every deadline step, a correction of the earlier month, and this year's annual summary submitted by
海淀区 and missing from 昌平区.

The other demo seeders make everything happen today; a report needs a past. So this one writes a few paid
demo applications of the two past months as history rows (events, deadlines, payment and ledger entries, each
chained like the services chain them, serials ``DEMO-RPT-…``), then generates the reports through the real
services. Idempotent: nothing is added once a demo report exists."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import District, User
from applications.models import Application, ApplicationEvent, Deadline, Document, EventAction, State, Step
from catalog.selectors import products_open_for_application
from payments import totals
from payments.models import EntryKind, Fund, LedgerEntry, Payment
from workdays.calendar import Calendar

from . import services, summaries
from .models import MonthlyReport
from .periods import Month, _aware

DISTRICTS = [("110108", "officer-haidian", "finance-haidian"), ("110114", "officer-changping", "finance-changping")]
LENGTHS = {Step.ACCEPT: 2, Step.VERIFY: 13, Step.NOTICE: 5, Step.HAND_OVER: 5, Step.OVERALL: 23, Step.PAY: 15}


def _utc(day: datetime.date, hour: int) -> datetime.datetime:
    """A moment of ``day`` in Beijing, in UTC as the database gives it back (the chained hashes read it so)."""
    return (_aware(day) + datetime.timedelta(hours=hour)).astimezone(datetime.UTC)


def _event(app, action, day, actor):
    last = ApplicationEvent.objects.filter(application=app).order_by("-id").first()
    event = ApplicationEvent(application=app, action=action, to_state=app.state, actor=actor,
                             at=_utc(day, 10), prev_hash=last.hash if last else "",
                             reason="示例数据")  # fmt: skip
    event.hash = event.content_hash()
    event.save()


def _entry(district, source, kind, amount, day, application=None):
    fund, _ = Fund.objects.get_or_create(district=district, year=day.year, source=source)
    last = LedgerEntry.objects.filter(fund=fund).order_by("-id").first()
    entry = LedgerEntry(
        fund=fund,
        kind=kind,
        amount=amount,
        application=application,
        at=_utc(day, 11),
        prev_hash=last.hash if last else "",
        reason="示例数据",
        document="示例",
    )
    entry.hash = entry.content_hash()
    entry.save()
    totals.record(entry)


def _documents(app, buyer) -> None:
    """The four documents every application carries, as small demo pictures."""
    from applications.demo import CAPTIONS, _picture

    for kind, caption in CAPTIONS.items():
        upload = _picture(caption)
        Document.objects.create(application=app, kind=kind, original=upload, content_type="image/jpeg",
                                original_name=f"{kind}.jpg", size=upload.size, uploaded_by=buyer)  # fmt: skip


def _late_case(*, district, buyer, product, step, met: datetime.date, officer, finance, calendar, n: int):
    """A paid application whose ``step`` was done 2 working days late on ``met``."""
    length = LENGTHS[step]
    due = _back(met, 2, calendar)
    start = _back(due, length, calendar)
    central, municipal = Decimal("12000.00"), Decimal("3000.00")
    app = Application.objects.create(
        number=f"DEMO-RPT-{district.code}-{n:04d}", buyer=buyer, district=district, year=met.year, product=product,
        manufacturer=product.manufacturer, serial_number=f"DEMO-RPT-{district.code}-{n:04d}",
        serial_key=f"DEMO-RPT-{district.code}-{n:04d}", invoice_price=Decimal("68000.00"), state=State.PAID,
        central_amount=central, municipal_amount=municipal, district_amount=Decimal("0.00"),
        total_amount=central + municipal, submitted_at=_aware(start),
    )  # fmt: skip
    _documents(app, buyer)
    _event(app, EventAction.SUBMIT, start, buyer)
    _event(app, EventAction.ACCEPT, calendar.add(start, 1), officer)
    Deadline.objects.create(application=app, step=step, started_on=start, working_days=length, due_on=due,
                            met_at=_aware(met) + datetime.timedelta(hours=15))  # fmt: skip
    _event(app, EventAction.PAY, met, finance)
    Payment.objects.create(application=app, voucher=f"DEMO-RPT-V{district.code}{n:04d}", central=central,
                           municipal=municipal, district_amount=Decimal("0.00"), total=central + municipal,
                           paid_on=met, recorded_by=finance)  # fmt: skip
    # The history brings its own money (an allocation of what it pays), so the funds the other demos left stay as
    # they were and no source pays out more than it received.
    _entry(district, "central", EntryKind.ALLOCATION, central, met)
    _entry(district, "municipal", EntryKind.ALLOCATION, municipal, met)
    _entry(district, "central", EntryKind.PAYMENT, -central, met, app)
    _entry(district, "municipal", EntryKind.PAYMENT, -municipal, met, app)
    return app


def _back(day: datetime.date, n: int, calendar: Calendar) -> datetime.date:
    while n:
        day -= datetime.timedelta(days=1)
        n -= calendar.is_working_day(day)
    return day


def _history(months, calendar) -> int:
    product = products_open_for_application(on=timezone.localdate()).order_by("pk").first()
    n = 0
    for code, officer_name, finance_name in DISTRICTS:
        district = District.objects.get(code=code)
        officer, finance = User.objects.get(username=officer_name), User.objects.get(username=finance_name)
        buyer = User.objects.filter(role="buyer", district=district).order_by("pk").first()
        for month in months:
            day = calendar.add(month.first - datetime.timedelta(days=1), 5)
            for step in LENGTHS:
                n += 1
                _late_case(district=district, buyer=buyer, product=product, step=step, met=day, officer=officer,
                           finance=finance, calendar=calendar, n=n)  # fmt: skip
                day = calendar.add(day, 2)
    return n


def seed() -> list:
    if MonthlyReport.objects.exists() or not User.objects.filter(username="city-agri").exists():
        return []
    if products_open_for_application(on=timezone.localdate()).first() is None:
        return []
    calendar = Calendar()
    earlier = Month(timezone.localdate().year, timezone.localdate().month).previous()
    months = [earlier.previous(), earlier]
    _history(months, calendar)
    districts = [None, *District.objects.filter(code__in=[c for c, _o, _f in DISTRICTS])]
    created = [services.generate_report(month=m, district=d)[0] for m in months for d in districts]
    # A correction of the earlier month: one late payment recorded afterwards.
    haidian = District.objects.get(code="110108")
    officer = User.objects.get(username="officer-haidian")
    _late_case(
        district=haidian,
        buyer=User.objects.filter(role="buyer", district=haidian).order_by("pk").first(),
        product=products_open_for_application(on=timezone.localdate()).order_by("pk").first(),
        step=Step.PAY,
        met=calendar.add(months[0].first, 12),
        officer=officer,
        finance=User.objects.get(username="finance-haidian"),
        calendar=calendar,
        n=99,
    )
    first = next(r for r in created if r.district_id == haidian.pk and r.month == months[0].month)
    created.append(services.correct_report(report_id=first.pk, by=User.objects.get(username="city-agri"),
                                           reason="补录一笔逾期兑付（示例）"))  # fmt: skip
    # This year's annual summary: 海淀区 submitted, 昌平区 missing.
    summary = summaries.save_text(
        district=haidian,
        year=timezone.localdate().year,
        by=officer,
        implementation="全年补贴申请受理、核验、公示和兑付工作有序推进（示例数据）。",
        pilots="植保无人机作业补贴试点（示例数据）。",
        problems="部分环节超时，已督促整改（示例数据）。",
    )
    summaries.submit(summary_id=summary.pk, by=officer)
    return created
