"""The monthly compliance report's figures (月度合规报告), for a district or the whole city (``district=None``).

Every figure is an SQL aggregate over the other apps' rows (no loop over applications), for a calendar month with
its year to date, on the ``workdays`` calendar. The result is plain JSON (counts as ints, money as strings of
yuan with two decimals) so it can be stored as it is, checksummed, and compared between versions.
"""

import datetime
import hashlib
import json
from decimal import Decimal

from applications.models import State
from workdays.calendar import Calendar

from . import audit_work, flow, funds, oversight, steps
from .periods import Month

SCHEMA = 2  # 2: the oversight sections are filled from the audits app


def _plain(value):
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _under_investigation(district) -> int:
    from applications.models import Application

    rows = Application.objects.filter(state=State.UNDER_INVESTIGATION)
    return (rows.filter(district=district) if district is not None else rows).count()


def compute(*, month: Month, district=None) -> dict:
    """All the sections of the report. ``district`` None is the city: every district together, with the national
    tables one row per district."""
    calendar = Calendar()
    calendar.load(month.year, month.year + 1)
    fund_section = funds.fund_figures(month, district, calendar)
    central = next(t for t in fund_section["totals"] if t["source"] == "central")["received"]
    figures = {
        "schema": SCHEMA,
        "scope": {
            "district": district.code if district is not None else None,
            "name": district.name if district is not None else "北京市",
        },
        "period": {
            "year": month.year,
            "month": month.month,
            "first": month.first,
            "last": month.last,
            "working_days": month.working_days(calendar),
        },
        "applications": flow.application_flow(month, district),
        "trend": flow.trend(month, district),
        "by_item": flow.by_item(month, district),
        "by_source": flow.paid_by_source(month, district),
        "steps": steps.step_figures(month, district, calendar),
        "late": steps.late_list(month, district, calendar),
        "funds": fund_section,
        "innovation": funds.innovation_share(month, district, central),
        "ratio_alerts": oversight.ratio_alerts(month, district),
        "cap_liftings": oversight.cap_liftings(month, district),
        "deferrals": oversight.deferrals(month, district),
        "objections": oversight.objections(month, district),
        "under_investigation_at_generation": _under_investigation(district),
        "oversight": audit_work.oversight(month, district),
        "national": {
            "progress": funds.progress_table(month, district),
            "settlement": funds.settlement_table(fund_section),
        },
    }
    return _plain(figures)


def canonical(figures: dict) -> bytes:
    return json.dumps(figures, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def flatten(value, prefix: str = "") -> dict:
    """``{"a": {"b": [1]}}`` → ``{"a.b.0": 1}``: the paths that name figures in a correction."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}{k}."))
        return out
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(flatten(v, f"{prefix}{i}."))
        return out
    return {prefix.rstrip("."): value}


def changed_figures(old: dict, new: dict, *, ignore=("under_investigation_at_generation",)) -> list[dict]:
    """The figures that differ between two versions: path, old and new value."""
    a, b = flatten(old), flatten(new)
    return [
        {"path": path, "old": a.get(path), "new": b.get(path)}
        for path in sorted(set(a) | set(b))
        if a.get(path) != b.get(path) and not path.startswith(ignore)
    ]
