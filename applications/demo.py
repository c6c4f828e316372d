"""Demo applications (README "Demo data"): in both demo districts, one or more in every state, with documents,
walked through the real services so their events, deadlines and messages are what a real one would have.

Dates: everything happens "today"; a notice that has already passed is shown by moving its clock's start back
and letting the real sweep close it. All demo buyers, serials and files say they are demo data.
"""

import io
import zlib
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import BuyerKind, District, Role, Town, User
from catalog.selectors import products_open_for_application, qualification

from . import deadlines, services
from .models import Application, Deadline, DocumentKind, Ground, PaymentMethod, ReturnReason, Step
from .sweep import sweep
from .workflow import State

FONT = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
PASSWORD = "demo12345"

# district code, the demo officer, the named demo buyer, extra demo buyers (username, name, mobile, ID number)
DISTRICTS = [
    (
        "110108",
        "officer-haidian",
        "buyer-zhang",
        [
            ("demo-hd-wang", "王秀英", "13800001101", "110108198206150028"),
            ("demo-hd-liu", "刘德明", "13800001102", "110108196911020015"),
        ],
    ),
    (
        "110114",
        "officer-changping",
        "buyer-coop",
        [
            ("demo-cp-zhao", "赵春来", "13800001201", "110114197707070031"),
            ("demo-cp-sun", "孙桂兰", "13800001202", "110114198512240046"),
        ],
    ),
]

# The states every district shows, in the order they are made.
TARGETS = [
    State.DRAFT,
    State.SUBMITTED,
    State.SUBMITTED,
    State.RETURNED,
    State.ACCEPTED,
    State.AWAITING_USE,
    State.VERIFIED,
    State.IN_NOTICE,
    State.IN_NOTICE,
    State.UNDER_INVESTIGATION,
    State.NOTICE_PASSED,
    State.PAYMENT_REQUESTED,
    State.REJECTED,
    State.WITHDRAWN,
]


def _valid_id(seventeen: str) -> str:
    from stdnum.cn import ric

    return seventeen + ric.calc_check_digit(seventeen + "0")


def _buyer(username: str, name: str, mobile: str, id_number: str, district: District) -> User:
    user = User.objects.filter(username=username).first()
    if user:
        return user
    user = User(
        username=username, role=Role.BUYER, district=district, display_name=name, buyer_kind=BuyerKind.INDIVIDUAL
    )
    user.mobile = mobile
    user.id_number = _valid_id(id_number[:17])
    user.set_password(PASSWORD)
    user.save()
    return user


def _picture(caption: str) -> SimpleUploadedFile:
    """A demo photo that says what it stands for."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (800, 560), (236, 241, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle([12, 12, 787, 547], outline=(11, 93, 59), width=6)
    try:
        font = ImageFont.truetype(str(FONT), 44)
        small = ImageFont.truetype(str(FONT), 26)
    except OSError:
        font = small = ImageFont.load_default()
    draw.text((48, 200), caption, fill=(29, 39, 51), font=font)
    draw.text((48, 300), "示例数据 · DEMO", fill=(138, 90, 0), font=small)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile("示例照片.jpg", out.getvalue(), content_type="image/jpeg")


CAPTIONS = {
    DocumentKind.INVOICE: "购机发票",
    DocumentKind.NAMEPLATE: "机具铭牌",
    DocumentKind.MACHINE: "机具照片",
    DocumentKind.IDENTITY: "身份证 / 营业执照",
}


def _draft(buyer: User, district: District, product, serial: str, price: Decimal, cash: bool) -> Application:
    today = timezone.localdate()
    towns = list(Town.objects.filter(district=district).order_by("sort_order", "name"))
    app = services.start_application(buyer=buyer, district=district)
    services.update_draft(
        application_id=app.pk,
        buyer=buyer,
        town=towns[zlib.crc32(serial.encode()) % len(towns)] if towns else None,
        ground=Ground.HOUSEHOLD if buyer.buyer_kind == BuyerKind.INDIVIDUAL else Ground.REGISTRATION,
        product=product,
        serial_number=serial,
        production_date=today - timedelta(days=90),
        purchase_date=today - timedelta(days=20),
        invoice_number=f"DEMO{serial[-6:]}",
        invoice_price=price,
        payment_method=PaymentMethod.CASH if cash else PaymentMethod.TRANSFER,
        payee_name=buyer.display_name,
        bank_name="北京农商银行",
        account_number=f"62217700{zlib.crc32(serial.encode()) % 10**11:011d}",
    )
    for kind, caption in CAPTIONS.items():
        services.add_document(application_id=app.pk, user=buyer, kind=kind, upload=_picture(caption))
    return app


def _advance(app: Application, target: str, officer: User) -> None:
    """Walk ``app`` (a draft) to ``target`` through the services."""
    today = timezone.localdate()
    pk, buyer = app.pk, app.buyer
    if target == State.DRAFT:
        return
    services.submit_application(application_id=pk, buyer=buyer, accept_commitment=True)
    if target == State.SUBMITTED:
        return
    if target == State.RETURNED:
        services.return_application(application_id=pk, officer=officer, reason="发票照片不清晰，请重新拍摄上传。")
        return
    if target == State.WITHDRAWN:
        services.withdraw_application(application_id=pk, buyer=buyer, reason="已决定不再申请（示例）")
        return
    services.accept_application(application_id=pk, officer=officer, note="材料齐全（示例）")
    if target == State.ACCEPTED:
        return
    if target == State.AWAITING_USE:
        services.schedule_use_check(application_id=pk, officer=officer, note="安装后使用一个月再现场核验（示例）")
        return
    passed = target != State.REJECTED
    services.record_verification(
        application_id=pk,
        officer=officer,
        method="sample",
        checked_on=today,
        findings="机具在场，铭牌、发票与申请一致（示例）" if passed else "现场未见机具，购机者不能说明去向（示例）",
        passed=passed,
        work_done="已作业200亩（示例）",
    )
    if target in (State.VERIFIED, State.REJECTED):
        return
    services.open_notice(application_id=pk, officer=officer)
    if target == State.IN_NOTICE:
        return
    if target == State.UNDER_INVESTIGATION:
        objection = services.object_to_notice(
            application_id=pk, text="该机具是否为申请人本人所有存疑（示例异议）", name="匿名"
        )
        services.answer_objection(
            objection_id=objection.pk,
            buyer=buyer,
            text="机具为本人购买并在本人承包地作业，发票抬头为本人（示例申辩）。",
            uploads=[_picture("作业照片")],
        )
        return
    # The notice started two weeks ago: the real sweep closes it.
    notice = Deadline.objects.get(application_id=pk, step=Step.NOTICE, met_at__isnull=True)
    notice.started_on = today - timedelta(days=14)
    deadlines._refresh(notice)
    notice.save()
    deadlines.refresh_next_due(notice.application)
    sweep(today=today)
    if target == State.PAYMENT_REQUESTED:
        services.request_payment(application_id=pk, officer=officer, note="材料已移交区财政局（示例）")


RETURN_REASONS = [
    "发票照片不清晰，请重新拍摄上传。",
    "铭牌照片看不清出厂编号，请重新拍摄。",
    "发票上的机具型号与所选机具不一致，请核对。",
    "收款账户不是购机者本人的，请更正。",
]


def seed() -> list[Application]:
    created: list[Application] = []
    if not ReturnReason.objects.exists():  # offered in every district when an officer returns an application
        ReturnReason.objects.bulk_create(
            ReturnReason(text=text, position=n) for n, text in enumerate(RETURN_REASONS, start=1)
        )
    today = timezone.localdate()
    products = [
        p
        for p in products_open_for_application(on=today).order_by("pk")
        if qualification(product=p, produced_on=today - timedelta(days=90), bought_on=today - timedelta(days=20))
    ]
    if not products:
        return created
    for code, officer_name, named, extras in DISTRICTS:
        district = District.objects.get(code=code)
        if Application.objects.filter(district=district, serial_key__startswith="DEMO-").exists():
            continue
        officer = User.objects.filter(username=officer_name).first()
        named_buyer = User.objects.filter(username=named).first()
        if officer is None or named_buyer is None:
            continue
        buyers = [named_buyer] + [_buyer(*extra, district=district) for extra in extras]
        for n, target in enumerate(TARGETS):
            product = products[n % len(products)]
            grade_price = Decimal(60000 + 7000 * n)
            app = _draft(buyers[n % len(buyers)], district, product, f"DEMO-{code}-{n:04d}", grade_price, cash=n == 2)
            _advance(app, target, officer)
            if n == 2:  # the second submitted one waited too long: the office's landing page shows it overdue
                _make_overdue(app)
            created.append(app)
    return created


def _make_overdue(app: Application) -> None:
    """Start the 2-working-day acceptance clock (R30) a week back, so the demo has an overdue step; the real
    sweep marks it."""
    today = timezone.localdate()
    accept = Deadline.objects.get(application_id=app.pk, step=Step.ACCEPT, met_at__isnull=True)
    accept.started_on = today - timedelta(days=7)
    deadlines._refresh(accept)
    accept.save()
    deadlines.refresh_next_due(app)
    sweep(today=today)
