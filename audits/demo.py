"""Demo oversight data (README "Demo data"), made through the real services on the demo applications: warnings
of every sign (with demo thresholds for the demo districts, marked as such), one sampling run per demo district
with tasks open, visited and concluded, an open investigation, a case waiting for the party's answer, a closed
violation case on the public page, and a complaint followed by its reference."""

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import District, Role, User
from applications.models import Application, Objection
from applications.workflow import State

from . import cases, complaints, services, signs
from .models import AuditTask, BuyerScale, Complaint, SamplingParameter, SamplingRun, Sign, WarningRule
from .sampling import draw_run

DEMO_DISTRICTS = ["110108", "110114"]
DEMO_NOTE = "示例：演示用的低预警值"
# (sign, threshold, period days): low enough that the few demo applications show every sign
DEMO_RULES = [
    (Sign.UNIT_SUBSIDY, "16000", None),
    (Sign.PRODUCT_VOLUME, "3", 30),
    (Sign.MULTI_UNIT, "1", None),
    (Sign.BURST_BUYER, "3", 7),
    (Sign.BURST_DISTRICT, "8", 7),
    (Sign.REPEAT_YEARS, "0", None),
    (Sign.SCALE, "2", None),
]


def _rules(district: District) -> None:
    since = date(2021, 1, 1)
    for sign, threshold, days in DEMO_RULES:
        WarningRule.objects.get_or_create(
            sign=sign,
            district=district,
            item=None,
            valid_from=since,
            defaults={"threshold": Decimal(threshold), "period_days": days, "note": DEMO_NOTE},
        )
    SamplingParameter.objects.get_or_create(
        district=district, valid_from=since, defaults={"share": Decimal("0.300"), "random_part": Decimal("0.500")}
    )


def _auditor(district: District) -> User:
    user = User.objects.filter(username=f"auditor-{district.code}").first()
    if user is None:
        user = User(username=f"auditor-{district.code}", role=Role.AUDITOR, district=district)
        user.display_name = f"{district.display_name}第三方抽查员（示例）"
        user.set_password("demo12345")
        user.save()
    return user


def _report(task: AuditTask, auditor: User, conclusion: str) -> None:
    services.record_report(
        task_id=task.pk,
        auditor=auditor,
        conclusion=conclusion,
        visited_on=timezone.localdate(),
        how="on_site",
        met=f"{task.application.buyer.public_name}本人（示例）",
        nameplate_seen=task.application.product.model if task.application.product else "",
        serial_seen=task.application.serial_number,
        location=f"{task.district.display_name}（示例地点）",
        notice_given=True,
        notes="铭牌与申请一致（示例）" if conclusion == "no_problem" else "",
    )


def _run(district: District, city: User, auditor: User) -> SamplingRun:
    today = timezone.localdate()
    run = draw_run(
        district=district,
        period_start=today - timedelta(days=60),
        period_end=today,
        seed=f"示例种子-{district.code}-2026",
        seed_source="示例：演示用种子",
        by=city,
    )
    tasks = list(run.tasks.select_related("application__buyer", "application__product", "district"))
    if len(tasks) >= 2:
        _report(tasks[0], auditor, "no_problem")
        _report(tasks[1], auditor, "")
    return run


def _cases(district: District, officer: User) -> None:
    """An open investigation from an objection (the application is already under investigation); on a paid
    application a case waiting for the party's answer (昌平) or a decided violation (海淀): paid applications keep
    their state, so every demo state stays shown."""
    objection = Objection.objects.filter(application__district=district, status="open").first()
    if objection is not None:
        complaints.investigate_objection(
            objection_id=objection.pk, officer=officer, reason="公示期异议：核实机具是否为本人所有（示例）"
        )
    paid = Application.objects.filter(district=district, state=State.PAID).order_by("pk").first()
    if paid is None:
        return
    investigation = cases.open_investigation(
        application_id=paid.pk, source="warning", reason="单台补贴额高，核实发票价格（示例）", by=officer
    )
    case = cases.propose_decision(
        investigation_id=investigation.pk, officer=officer, party="buyer", proposed="拟认定虚抬价格，追回补贴（示例）"
    )
    if district.code != DEMO_DISTRICTS[0]:
        return  # this district's case waits for the party's answer
    cases.record_answer(case_id=case.pk, user=officer, text="购机者书面答复：无异议（示例）")
    cases.decide_case(
        case_id=case.pk,
        officer=officer,
        decision="violation",
        kind="inflated_price",
        text="发票价格明显高于市场价，认定虚抬价格（示例）",
        claw_back_amount=paid.total_amount,
    )


def _complaint(district: District) -> None:
    complaint = complaints.submit_complaint(district=district, text="听说有人买了农机又转卖了（示例投诉）", name="匿名")
    Complaint.objects.filter(pk=complaint.pk).update(reference=f"DEMO{district.code[-4:]}")


def seed() -> list:
    created: list = []
    city = User.objects.filter(username="city-agri").first()
    if city is None:
        return created
    for code in DEMO_DISTRICTS:
        district = District.objects.get(code=code)
        officer = User.objects.filter(username=f"officer-{'haidian' if code == '110108' else 'changping'}").first()
        demo_apps = Application.objects.filter(district=district, serial_key__startswith="DEMO-")
        if officer is None or not demo_apps.exists() or SamplingRun.objects.filter(district=district).exists():
            continue
        _rules(district)
        buyer = demo_apps.order_by("pk").first().buyer
        BuyerScale.objects.get_or_create(buyer=buyer, defaults={"land_mu": Decimal("30")})
        created.append(signs.scan())
        auditor = _auditor(district)
        created.append(_run(district, city, auditor))
        _cases(district, officer)
        _complaint(district)
    return created
