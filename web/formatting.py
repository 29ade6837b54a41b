"""Numbers, money and times the way each language's readers expect them (Jinja filters).

Chinese readers count RMB in 万元 and 亿元; English readers get millions. Times show on the
bureau's clock (Asia/Shanghai).
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from flask import Flask, current_app
from flask_babel import format_date, format_datetime, format_decimal, format_timedelta, get_locale

from crm import choices
from crm.base.clock import local_today, utcnow
from crm.library import reference
from web.i18n import current_locale


def _zh_amount(value: float, unit: str) -> str:
    if abs(value) >= 1e8:
        return f"{format_decimal(value / 1e8, format='#,##0.##')} 亿{unit}"
    if abs(value) >= 1e4:
        return f"{format_decimal(value / 1e4, format='#,##0.##')} 万{unit}"
    return f"{format_decimal(value, format='#,##0')} {unit}"


def money_rmb(value: float | int | Decimal | None) -> str:
    if value is None:
        return "—"
    value = float(value)
    if current_locale() == "zh":
        return _zh_amount(value, "元")
    if abs(value) >= 1e6:
        return f"RMB {format_decimal(value / 1e6, format='#,##0.##')} m"
    return f"RMB {format_decimal(value, format='#,##0')}"


def money_usd(value: float | int | Decimal | None) -> str:
    if value is None:
        return "—"
    value = float(value)
    if current_locale() == "zh":
        return _zh_amount(value, "美元")
    if abs(value) >= 1e6:
        return f"USD {format_decimal(value / 1e6, format='#,##0.##')} m"
    return f"USD {format_decimal(value, format='#,##0')}"


def when(value: datetime | date | None, style: str = "medium") -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value, "yyyy-MM-dd HH:mm")
    return format_date(value, "yyyy-MM-dd")


def age(value: date | None) -> str:
    """How old a dated fact is on the bureau's today, e.g. "2 years ago" / "2年前"."""
    if value is None:
        return "—"
    clock = current_app.config.get("CLOCK")  # tests pin the request's clock
    today = local_today(clock() if clock else utcnow())
    return format_timedelta(value - today, granularity="day", add_direction=True)


def number(value: float | int | None, fmt: str = "#,##0.##") -> str:
    return "—" if value is None else format_decimal(value, format=fmt)


def name(record: object, field: str = "name") -> str:
    """The record's name in the reader's language, falling back to the other one."""
    zh = getattr(record, f"{field}_zh", None) if not isinstance(record, dict) else record.get(f"{field}_zh")
    en = getattr(record, f"{field}_en", None) if not isinstance(record, dict) else record.get(f"{field}_en")
    return (en or zh or "") if current_locale() == "en" else (zh or en or "")


def country(code: str | None) -> str:
    """A country code (ISO 3166, as companies carry it) by its name in the reader's language."""
    if not code:
        return "—"
    locale = get_locale()
    return (locale.territories.get(code.upper()) if locale else None) or code


def industry(value: str | None) -> str:
    """A company's industry in the reader's language (seeds/industries.csv names them in Chinese)."""
    return reference.industry_label(value, current_locale()) or "—"


def sparkline(values: list[float], width: int = 120, height: int = 28) -> str:
    """The points of an SVG polyline drawing `values` (a small trend), scaled to the box; empty for fewer than 2."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = width / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}" for i, v in enumerate(values))


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(money_rmb=money_rmb, money_usd=money_usd, when=when, age=age, number=number,
                                 country=country, industry=industry, sparkline=sparkline)
    app.jinja_env.globals.update(choices=choices, name_of=name, locale=current_locale)
