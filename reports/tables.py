"""The report's figures laid out as tables: one list of tables read by the PDF, the XLSX and the pages, so the
three always show the same figures in the same order. Money stays ``Decimal``, counts ``int``."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from . import labels

MONEY = re.compile(r"^-?\d+\.\d{2}$")


def cell(value):
    if isinstance(value, str) and MONEY.match(value):
        return Decimal(value)
    if value is None:
        return ""
    return value


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""

    def add(self, *values) -> None:
        self.rows.append([cell(v) for v in values])


def _flow(figures) -> list[Table]:
    apps = figures["applications"]
    flow = Table("flow", _("Applications by step"), [_("Step"), _("This month"), _("Year to date")])
    for key, label in labels.FLOW_LABELS.items():
        flow.add(str(label), apps["month"][key], apps["ytd"][key])
    items = Table(
        "items",
        _("Applications by item"),
        [_("Code"), _("Item"), _("Received this month"), _("Received this year"), _("Paid this month"),
         _("Paid this year"), _("Amount paid this month"), _("Amount paid this year")],
    )  # fmt: skip
    for r in figures["by_item"]:
        items.add(r["code"], r["name"], r["received_m"], r["received_y"], r["paid_m"], r["paid_y"],
                  r["paid_amount_m"], r["paid_amount_y"])  # fmt: skip
    sources = Table("sources", _("Paid by fund source"), [_("Fund source"), _("This month"), _("Year to date")])
    for key, label in labels.SOURCE_LABELS.items():
        sources.add(str(label), figures["by_source"]["month"][key], figures["by_source"]["ytd"][key])
    return [flow, items, sources]


def _steps(figures) -> list[Table]:
    headers = [_("Step (working days)"), *(str(h) for _k, h in labels.STEP_COLUMNS)]
    steps = Table("steps", _("Deadline steps"), headers)
    for r in figures["steps"]:
        steps.add(labels.step_label(r["step"], r["working_days"]), *(r[k] for k, _h in labels.STEP_COLUMNS))
    late = Table("late", _("Late and overdue cases"), [str(h) for _k, h in labels.LATE_COLUMNS])
    for r in figures["late"]["rows"]:
        values = {
            **r,
            "step": labels.step_label(r["step"], r["working_days"]),
            "office": str(labels.OFFICE_LABELS[r["office"]]),
            "met_on": r["met_on"] or _("still open"),
        }
        late.add(*(values[k] for k, _h in labels.LATE_COLUMNS))
    if len(figures["late"]["rows"]) >= figures["late"]["limit"]:
        late.note = _("The first %(n)s of each kind are listed.") % {"n": figures["late"]["limit"]}
    return [steps, late]


def _funds(figures) -> list[Table]:
    funds = Table("funds", _("Funds by district and source"),
                  [_("District"), _("Fund source"), *(str(h) for _k, h in labels.FUND_COLUMNS)])  # fmt: skip
    for r in figures["funds"]["rows"]:
        funds.add(r["district_name"], str(labels.SOURCE_LABELS[r["source"]]), *(r[k] for k, _h in labels.FUND_COLUMNS))
    for t in figures["funds"]["totals"]:
        funds.add(_("All"), str(labels.SOURCE_LABELS[t["source"]]),
                  *(t.get(k, "") for k, _h in labels.FUND_COLUMNS))  # fmt: skip
    inn = figures["innovation"]
    innovation = Table("innovation", _("Innovation products' share of central funds (R9)"), [_("Figure"), _("Value")])
    innovation.add(_("Central funds of the year"), inn["central_received"])
    innovation.add(_("Central funds paid on innovation products"), inn["used"])
    innovation.add(_("Ceiling"), inn["ceiling"] if inn["ceiling"] is not None else _("no ceiling in force"))
    innovation.add(_("Share (%)"), inn["share_percent"])
    innovation.add(_("Over the ceiling"), _("yes") if inn["over"] else _("no"))
    return [funds, innovation]


def _oversight(figures) -> list[Table]:
    alerts = figures["ratio_alerts"]
    ratio = Table("ratio", _("Ratio alerts (R19)"), [_("Figure"), _("This month"), _("Year to date")])
    ratio.add(_("Raised"), alerts["raised_m"], alerts["raised_y"])
    ratio.add(_("Cleared"), alerts["cleared_m"], alerts["cleared_y"])
    ratio.add(_("Open at month end"), alerts["open_at_end"], "")
    caps = Table("caps", _("Annual caps lifted (R24)"),
                 [_("District"), _("Published rule"), _("This month"), _("Year to date")])  # fmt: skip
    for r in figures["cap_liftings"]:
        caps.add(r["district_name"], r["document"], r["m"], r["y"])
    headers = [_("Reason"), _("This month"), _("Year to date"), _("Ended this month"), _("Still deferred")]
    deferrals = Table("deferrals", _("Payments deferred, by reason (R36)"), headers)
    for r in figures["deferrals"]:
        deferrals.add(str(labels.DEFERRAL_LABELS.get(r["reason"], r["reason"])), r["m"], r["y"], r["ended_m"],
                      r["running"])  # fmt: skip
    o = figures["objections"]
    objections = Table("objections", _("Objections and investigations (R34)"), [_("Figure"), _("Value")])
    objections.add(_("Objections received this month"), o["received_m"])
    objections.add(_("Objections received this year"), o["received_y"])
    objections.add(_("Dismissed this month"), o["dismissed_m"])
    objections.add(_("Upheld this month"), o["upheld_m"])
    objections.add(_("Open at month end"), o["open_at_end"])
    objections.add(_("Applications under investigation when generated"), figures["under_investigation_at_generation"])
    return [ratio, caps, deferrals, objections, *_audit_work(figures["oversight"])]


def _counts(key: str, title: str, heading: str, rows: list[dict], names: dict) -> Table:
    table = Table(key, title, [heading, _("This month"), _("Year to date")])
    for r in rows:
        table.add(str(names.get(r["key"], r["key"])), r["m"], r["y"])
    return table


def _audit_work(work: dict) -> list[Table]:
    """The oversight app's sections; a report made before that app was in service says so instead of zeros."""
    if not work["warnings"].get("available"):
        later = Table("oversight", _("Oversight"), [_("Section"), _("Status")])
        for label in labels.OVERSIGHT_LABELS.values():
            later.add(str(label), _("Not available yet: the oversight module is not in service."))
        return [later]
    w, s, f, c, p = (work[k] for k in ("warnings", "sampling", "findings", "cases", "complaints"))
    signs = _counts("warnings", labels.OVERSIGHT_LABELS["warnings"], _("Sign"), w["by_sign"], labels.SIGN_LABELS)
    signs.add(_("All signs"), w["m"], w["y"])
    runs = _counts("sampling", labels.OVERSIGHT_LABELS["sampling"], _("Selected"), s["by_part"], labels.PART_LABELS)
    runs.rows.insert(0, [str(_("Sampling runs drawn")), s["runs_m"], s["runs_y"]])
    found = _counts("findings", labels.OVERSIGHT_LABELS["findings"], _("Conclusion of the check"),
                    f["by_conclusion"], labels.CONCLUSION_LABELS)  # fmt: skip
    found.add(_("Checks still open past their due date at month end"), f["open_past_due"], "")
    cases = _counts("cases", labels.OVERSIGHT_LABELS["cases"], _("Decision"), c["by_decision"],
                    labels.DECISION_LABELS)  # fmt: skip
    cases.rows.insert(0, [str(_("Proposed decisions sent")), c["proposed_m"], c["proposed_y"]])
    for r in c["by_kind"]:
        cases.add(str(labels.VIOLATION_LABELS.get(r["key"], r["key"])), r["m"], r["y"])
    cases.add(_("Awaiting a decision at month end"), c["undecided_at_end"], "")
    cases.add(_("Claw-back decided this year (yuan)"), "", c["claw_back_y"] or "0.00")
    told = _counts("complaints", labels.OVERSIGHT_LABELS["complaints"], _("Status now"), p["by_status"],
                   labels.COMPLAINT_LABELS)  # fmt: skip
    told.add(_("All complaints received"), p["m"], p["y"])
    return [signs, runs, found, cases, told]


def _national(figures) -> list[Table]:
    progress = Table("progress", "实施进度统计表", [str(h) for _k, h in labels.PROGRESS_COLUMNS])
    for r in figures["national"]["progress"]:
        progress.add(*(r[k] for k, _h in labels.PROGRESS_COLUMNS))
    settlement = Table("settlement", "资金结算进度统计表", [str(h) for _k, h in labels.SETTLEMENT_COLUMNS])
    for r in figures["national"]["settlement"]:
        settlement.add(*(r[k] for k, _h in labels.SETTLEMENT_COLUMNS))
    return [progress, settlement]


def tables(figures: dict) -> list[Table]:
    """Every table of the monthly report, in the reader's current language."""
    return [*_flow(figures), *_steps(figures), *_funds(figures), *_oversight(figures), *_national(figures)]
