"""The demo cast (README "Demo accounts"): one user per role, all with the password ``demo12345``."""

import datetime

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .models import BuyerKind, District, Role, Town, User

DEMO_PASSWORD = "demo12345"

# username, role, district code (None: the municipality), display name, extra fields
CAST = [
    (
        "buyer-zhang",
        Role.BUYER,
        "110108",
        "张建国",
        {"buyer_kind": BuyerKind.INDIVIDUAL, "mobile": "13800000001", "id_number": "110108197503120033"},
    ),
    (
        "buyer-coop",
        Role.BUYER,
        "110114",
        "北京市昌平区兴寿绿野农机专业合作社",
        {"buyer_kind": BuyerKind.COOPERATIVE, "mobile": "13800000002", "credit_code": "93110114MA01ABCD1X"},
    ),
    ("officer-haidian", Role.DISTRICT_AGRICULTURE, "110108", "海淀区农业农村局 王丽", {}),
    ("officer-changping", Role.DISTRICT_AGRICULTURE, "110114", "昌平区农业农村局 刘强", {}),
    ("finance-haidian", Role.DISTRICT_FINANCE, "110108", "海淀区财政局 赵敏", {}),
    ("finance-changping", Role.DISTRICT_FINANCE, "110114", "昌平区财政局 孙伟", {}),
    ("city-agri", Role.CITY_AGRICULTURE, None, "市农业农村局 陈晨", {"is_staff": True}),
    ("city-finance", Role.CITY_FINANCE, None, "市财政局 周洋", {}),
    ("city-finance-2", Role.CITY_FINANCE, None, "市财政局 冯佳", {}),
    ("auditor", Role.AUDITOR, None, "抽查核验员 吴凡", {}),
    ("maker-demo", Role.MANUFACTURER, None, "示例农机制造有限公司", {"organisation": "示例农机制造有限公司"}),
    (
        "dealer-demo",
        Role.MANUFACTURER,
        None,
        "顺义区示例农机销售有限公司",
        {"organisation": "顺义区示例农机销售有限公司"},
    ),
    ("user-admin", Role.USER_ADMIN, None, "市农业农村局 用户管理员 郑宇", {"is_staff": True}),
]

# The demo staff are long-standing: their accounts date from the start of the year, so four-eyes' cooling-off
# period (R36) does not hold up the demo batch waiting for approval.
DEMO_JOINED = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))

# The municipal agriculture bureau works in the admin on the catalogue, the calendar, the district rules and the
# towns; it does not administer users (the user administrator's alone) and reads the records sent.
BUREAU_GROUP = "市农业农村局"
BUREAU_APPS = ("catalog", "workdays", "applications")
BUREAU_MODELS = {"accounts": ("district", "town"), "notifications": ("notification", "delivery", "smsmessage")}


# The towns (镇) of the two demo districts; the municipal bureau lists every district's in the admin.
TOWNS = {
    "110108": ["温泉镇", "四季青镇", "西北旺镇", "苏家坨镇", "上庄镇"],
    "110114": [
        "阳坊镇",
        "小汤山镇",
        "南邵镇",
        "崔村镇",
        "百善镇",
        "北七家镇",
        "兴寿镇",
        "流村镇",
        "十三陵镇",
        "延寿镇",
        "马池口镇",
        "南口镇",
        "沙河镇",
    ],
}


# Made-up numbers for the two demo districts (R25), said to be examples; real ones are entered in the admin.
PHONES = {
    "110108": ("010-00000108（示例）", "010-10000108（示例）"),
    "110114": ("010-00000114（示例）", "010-10000114（示例）"),
}


def seed() -> list[str]:
    """Create the cast once; a second run changes nothing (and keeps any password a user has changed)."""
    for code, (question, complaint) in PHONES.items():
        District.objects.filter(code=code, consultation_phone="", complaint_phone="").update(
            consultation_phone=question, complaint_phone=complaint
        )
    for code, names in TOWNS.items():
        district = District.objects.get(code=code)
        for n, name in enumerate(names):
            Town.objects.get_or_create(district=district, name=name, defaults={"sort_order": n})
    created = []
    for username, role, district_code, name, extra in CAST:
        if User.objects.filter(username=username).exists():
            continue
        user = User(username=username, role=role, display_name=name)
        user.district = District.objects.get(code=district_code) if district_code else None
        for field, value in extra.items():
            setattr(user, field, value)
        user.set_password(DEMO_PASSWORD)
        user.date_joined = DEMO_JOINED
        user.save()
        if user.is_staff and role == Role.CITY_AGRICULTURE:
            user.groups.add(bureau_group())
        created.append(username)
    return created


def bureau_group() -> Group:
    """The municipal agriculture bureau's permissions in the admin (never on users or role changes)."""
    group, _ = Group.objects.get_or_create(name=BUREAU_GROUP)
    models = Q()
    for app, names in BUREAU_MODELS.items():
        models |= Q(content_type__app_label=app, content_type__model__in=names)
    wanted = Permission.objects.filter(Q(content_type__app_label__in=BUREAU_APPS) | models)
    wanted = wanted.exclude(content_type__app_label="notifications", codename__regex=r"^(add|change|delete)_")
    group.permissions.set(wanted)
    return group
