"""Demo money (issue 6 "Demo data"), made through the real services after the demo applications.

Both demo districts get allocations for the current year in all three sources; the applications the office demo
already accepted have their money reserved. Each district then shows: a paid batch with its treasury return file
(two paid, one clawed back afterwards) and one reconciliation exception, a batch waiting for the second officer's
approval, a deferred payment, and a pre-registration: 昌平区 is nearly out of money in every source, 海淀区's
municipal funds are used up until the next tranche. A second finance officer per district approves batches.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.demo import DEMO_JOINED, DEMO_PASSWORD
from accounts.models import District, Role, User
from applications import demo as applications_demo
from applications.models import Application
from applications.workflow import RESERVED, State
from catalog.selectors import amounts_by_grade, products_open_for_application, qualification

from . import adapters, ledger, selectors, services
from .models import LedgerEntry

DOCUMENT = "京财农〔示例〕1号"
# district code, finance officer, second finance officer (username, name), allocations, sources nearly out
DISTRICTS = [
    (
        "110108",
        "finance-haidian",
        ("finance-haidian-2", "海淀区财政局 钱程"),
        {"central": "3000000", "municipal": "1200000", "district": "600000"},
        ["municipal"],
    ),
    (
        "110114",
        "finance-changping",
        ("finance-changping-2", "昌平区财政局 郑洁"),
        {"central": "1500000", "municipal": "600000", "district": "300000"},
        ["central", "municipal", "district"],
    ),
]
LEFT_OVER = Decimal("100.00")  # what a source nearly out of money keeps


def _second_officer(username: str, name: str, district: District) -> User:
    user = User.objects.filter(username=username).first()
    if user:
        return user
    user = User(username=username, role=Role.DISTRICT_FINANCE, district=district, display_name=name)
    user.set_password(DEMO_PASSWORD)
    user.date_joined = DEMO_JOINED  # long-standing staff: past four-eyes' cooling-off (R36)
    user.save()
    return user


def _requested(district, buyers, officer, product, n: int) -> Application:
    app = applications_demo._draft(
        buyers[n % len(buyers)], district, product, f"DEMO-PAY-{district.code}-{n:03d}", Decimal(200000), cash=False
    )
    applications_demo._advance(app, State.PAYMENT_REQUESTED, officer)
    app.refresh_from_db()
    return app


def _needing(products, sources, on):
    """A product whose grade takes money from one of ``sources`` (so the pre-registration shows)."""
    amounts = amounts_by_grade(on=on, grade_ids=[p.grade_id for p in products])
    for product in products:
        if any(a.amount > LEFT_OVER for fund, a in amounts.get(product.grade_id, {}).items() if fund in sources):
            return product
    return products[0]


def _pending(district, year) -> dict:
    return selectors.pending_claims(district, year)


def seed() -> list:
    created: list = []
    today = timezone.localdate()
    city = User.objects.filter(username="city-finance").first()
    products = [
        p
        for p in products_open_for_application(on=today).order_by("pk")
        if qualification(product=p, produced_on=today - timedelta(days=90), bought_on=today - timedelta(days=20))
    ]
    if city is None or not products:
        return created
    for code, finance_name, (second_name, second_display), amounts, short in DISTRICTS:
        district = District.objects.get(code=code)
        if LedgerEntry.objects.filter(fund__district=district, document=DOCUMENT).exists():
            continue
        finance = User.objects.filter(username=finance_name).first()
        officer = User.objects.filter(role=Role.DISTRICT_AGRICULTURE, district=district).order_by("pk").first()
        buyers = list(User.objects.filter(role=Role.BUYER, district=district).order_by("pk")[:3])
        if finance is None or officer is None or not buyers:
            continue
        second = _second_officer(second_name, second_display, district)
        cast = {"city": city, "finance": finance, "second": second, "officer": officer, "buyers": buyers}
        created.extend(_seed_district(district, cast, amounts=amounts, short=short, products=products, on=today))
    return created


def _seed_district(district, cast: dict, *, amounts: dict, short, products: list, on) -> list:
    """One district's money: its allocations, a paid batch with a claw-back and an exception, a batch waiting for
    approval, a deferred payment, funds nearly out and a pre-registration."""
    year, finance = on.year, cast["finance"]
    created: list = [
        services.allocate(
            district=district,
            year=year,
            source=source,
            amount=amount,
            actor=cast["city"],
            reason="年度补贴资金下达（示例）",
            document=DOCUMENT,
        )
        for source, amount in amounts.items()
    ]
    # The applications accepted before the money arrived hold their amounts now.
    for app in Application.objects.filter(district=district, year=year, state__in=RESERVED):
        services.reserve(app, actor=finance)
    apps = [_requested(district, cast["buyers"], cast["officer"], products[n % len(products)], n) for n in range(4)]
    paid_a, paid_b, waiting, deferred = apps
    created.extend(apps)
    _paid_batch(district, paid_a, paid_b, finance=finance, second=cast["second"], year=year)
    # A batch waiting for the second officer's approval, and a deferred payment.
    created.append(services.build_batch(officer=finance, application_ids=[waiting.pk]))
    services.defer_payment(
        application_id=deferred.pk,
        officer=finance,
        reason="funds_short",
        note="本批次市级资金尚未到位（示例）",
        expected="下一批资金到位后优先支付",
    )
    _nearly_out(district, short, city=cast["city"], year=year)
    prereg = applications_demo._draft(
        cast["buyers"][0],
        district,
        _needing(products, short, on),
        f"DEMO-PAY-{district.code}-PRE",
        Decimal(200000),
        cash=False,
    )
    applications_demo._advance(prereg, State.SUBMITTED, cast["officer"])
    created.append(prereg)
    return created


def _paid_batch(district, paid_a, paid_b, *, finance, second, year: int) -> None:
    """A paid batch: built, approved by the second officer, exported, and its return file imported, with a row for
    an application the batch does not hold (a reconciliation exception); then one of them clawed back."""
    code = district.code
    batch = services.build_batch(officer=finance, application_ids=[paid_a.pk, paid_b.pk])
    services.approve_batch(batch_id=batch.pk, officer=second)
    services.export_batch(batch_id=batch.pk, officer=finance, file_format="xlsx")
    batch.refresh_from_db()
    rows = [
        {
            "batch": batch.number,
            "application": app.number,
            "amount": f"{app.total_amount:.2f}",
            "status": "成功",
            "voucher": f"GK{year}{code}{i:04d}",
        }
        for i, app in enumerate((paid_a, paid_b), start=1)
    ]
    rows.append(
        {
            "batch": batch.number,
            "application": f"{year}-{code}-9999999",
            "amount": "12000.00",
            "status": "成功",
            "voucher": f"GK{year}{code}9999",
        }
    )
    data = adapters.to_csv(adapters.return_rows(adapters.DEFAULT, rows))
    services.import_return(batch_id=batch.pk, officer=finance, data=data, file_name=f"{batch.number}-回单.csv")
    services.claw_back(
        application_id=paid_b.pk,
        officer=finance,
        amount=paid_b.total_amount,
        decision_document=f"{district.name[:2]}财农〔示例〕7号",
        reason="抽查发现机具已转卖，违规领取补贴（示例）",
    )


def _nearly_out(district, short, *, city, year: int) -> None:
    """Nearly out of money: what is left after what entered applications will take is cut to a little."""
    pending = _pending(district, year)
    available = ledger.available_by_source(district, year)
    for source in short:
        excess = available[source] - pending[source] - LEFT_OVER
        if excess > 0:
            services.cut(
                district=district,
                year=year,
                source=source,
                amount=excess,
                actor=city,
                reason="年中预算调整，余额收回（示例）",
                document="京财农〔示例〕9号",
            )
