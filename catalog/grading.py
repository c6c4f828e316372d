"""Grade parameters as amount tables print them, and which grade a machine's declared values land in (R6, R14).

A parameter is a range with a unit and bounds that are included or not (``55马力≤功率<60马力``, ``铧体个数3—4``,
``单体幅宽<35cm``) or an enumeration (``驱动方式:两轮驱动``). A machine lands in a grade when every parameter of
the grade is satisfied by its declared values.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .errors import CatalogueError

# Units that convert into one another: factor to the dimension's base unit.
UNITS: dict[str, tuple[str, Decimal]] = {
    "kw": ("power", Decimal("1")),
    "千瓦": ("power", Decimal("1")),
    "马力": ("power", Decimal("0.7355")),
    "hp": ("power", Decimal("0.7355")),
    "ps": ("power", Decimal("0.7355")),
    "m": ("length", Decimal("1")),
    "米": ("length", Decimal("1")),
    "cm": ("length", Decimal("0.01")),
    "厘米": ("length", Decimal("0.01")),
    "mm": ("length", Decimal("0.001")),
    "毫米": ("length", Decimal("0.001")),
    "kg": ("mass", Decimal("1")),
    "千克": ("mass", Decimal("1")),
    "t": ("mass", Decimal("1000")),
    "吨": ("mass", Decimal("1000")),
    "l": ("volume", Decimal("1")),
    "升": ("volume", Decimal("1")),
}

NUM = r"(\d+(?:\.\d+)?)"
UNIT = r"([^\d\s<>≤≥=—\-~–:：;；]*)"
NAME = r"([^\d<>≤≥=:：;；]+?)"
LT = r"(≤|<=|<)"
GT = r"(≥|>=|>)"
DASH = r"[—\-~–至]+"

BOTH = re.compile(rf"^{NUM}{UNIT}{LT}{NAME}{LT}{NUM}{UNIT}$")
UPPER = re.compile(rf"^{NAME}{LT}{NUM}{UNIT}$")
LOWER = re.compile(rf"^{NAME}{GT}{NUM}{UNIT}$")
LOWER_LEFT = re.compile(rf"^{NUM}{UNIT}{LT}{NAME}$")
SPAN = re.compile(rf"^{NAME}{NUM}{UNIT}{DASH}{NUM}{UNIT}$")
EXACT = re.compile(rf"^{NAME}[=＝]{NUM}{UNIT}$")
QUANTITY = re.compile(rf"^\s*{NUM}\s*{UNIT}\s*$")


@dataclass
class ParameterSpec:
    """A parameter before it is stored: the shape of ``GradeParameter``."""

    name: str
    kind: str = "range"
    unit: str = ""
    lower: Decimal | None = None
    lower_inclusive: bool = True
    upper: Decimal | None = None
    upper_inclusive: bool = False
    choices: list[str] = field(default_factory=list)


def _dec(text: str) -> Decimal:
    return Decimal(text)


def parse_parameter(text: str) -> ParameterSpec:
    """One parameter as printed, e.g. ``55马力≤功率<60马力`` or ``驱动方式:两轮驱动``."""
    text = text.strip().replace(" ", "")
    if not text:
        raise CatalogueError(_("A parameter is empty."), rule="R6")
    for sep in (":", "："):
        if sep in text:
            name, values = text.split(sep, 1)
            choices = [v for v in re.split(r"[/、,，|]", values) if v]
            if not name or not choices:
                break
            return ParameterSpec(name=name, kind="choice", choices=choices)
    if m := BOTH.match(text):
        low, unit1, op1, name, op2, high, unit2 = m.groups()
        return ParameterSpec(
            name=name,
            unit=unit1 or unit2,
            lower=_dec(low),
            lower_inclusive=op1 != "<",
            upper=_dec(high),
            upper_inclusive=op2 != "<",
        )
    if m := UPPER.match(text):
        name, op, high, unit = m.groups()
        return ParameterSpec(name=name, unit=unit, upper=_dec(high), upper_inclusive=op != "<")
    if m := LOWER.match(text):
        name, op, low, unit = m.groups()
        return ParameterSpec(name=name, unit=unit, lower=_dec(low), lower_inclusive=op != ">")
    if m := LOWER_LEFT.match(text):
        low, unit, op, name = m.groups()
        return ParameterSpec(name=name, unit=unit, lower=_dec(low), lower_inclusive=op != "<")
    if m := SPAN.match(text):
        name, low, unit1, high, unit2 = m.groups()
        return ParameterSpec(name=name, unit=unit1 or unit2, lower=_dec(low), upper=_dec(high), upper_inclusive=True)
    if m := EXACT.match(text):
        name, value, unit = m.groups()
        return ParameterSpec(name=name, unit=unit, lower=_dec(value), upper=_dec(value), upper_inclusive=True)
    raise CatalogueError(_("Cannot read the parameter “%(text)s”.") % {"text": text}, rule="R6")


def parse_parameters(text: str) -> list[ParameterSpec]:
    """Parameters separated by ``;`` as in ``55马力≤功率<60马力;驱动方式:两轮驱动``."""
    return [parse_parameter(part) for part in re.split(r"[;；]", text or "") if part.strip()]


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


def describe(param) -> str:
    """A parameter (spec or model) as an amount table prints it."""
    if param.kind == "choice":
        return f"{param.name}:{'/'.join(param.choices)}"
    unit = param.unit or ""
    low, high = param.lower, param.upper
    if low is not None and high is not None:
        if param.lower_inclusive and param.upper_inclusive:
            if low == high:
                return f"{param.name}={_fmt(low)}{unit}"
            return f"{param.name}{_fmt(low)}—{_fmt(high)}{unit}"
        left = "≤" if param.lower_inclusive else "<"
        right = "≤" if param.upper_inclusive else "<"
        return f"{_fmt(low)}{unit}{left}{param.name}{right}{_fmt(high)}{unit}"
    if low is not None:
        return f"{param.name}{'≥' if param.lower_inclusive else '>'}{_fmt(low)}{unit}"
    if high is not None:
        return f"{param.name}{'≤' if param.upper_inclusive else '<'}{_fmt(high)}{unit}"
    return param.name


def parse_quantity(value) -> tuple[Decimal, str] | None:
    """A declared value as a number and a unit: ``57``, ``"57马力"``, ``Decimal("42.5")``; None if not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value), ""
    if isinstance(value, float):
        return Decimal(repr(value)), ""
    m = QUANTITY.match(str(value))
    if not m:
        return None
    try:
        return Decimal(m.group(1)), m.group(2)
    except InvalidOperation:
        return None


def _convert(number: Decimal, unit: str, target: str) -> Decimal | None:
    """``number`` of ``unit`` expressed in ``target``; None if the units do not convert."""
    if not unit or not target or unit.lower() == target.lower():
        return number
    src, dst = UNITS.get(unit.lower()), UNITS.get(target.lower())
    if not src or not dst or src[0] != dst[0]:
        return None
    return number * src[1] / dst[1]


def satisfies(param, value) -> bool:
    """Whether a declared value satisfies one parameter of a grade."""
    if value is None or value == "":
        return False
    if param.kind == "choice":
        return str(value).strip() in param.choices
    quantity = parse_quantity(value)
    if quantity is None:
        return False
    number = _convert(quantity[0], quantity[1], param.unit)
    if number is None:
        return False
    if param.lower is not None and (number < param.lower or (number == param.lower and not param.lower_inclusive)):
        return False
    return not (
        param.upper is not None and (number > param.upper or (number == param.upper and not param.upper_inclusive))
    )


def grade_matches(parameters, declared: dict) -> bool:
    parameters = list(parameters)
    return bool(parameters) and all(satisfies(p, declared.get(p.name)) for p in parameters)


def parse_declared(text: str) -> dict[str, str]:
    """Declared values typed as ``功率=57马力;驱动方式=两轮驱动`` (also ``:``)."""
    declared = {}
    for part in re.split(r"[;；\n]", text or ""):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^([^=:：＝]+)[=:：＝](.+)$", part)
        if not m:
            raise CatalogueError(
                _("Write each value as name=value, e.g. %(example)s.") % {"example": "功率=57马力"}, rule="R6"
            )
        declared[m.group(1).strip()] = m.group(2).strip()
    return declared
