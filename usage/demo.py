"""Demo data of the application subsidy (issue 17 "Demo data"), made through the real services in 海淀区.

Two pilot kinds of this year with their targets; three machines whose purchase was paid through a treasury batch
(their payment dated back to last year, so this year is their year of work), with records from a monitoring
platform, from the district's spreadsheet and by hand (one record flagged for overlapping another):

- one on its way (已完成 326/500 亩, a record entered by hand and one flagged for overlap waiting for a check);
- one that met its targets, with the buyer's claim in the office queue;
- one whose incentive went through the notice and a batch and was paid.

It runs after the applications' demo and before the money's: the municipality funds what these machines and
their incentives take (an allocation of its own), and the money's demo then adds the year's funds around it.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import District, Role, User
from api.models import ApiClient, ClientKind
from applications import deadlines
from applications import demo as applications_demo
from applications import services as applications
from applications.models import Application, Deadline, Step
from applications.sweep import sweep
from catalog.selectors import products_open_for_application, qualification
from core import spreadsheets
from payments import adapters, ledger
from payments import demo as payments_demo
from payments import services as payments
from payments.models import Payment

from . import services
from .models import PilotKind, QualityMeasure, Terminal

DOCUMENT = "京农发〔示例〕20号"
DEPTH = "耕深"
ON_WAY_AT = (Decimal("40.04000"), Decimal("116.18000"))
PAID_AT = (Decimal("40.07000"), Decimal("116.24000"))


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _two_products(products) -> tuple:
    """A product, and one of another item when there is one (two pilot kinds)."""
    first = products[0]
    return first, next((p for p in products if p.item_id != first.item_id), first)


def _pilots(items, year: int) -> list[PilotKind]:
    """A pilot kind per item, each with a volume target and a depth measure."""
    pilots = []
    for n, item in enumerate(items):
        pilot = PilotKind.objects.create(
            year=year,
            item=item,
            volume_target=Decimal("500") if n == 0 else Decimal("400"),
            volume_unit="mu",
            max_per_hour=Decimal("30"),
            evidence="作业监测终端数据或作业合同、作业照片（示例）",
            document=DOCUMENT,
        )
        QualityMeasure.objects.create(
            pilot=pilot,
            name=DEPTH,
            unit="cm",
            threshold=Decimal("25") if n == 0 else Decimal("20"),
            share=Decimal("0.9"),
            evidence="终端记录的作业深度",
        )
        pilots.append(pilot)
    return pilots


def _fund(district, apps) -> None:
    """The municipality funds what these purchases and their incentives take (the money's demo adds the year's)."""
    city_finance = User.objects.get(username="city-finance")
    year = timezone.localdate().year
    available = ledger.available_by_source(district, year)  # what the year's accepted applications already hold
    for source in ("central", "municipal", "district"):
        need = sum((a.amounts_by_source[source] for a in apps), Decimal("0"))
        if need > 0:
            payments.allocate(
                district=district,
                year=year,
                source=source,
                amount=(need * Decimal("1.2") - min(available[source], 0)).quantize(Decimal("1")),
                actor=city_finance,
                reason="应用补贴试点机具资金（示例）",
                document=DOCUMENT,
            )


def _paid_machines(district, buyers, officer, finance, second, products) -> list[Application]:
    """Three purchases requested (of ``products``), paid through one batch, their payment dated back to last year."""
    apps = [payments_demo._requested(district, buyers, officer, product, 100 + n) for n, product in enumerate(products)]
    _fund(district, apps)
    batch = payments.build_batch(officer=finance, application_ids=[a.pk for a in apps])
    payments.approve_batch(batch_id=batch.pk, officer=second)
    payments.export_batch(batch_id=batch.pk, officer=finance, file_format="xlsx")
    batch.refresh_from_db()
    rows = [
        {
            "batch": batch.number,
            "application": a.number,
            "amount": f"{a.total_amount:.2f}",
            "status": "成功",
            "voucher": f"GK-USE-{district.code}-{i}",
        }
        for i, a in enumerate(apps)
    ]
    data = adapters.to_csv(adapters.return_rows(adapters.DEFAULT, rows))
    payments.import_return(batch_id=batch.pk, officer=finance, data=data, file_name=f"{batch.number}-回单.csv")
    last_year = date(timezone.localdate().year - 1, 11, 20)
    Payment.objects.filter(application__in=apps).update(paid_on=last_year)  # so that this year is their year of work
    return list(
        Application.objects.filter(pk__in=[a.pk for a in apps])
        .select_related("product__item", "payment")
        .order_by("pk")
    )


def _platform_records(platform, terminal, *, days: list[date], volume: Decimal, start_n: int, at: tuple):
    lat, lon = at
    records = [
        services.Incoming(
            external_id=f"DEMO-{terminal.terminal_id}-{start_n + i}",
            terminal_id=terminal.terminal_id,
            started_at=_moment(day, 8),
            ended_at=_moment(day, 12),
            volume=volume,
            latitude=lat + Decimal(i) / 1000,
            longitude=lon,
            quality={DEPTH: 27},
        )
        for i, day in enumerate(days)
    ]
    return services.post_platform_records(platform=platform, records=records)


def _notice_passed(claim: Application) -> None:
    today = timezone.localdate()
    notice = Deadline.objects.get(application=claim, step=Step.NOTICE, met_at__isnull=True)
    notice.started_on = today - timedelta(days=14)
    deadlines._refresh(notice)
    notice.save()
    sweep(today=today)


def _pay_claim(claim, *, officer, finance, second) -> None:
    """The claim through the purchase subsidy's own steps: review, notice, hand-over, a batch, the treasury."""
    applications.accept_application(application_id=claim.pk, officer=officer, note="作业记录完整（示例）")
    applications.record_verification(
        application_id=claim.pk,
        officer=officer,
        method="documents",
        checked_on=timezone.localdate(),
        findings="终端作业轨迹与作业量、耕深记录一致（示例）",
        passed=True,
        work_done="终端记录作业 600 亩",
    )
    applications.open_notice(application_id=claim.pk, officer=officer)
    _notice_passed(claim)
    applications.request_payment(application_id=claim.pk, officer=officer, note="应用补贴材料已移交（示例）")
    batch = payments.build_batch(officer=finance, application_ids=[claim.pk])
    payments.approve_batch(batch_id=batch.pk, officer=second)
    payments.export_batch(batch_id=batch.pk, officer=finance, file_format="csv")
    claim.refresh_from_db()
    row = {
        "batch": batch.number,
        "application": claim.number,
        "amount": f"{claim.total_amount:.2f}",
        "status": "成功",
        "voucher": f"GK-USE-{claim.number}",
    }
    data = adapters.to_csv(adapters.return_rows(adapters.DEFAULT, [row]))
    payments.import_return(batch_id=batch.pk, officer=finance, data=data, file_name=f"{batch.number}-回单.csv")


def _sheet(machine, year: int) -> bytes:
    """The district's spreadsheet for a machine without a terminal: 520 mu in four days."""  # 26 mu an hour
    header = ["出厂编号", "开始时间", "结束时间", "作业量", "纬度", "经度", DEPTH]
    rows = [
        [machine.serial_number, datetime(year, 4, d, 8), datetime(year, 4, d, 13), 130, 40.05 + d / 1000, 116.2, 26]
        for d in (7, 8, 9, 10)
    ]
    return spreadsheets.xlsx_bytes([header, *rows], title="作业记录")


def seed() -> list:
    today = timezone.localdate()
    year = today.year
    if PilotKind.objects.filter(year=year, document=DOCUMENT).exists():
        return []
    district = District.objects.get(code="110108")
    city = User.objects.filter(username="city-agri").first()
    officer = User.objects.filter(username="officer-haidian").first()
    finance = User.objects.filter(username="finance-haidian").first()
    buyers = list(User.objects.filter(role=Role.BUYER, district=district).order_by("pk")[:3])
    products = [
        p
        for p in products_open_for_application(on=today).order_by("pk")
        if qualification(product=p, produced_on=today - timedelta(days=90), bought_on=today - timedelta(days=20))
    ]
    if (
        None in (city, officer, finance)
        or not buyers
        or not products
        or not User.objects.filter(username="city-finance")
    ):
        return []
    second = payments_demo._second_officer("finance-haidian-2", "海淀区财政局 钱程", district)
    first, other = _two_products(products)
    on_way, met, paid = _paid_machines(district, buyers, officer, finance, second, [first, first, other])
    pilots = _pilots(list({p.item_id: p.item for p in (first, other)}.values()), year)
    platform = ApiClient.objects.create(name="北斗农机作业监测平台（示例）", kind=ClientKind.MONITORING)
    terminals = {
        m.pk: Terminal.objects.create(platform=platform, terminal_id=f"BD-DEMO-{n}", machine=m)
        for n, m in enumerate((on_way, paid))
    }
    spring = [date(year, 4, d) for d in range(1, 8)]
    # On its way: 326 mu from the platform, one record overlapping another (flagged), one entered by hand.
    terminal = terminals[on_way.pk]
    _platform_records(platform, terminal, days=spring[:2], volume=Decimal("109"), start_n=0, at=ON_WAY_AT)
    _platform_records(platform, terminal, days=[spring[2]], volume=Decimal("108"), start_n=2, at=ON_WAY_AT)
    overlapping = services.Incoming(
        external_id="DEMO-OVERLAP",
        terminal_id=terminals[on_way.pk].terminal_id,
        started_at=_moment(spring[2], 10),
        ended_at=_moment(spring[2], 14),
        volume=Decimal("80"),
        latitude=ON_WAY_AT[0] + Decimal("0.00200"),
        longitude=ON_WAY_AT[1],
        quality={DEPTH: 27},
    )
    services.post_platform_records(platform=platform, records=[overlapping])
    photo = SimpleUploadedFile("作业照片.jpg", applications_demo._picture("深松作业现场（示例）").read())
    services.enter_record(
        machine_id=on_way.pk,
        buyer=on_way.buyer,
        incoming=services.Incoming(
            started_at=_moment(spring[4], 14),
            ended_at=_moment(spring[4], 17),
            volume=Decimal("45"),
            latitude=ON_WAY_AT[0] + Decimal("0.01"),
            longitude=ON_WAY_AT[1],
            quality={DEPTH: 26},
        ),
        files=[photo],
    )
    # Met, the claim in the office queue: the district's spreadsheet, then the buyer claims.
    services.import_records(officer=officer, data=_sheet(met, year), file_name="海淀区作业记录（示例）.xlsx")
    claims = [services.claim_incentive(machine_id=met.pk, buyer=met.buyer, accept_commitment=True)]
    # Paid: 600 mu from the platform, claimed, and paid through the same steps as a purchase.
    _platform_records(platform, terminals[paid.pk], days=spring[:6], volume=Decimal("100"), start_n=10, at=PAID_AT)
    claim = services.claim_incentive(machine_id=paid.pk, buyer=paid.buyer, accept_commitment=True)
    _pay_claim(claim, officer=officer, finance=finance, second=second)
    claims.append(claim)
    return [*pilots, on_way, met, paid, *claims]
