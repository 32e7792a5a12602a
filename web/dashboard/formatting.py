"""How the dashboard writes its figures: working hours with one decimal,
rates in whole percent, scores with one decimal; '—' where there is no data."""
from __future__ import annotations

from . import bp

DASH = "—"


def hours(seconds: float | None) -> str:
    return DASH if seconds is None else f"{seconds / 3600:.1f}"


def percent(rate: float | None) -> str:
    return DASH if rate is None else f"{100 * rate:.1f}%"


def one_decimal(value: float | None) -> str:
    return DASH if value is None else f"{value:.1f}"


def hours_number(seconds: float | None) -> float | None:
    """For charts and CSV: a number, not text."""
    return None if seconds is None else round(seconds / 3600, 2)


def rounded(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


bp.add_app_template_filter(hours, "work_hours")
bp.add_app_template_filter(percent, "percent")
bp.add_app_template_filter(one_decimal, "one_decimal")
