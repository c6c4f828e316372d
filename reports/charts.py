"""Charts drawn as SVG on the server with pygal (no JavaScript, nothing fetched): deadline steps met and late,
funds used against what is available, and the month-by-month trend. Labels in Simplified Chinese glyphs: the
font is named, or WeasyPrint falls back to the Japanese face of Noto CJK (STACK-NOTES)."""

import re
import sys
from decimal import Decimal

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from . import labels

# pygal appends a finder to sys.meta_path for its map plugins (unused here). It has no find_spec, which pytest's
# importer and Python 3.12 require: take it out again.
sys.meta_path[:] = [finder for finder in sys.meta_path if type(finder).__name__ != "PluginImportFixer"]

SCRIPT = re.compile(r"<script\b.*?</script>", re.S)
LEGEND_ID = re.compile(r' id="activate-serie-\d+"')  # repeated in every chart: WeasyPrint warns of duplicate anchors
FONT = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
STYLE = Style(
    font_family=FONT,
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#000",
    foreground_subtle="#666",
    colors=("#2b6cb0", "#c53030", "#2f855a", "#b7791f"),
    title_font_size=16,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=12,
    value_font_size=11,
)


def _config(**extra) -> dict:
    return {
        "style": STYLE,
        "js": [],  # pygal links a tooltip script from the internet by default: never
        "disable_xml_declaration": True,
        "width": 760,
        "height": 300,
        "legend_at_bottom": True,
        "print_values": False,
        "explicit_size": True,
        **extra,
    }


def _counts(*series) -> dict:
    """Whole-number axis labels for charts of counts (pygal would label 0.2, 0.4, ...)."""
    top = max([0, *(v for s in series for v in s)])
    step = max(1, -(-top // 5))
    return {"y_labels": list(range(0, top + step + 1, step)), "value_formatter": str}


def _svg(chart) -> str:
    """The SVG with the font named on every text too: WeasyPrint does not apply pygal's id-scoped style rules to
    all of an inline SVG's texts, and falls back to the Japanese face (or a serif) for the rest."""
    svg = LEGEND_ID.sub("", SCRIPT.sub("", chart.render(is_unicode=True)))  # and no JavaScript at all
    return svg.replace("<text ", '<text font-family="Noto Sans CJK SC" ').replace(
        "<text>", '<text font-family="Noto Sans CJK SC">'
    )


def steps_chart(figures: dict) -> str:
    rows = figures["steps"]
    heights = [r["met_m"] + r["late_m"] + r["open_past_due"] for r in rows]
    chart = pygal.StackedBar(**_config(title=_("Deadline steps this month: met and late"), **_counts(heights)))
    chart.x_labels = [str(labels.STEP_LABELS.get(r["step"], r["step"])) for r in rows]
    chart.add(_("Met"), [r["met_m"] for r in rows])
    chart.add(_("Late"), [r["late_m"] for r in rows])
    chart.add(_("Open past due"), [r["open_past_due"] for r in rows])
    return _svg(chart)


def funds_chart(figures: dict) -> str:
    chart = pygal.Bar(**_config(title=_("Funds paid and reserved against available (yuan)")))
    totals = figures["funds"]["totals"]
    chart.x_labels = [str(labels.SOURCE_LABELS[t["source"]]) for t in totals]
    rows = {r["source"]: r for r in figures["funds"]["rows"]} if len(figures["funds"]["rows"]) <= 3 else {}
    chart.add(_("Available"), [float(Decimal(t["received"])) for t in totals])
    chart.add(_("Paid"), [float(Decimal(t["paid"])) for t in totals])
    if rows:
        chart.add(_("Reserved"), [float(Decimal(rows.get(t["source"], {}).get("reserved", "0"))) for t in totals])
    return _svg(chart)


def trend_chart(figures: dict) -> str:
    trend = figures["trend"]
    values = [[r[k] for r in trend] for k in ("received", "accepted", "paid")]
    chart = pygal.Line(**_config(title=_("Month by month this year"), **_counts(*values)))
    chart.x_labels = [f"{r['month']}" for r in trend]
    for key in ("received", "accepted", "paid"):
        chart.add(str(labels.FLOW_LABELS[key]), [r[key] for r in trend])
    return _svg(chart)


def charts(figures: dict) -> list[str]:
    return [steps_chart(figures), funds_chart(figures), trend_chart(figures)]


def overtime_chart(result: dict) -> str:
    rows = result["districts"]
    chart = pygal.StackedBar(
        **_config(title=_("Steps done on time and late, by district"), x_label_rotation=30,
                  **_counts([r["met"] + r["late"] for r in rows]))
    )  # fmt: skip
    chart.x_labels = [r["name"] for r in rows]
    chart.add(_("Met"), [r["met"] for r in rows])
    chart.add(_("Late"), [r["late"] for r in rows])
    return _svg(chart)


def states_chart(rows: list[dict]) -> str:
    shown = [r for r in rows if r["n"]]
    chart = pygal.HorizontalBar(
        **_config(title=_("Applications by state"), show_legend=False, height=360, **_counts([r["n"] for r in shown]))
    )
    chart.x_labels = [r["label"] for r in shown]
    chart.add(_("Applications"), [r["n"] for r in shown])
    return _svg(chart)


def money_chart(rows: list[dict]) -> str:
    chart = pygal.Bar(**_config(title=_("Funds by source (yuan)")))
    chart.x_labels = [r["label"] for r in rows]
    chart.add(_("Available"), [float(r["received"]) for r in rows])
    chart.add(_("Reserved"), [float(r["reserved"]) for r in rows])
    chart.add(_("Paid"), [float(r["paid"]) for r in rows])
    return _svg(chart)
