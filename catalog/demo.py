"""Demo data for the catalogue, every row marked ``is_demo`` and shown as such on the pages.

The policy text publishes no grades or amounts. The reference grades (catalog/data/reference-grades.csv) come
from public amount tables of earlier years; the other grades, prices and amounts here are plausible
inventions. None of them is the amount in force in Beijing.
"""

import csv
from datetime import date
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role, User

from .events import record_event
from .grading import parse_parameters
from .models import (
    Certificate,
    CertificateKind,
    Dealer,
    Filing,
    FilingState,
    FundSource,
    Grade,
    Item,
    Manufacturer,
    PriceSource,
    Product,
    Scope,
)
from .rules import rules_in_force
from .sale import Sale
from .sale_services import record_sale
from .selectors import products_open_for_application
from .services import (
    accept_filing,
    close_product,
    create_grade,
    publish_filing,
    record_market_price,
    set_amount,
    set_item_flags,
    submit_filing,
)

START = date(2024, 1, 1)
REFERENCE = Path(__file__).resolve().parent / "data" / "reference-grades.csv"
DEMO_SOURCE = "demo data (plausible, invented)"

# (catalogue, item code, grade name, parameters, average market price in yuan)
GRADES = [
    ("central", "1.1.2", "1.5—2m旋耕机", "1.5m≤工作幅宽<2m", 6000),
    ("central", "1.1.2", "2—2.5m旋耕机", "2m≤工作幅宽<2.5m", 8500),
    ("central", "1.1.2", "2.5m及以上旋耕机", "工作幅宽≥2.5m", 12000),
    ("central", "1.1.3", "3—4铲深松机", "铲数3—4", 9000),
    ("central", "1.1.3", "5铲及以上深松机", "铲数≥5", 15000),
    ("central", "1.1.4", "4kW以下微耕机", "功率<4kW", 2600),
    ("central", "1.1.4", "4kW及以上微耕机", "功率≥4kW", 3600),
    ("central", "2.2.1", "12—18行小麦条播机", "行数12—18", 9000),
    ("central", "2.2.1", "19行及以上小麦条播机", "行数≥19", 16000),
    ("central", "2.2.2", "2—3行穴播机", "行数2—3", 3000),
    ("central", "2.2.3", "2—3行单粒(精密)播种机", "行数2—3", 8000),
    ("central", "2.2.3", "4—5行单粒(精密)播种机", "行数4—5", 18000),
    ("central", "2.2.3", "6行及以上单粒(精密)播种机", "行数≥6", 60000),
    ("central", "2.3.1", "2m及以上旋耕播种机", "工作幅宽≥2m", 14000),
    ("central", "2.4.1", "4—5行手扶插秧机", "行数4—5;型式:手扶式", 16000),
    ("central", "2.4.1", "6行及以上乘坐式插秧机", "行数≥6;型式:乘坐式", 80000),
    ("central", "2.4.2", "2行蔬菜移栽机", "行数=2", 12000),
    ("central", "2.5.1", "1—2m施肥机", "1m≤工作幅宽<2m", 4000),
    ("central", "3.2.1", "300—500L喷杆喷雾机", "300L≤药箱容积<500L;型式:悬挂式", 9000),
    ("central", "3.2.1", "500L及以上自走式喷杆喷雾机", "药箱容积≥500L;型式:自走式", 120000),
    ("central", "3.2.2", "10—20L植保无人驾驶航空器", "10L≤药箱容量<20L", 40000),
    ("central", "3.2.2", "20L及以上植保无人驾驶航空器", "药箱容量≥20L", 60000),
    ("central", "5.1.2", "4—6kg/s轮式谷物联合收割机", "4kg/s≤喂入量<6kg/s;行走方式:轮式", 110000),
    ("central", "5.1.2", "6kg/s及以上履带式谷物联合收割机", "喂入量≥6kg/s;行走方式:履带式", 250000),
    ("central", "5.1.3", "3行自走式玉米收获机", "行数=3;型式:自走式", 150000),
    ("central", "5.1.3", "4行及以上自走式玉米收获机", "行数≥4;型式:自走式", 260000),
    ("central", "5.3.1", "1.5—2m秸秆粉碎还田机", "1.5m≤工作幅宽<2m", 7000),
    ("central", "5.3.1", "2m及以上秸秆粉碎还田机", "工作幅宽≥2m", 11000),
    ("central", "6.1.1", "北斗卫星导航辅助驾驶系统", "定位方式:北斗RTK", 20000),
    ("central", "8.1.3", "方草捆压捆机", "草捆形状:方捆", 40000),
    ("central", "10.1.1", "8—16位挤奶机", "挤奶位数8—16", 150000),
    ("central", "12.1.1", "1.5—3kW增氧机", "1.5kW≤功率<3kW", 2000),
    ("central", "14.1.2", "批处理量10—20t循环式谷物干燥机", "10t≤批处理量<20t;型式:固定式", 120000),
    ("central", "14.1.2", "移动式谷物干燥机", "型式:移动式", 90000),
    ("central", "16.1.2", "50—70马力履带式拖拉机", "50马力≤功率<70马力", 90000),
    ("central", "18.1.1", "7.5—15kW潜水电泵", "7.5kW≤功率<15kW", 4000),
    ("central", "19.1.1", "温室电动卷帘机", "驱动方式:电动", 3000),
    ("central", "19.1.2", "湿帘降温设备 风机1台以上", "风机数量≥1", 6000),
    ("municipal", "1.1.1", "电动绑蔓机", "动力方式:电动", 1500),
    ("municipal", "1.1.3", "温室环境监测与控制系统", "控制参数数量≥4", 30000),
    ("municipal", "1.1.4", "穴盘育苗播种流水线", "生产率≥200盘/h", 80000),
    ("municipal", "1.1.5", "温室电动微耕机", "动力方式:电动", 5000),
    ("municipal", "1.1.7", "温室水肥一体机", "控制路数≥4", 20000),
    ("municipal", "1.1.8", "温室弥雾机", "型式:弥雾", 8000),
    ("municipal", "5.1.1", "智能水肥一体化系统 控制面积50亩以上", "控制面积≥50亩", 60000),
    ("municipal", "5.2.1", "滴灌系统 首部过滤施肥", "型式:首部过滤施肥", 15000),
    ("municipal", "7.1.1", "农田小型气象站", "监测要素≥6", 15000),
    ("municipal", "7.2.1", "农用北斗作业监测终端", "定位方式:北斗", 2500),
    ("municipal", "8.1.1", "背负式割灌机", "型式:背负式", 1500),
    ("municipal", "8.1.2", "果蔬冷藏保鲜库 100m³及以上", "库容≥100m³", 120000),
]

MAKERS = [
    ("91110000MA00DEMO01", "示例农机制造有限公司", "maker-demo"),
    ("91110000MA00DEMO02", "北京京郊农业装备有限公司(示例)", None),
    ("91110000MA00DEMO03", "华北植保无人机科技有限公司(示例)", None),
]
DEALERS = [("91110000MA00DEMO11", "顺义区示例农机销售有限公司", "dealer-demo")]
# A sale the demo dealer recorded for buyer-zhang (by his ID number), ready for him to apply from.
DEMO_SALE = {"serial_number": "DEMO-SALE-0001", "invoice_number": "DEMO0001", "price": Decimal("56800.00")}
DEMO_SALE_BUYER = "buyer-zhang"

# (maker credit code, catalogue, item code, grade name, product name, model, declared, certificates, fate)
PRODUCTS = [
    (
        "91110000MA00DEMO01",
        "central",
        "1.1.2",
        "2—2.5m旋耕机",
        "旋耕机",
        "1GQN-230(示例)",
        {"工作幅宽": "2.3m"},
        [(CertificateKind.TEST_APPRAISAL, date(2023, 3, 1), date(2028, 2, 28))],
        "published",
    ),
    (
        "91110000MA00DEMO01",
        "central",
        "16.1.1",
        "55—60马力两轮驱动拖拉机",
        "轮式拖拉机",
        "SL-574(示例)",
        {"功率": "57马力", "驱动方式": "两轮驱动"},
        [(CertificateKind.TEST_APPRAISAL, date(2023, 1, 1), date(2027, 12, 31))],
        "published",
    ),
    (
        "91110000MA00DEMO01",
        "central",
        "2.2.3",
        "4—5行单粒(精密)播种机",
        "玉米精量播种机",
        "2BYF-4(示例)",
        {"行数": 4},
        [(CertificateKind.VOLUNTARY, date(2024, 6, 1), date(2029, 5, 31))],
        "submitted",
    ),
    (
        "91110000MA00DEMO02",
        "central",
        "3.2.1",
        "300—500L喷杆喷雾机",
        "悬挂式喷杆喷雾机",
        "3W-400(示例)",
        {"药箱容积": "400L", "型式": "悬挂式"},
        [(CertificateKind.TEST_APPRAISAL, date(2022, 5, 1), date(2025, 4, 30))],
        "closed",
    ),
    (
        "91110000MA00DEMO02",
        "municipal",
        "1.1.1",
        "电动绑蔓机",
        "电动绑蔓机",
        "BM-1(示例)",
        {"动力方式": "电动"},
        [
            (CertificateKind.CONFORMITY, None, None),
            (CertificateKind.NAMEPLATE, None, None),
            (CertificateKind.STANDARD, None, None),
        ],
        "published",
    ),
    (
        "91110000MA00DEMO03",
        "central",
        "3.2.2",
        "20L及以上植保无人驾驶航空器",
        "植保无人飞机",
        "ZB-30(示例)",
        {"药箱容量": "30L"},
        [(CertificateKind.DRONE, date(2024, 1, 1), date(2026, 12, 31))],
        "published",
    ),
    (
        "91110000MA00DEMO01",
        "central",
        "5.3.1",
        "2m及以上秸秆粉碎还田机",
        "秸秆粉碎还田机",
        "1JH-200(示例)",
        {"工作幅宽": "2m"},
        [],
        "draft",
    ),
]

DEMO_PDF = b"%PDF-1.4\n% demo certificate (\xe7\xa4\xba\xe4\xbe\x8b)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _amount_at(price: Decimal, ratio: Decimal) -> Decimal:
    """Ratio x price, rounded down to whole 10 yuan as amount tables print them."""
    return (price * ratio / 10).to_integral_value(rounding=ROUND_DOWN) * 10


def _item(scope, code):
    return Item.objects.get(scope=scope, code=code, valid_to__isnull=True)


def _demo_grade(item, name, parameters, created):
    existing = Grade.objects.filter(item=item, name=name, is_demo=True).first()
    if existing:
        return existing
    raised = "移动式" in name or "履带式" in name
    grade = create_grade(
        item=item,
        name=name,
        parameters=parse_parameters(parameters),
        valid_from=START,
        is_demo=True,
        source=DEMO_SOURCE,
        raised=raised and item.kind == "ordinary",
    )
    created.append(grade)
    return grade


def _price_and_amounts(grade, price: Decimal, printed: dict, created, source_note: str):
    """A demo price and the amounts: printed amounts are kept and the price raised to fit them where needed."""
    rules = rules_in_force(on=START)
    funds = printed or (
        {FundSource.MUNICIPAL: None} if grade.item.scope == Scope.MUNICIPAL else {FundSource.CENTRAL: None}
    )
    ratios = {f: rules.ceiling(fund_source=f, ratio_class=grade.ratio_class).value for f in funds}
    for fund, amount in funds.items():
        if amount is not None and amount > _amount_at(price, ratios[fund]):
            price = (amount / ratios[fund]).quantize(Decimal("1"), rounding=ROUND_CEILING)
    market_price = record_market_price(
        grade=grade, year=2023, average_price=price, source=PriceSource.MARKET_SURVEY, note=source_note, is_demo=True
    )
    for fund, amount in funds.items():
        created.append(
            set_amount(
                grade=grade,
                fund_source=fund,
                amount=amount if amount is not None else _amount_at(price, ratios[fund]),
                ratio=ratios[fund],
                market_price=market_price,
                valid_from=START,
                reason="demo",
                is_demo=True,
            )
        )


def seed() -> list:
    """Create the demo catalogue data once; a second run adds nothing."""
    created: list = []
    if not Item.objects.exists():
        return created
    _seed_grades(created)
    bureau = User.objects.filter(role=Role.CITY_AGRICULTURE, is_active=True).order_by("pk").first()
    if bureau is not None:
        _seed_flags(bureau, created)
    makers = _seed_makers(created)
    _seed_products(makers, bureau, created)
    _seed_sale(created)
    return created


def _seed_grades(created: list) -> None:
    """The reference grades (amounts back-calculated from the printed ones) and the invented ones."""
    with REFERENCE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            item = Item.objects.get(scope=Scope.CENTRAL, code=row["item_code"])
            if Grade.objects.filter(item=item, name=row["grade_name"], is_demo=True).exists():
                continue
            grade = _demo_grade(item, row["grade_name"], row["parameters"], created)
            printed = {FundSource.CENTRAL: Decimal(row["central_amount"])}
            if row["municipal_amount"] and Decimal(row["municipal_amount"]) > 0:
                printed[FundSource.MUNICIPAL] = Decimal(row["municipal_amount"])
            ceiling = rules_in_force(on=START).ceiling(fund_source="central", ratio_class=grade.ratio_class).value
            _price_and_amounts(
                grade,
                (printed[FundSource.CENTRAL] / ceiling).quantize(Decimal("1"), rounding=ROUND_CEILING),
                printed,
                created,
                f"demo: back-calculated from the printed amount ({row['source']})",
            )
    for scope, code, name, parameters, price in GRADES:
        item = _item(scope, code)
        if Grade.objects.filter(item=item, name=name, is_demo=True).exists():
            continue
        grade = _demo_grade(item, name, parameters, created)
        _price_and_amounts(grade, Decimal(price), {}, created, "demo: invented market price")


def _seed_flags(bureau, created: list) -> None:
    for scope, code in (("central", "2.2.3"), ("central", "6.1.1")):
        item = _item(scope, code)
        if not item.is_key:
            created.append(set_item_flags(item=item, by=bureau, reason="demo: key machinery", is_key=True))
    drone = _item("central", "3.2.2")
    if not drone.is_high_risk:
        created.append(set_item_flags(item=drone, by=bureau, reason="demo: high-risk", is_high_risk=True))


def _seed_makers(created: list) -> dict:
    makers = {}
    for credit_code, name, username in MAKERS:
        maker, made = Manufacturer.objects.get_or_create(
            credit_code=credit_code, defaults={"name": name, "is_demo": True, "commitment_signed_on": START}
        )
        if made:
            created.append(maker)
        if username:
            user = User.objects.filter(username=username).first()
            if user and not maker.members.filter(pk=user.pk).exists():
                maker.members.add(user)
        makers[credit_code] = maker
    for credit_code, name, username in DEALERS:
        dealer, made = Dealer.objects.get_or_create(
            credit_code=credit_code, defaults={"name": name, "is_demo": True, "commitment_signed_on": START}
        )
        if made:
            created.append(dealer)
        user = User.objects.filter(username=username).first()
        if user and not dealer.members.filter(pk=user.pk).exists():
            dealer.members.add(user)
    return makers


def _seed_sale(created: list) -> None:
    """One sale of a published demo product, recorded by the demo dealer for the demo buyer."""
    buyer = User.objects.filter(username=DEMO_SALE_BUYER).first()
    dealer = Dealer.objects.filter(credit_code=DEALERS[0][0]).first()
    product = products_open_for_application().filter(is_demo=True).order_by("pk").first()
    if buyer is None or dealer is None or product is None or Sale.objects.filter(dealer=dealer).exists():
        return
    created.append(
        record_sale(
            seller=dealer,
            reported_by="demo",
            product_id=product.pk,
            sold_on=timezone.localdate(),
            buyer_mobile=buyer.mobile,
            buyer_id_number=buyer.id_number,
            **DEMO_SALE,
        )
    )


def _seed_products(makers: dict, bureau, created: list) -> None:
    """Products with their filings and certificates, walked to their fate: draft, submitted, published or closed."""
    for credit_code, scope, code, grade_name, name, model, declared, certificates, fate in PRODUCTS:
        maker = makers[credit_code]
        if Product.objects.filter(manufacturer=maker, model=model).exists():
            continue
        item = _item(scope, code)
        grade = Grade.objects.get(item=item, name=grade_name, is_demo=True)
        product = Product.objects.create(
            manufacturer=maker,
            item=item,
            grade=grade,
            name=name,
            model=model,
            executive_standard="GB/T 示例-2020",
            declared=declared,
            is_demo=True,
        )
        filing = Filing.objects.create(manufacturer=maker, product=product)
        record_event(subject=filing, action="filing_created", reason="demo", data={"product": product.pk})
        for n, (kind, start, end) in enumerate(certificates, start=1):
            cert = Certificate(
                product=product,
                kind=kind,
                number=f"DEMO-{product.pk}-{n}",
                issuer="示例鉴定机构",
                valid_from=start,
                valid_until=end,
                content_type="application/pdf",
                original_name="demo.pdf",
            )
            cert.file.save("demo.pdf", ContentFile(DEMO_PDF), save=False)
            cert.save()
        created.append(product)
        if fate == "draft" or bureau is None:
            continue
        members = list(maker.members.all()[:1])
        if members:
            submit_filing(filing=filing, by=members[0])
        else:
            Filing.objects.filter(pk=filing.pk).update(state=FilingState.SUBMITTED)
            filing.refresh_from_db()
        if fate == "submitted":
            continue
        accept_filing(filing=filing, by=bureau, note="demo")
        publish_filing(filing=filing, by=bureau)
        if fate == "closed":
            close_product(product=product, by=bureau, reason="demo: 现场演示评价发现问题,封闭待查")
