"""Oversight (监管): warning signs (预警, R38), sampling runs (抽查), audit tasks and control reports,
investigations and violation cases (R38, R42, R43, R45)."""

from .warnings import BuyerScale, RiskWarning, Sign, WarningRule

__all__ = ["BuyerScale", "RiskWarning", "Sign", "WarningRule"]
