"""FDI figures against the plan's targets (二、主要目标; T1–T3), for the API and the weekly report.

Two measures are kept apart and labelled, as policy `fdi_measures` defines them: the commerce
ministry's FDI (the 10 % target's measure) and the broader 实际利用外资, which also counts
foreign-shareholder loans. Pure functions over plain `FlowFact`s; `load_facts` is the one store
query, and `as_of` compares a year to date with the same period of the year before.

>>> f = [FlowFact(date(2023, 3, 1), 100, "equity"), FlowFact(date(2024, 3, 1), 110, "equity", manufacturing=True)]
>>> r = kpi_report(f, year=2024)
>>> r.target.growth, r.check("growth").status, r.target.current.share("manufacturing_usd")
(0.1, 'on_track', 1.0)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Iterable

from crm.errors import ValidationFailed
from crm.policy import load_policy, section

HIGH_TECH_SERVICES = "high_tech_services"


@dataclass(frozen=True)
class FlowFact:
    """One inflow that counts (not archived, its project not archived) with its project's flags."""
    received_on: date
    amount_usd: int
    kind: str
    manufacturing: bool = False
    high_tech: bool = False
    high_tech_services: bool = False
    industry_category: str | None = None
    district_id: str | None = None
    project_id: str | None = None

    @property
    def high_tech_manufacturing(self) -> bool:
        """任务 8's categories are all manufacturing: a high-tech flag counts only on a manufacturing project."""
        return self.manufacturing and self.high_tech

    @property
    def in_high_tech_services(self) -> bool:
        return self.high_tech_services or self.industry_category == HIGH_TECH_SERVICES


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Breakdown:
    """One measure over one period: the total and the parts the targets look at (USD)."""
    total_usd: int = 0
    manufacturing_usd: int = 0
    high_tech_manufacturing_usd: int = 0
    high_tech_services_usd: int = 0

    def share(self, part: str) -> float | None:
        return getattr(self, part) / self.total_usd if self.total_usd else None


@dataclass(frozen=True)
class MeasureFigures:
    key: str
    label_zh: str
    label_en: str
    kinds: tuple[str, ...]
    is_target_measure: bool
    current: Breakdown
    previous: Breakdown

    @property
    def growth(self) -> float | None:
        return _growth(self.current.total_usd, self.previous.total_usd)


@dataclass(frozen=True)
class TargetCheck:
    """One target (T1–T3) on the target measure: the figure, the target, and a status a report can flag."""
    name: str
    value: float | None
    target: float | None
    status: str  # on_track | off_track | on_target | below | rising | not_rising | no_data
    zh: str
    en: str


@dataclass(frozen=True)
class KpiReport:
    year: int
    as_of: date | None
    period: Period
    previous_period: Period
    measures: tuple[MeasureFigures, ...]
    checks: tuple[TargetCheck, ...]

    @property
    def target(self) -> MeasureFigures:
        return next(m for m in self.measures if m.is_target_measure)

    def check(self, name: str) -> TargetCheck:
        return next(c for c in self.checks if c.name == name)


def _growth(current: int, previous: int) -> float | None:
    return None if not previous else float((Decimal(current) - previous) / previous)


def measures(policy: dict[str, Any] | None = None) -> tuple[str, dict[str, dict[str, Any]]]:
    """The target measure's key and every measure's definition, from policy `fdi_measures`."""
    raw = section("fdi_measures", policy if policy is not None else load_policy())
    defined = {k: v for k, v in raw.items() if isinstance(v, dict)}
    target = raw.get("target_measure")
    if target not in defined:
        raise ValidationFailed({"policy": [f"fdi_measures.target_measure {target!r} is not a measure"]})
    return target, defined


def periods(year: int, as_of: date | None = None) -> tuple[Period, Period]:
    """The year (to `as_of`, when given) and the same stretch of the year before (29 Feb → 28 Feb)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    if as_of is not None:
        if as_of < start:
            raise ValidationFailed({"as_of": [f"must fall in {year} or later"]})
        end = min(end, as_of)
    previous_end = end.replace(year=year - 1, day=28) if (end.month, end.day) == (2, 29) else end.replace(year=year - 1)
    return Period(start, end), Period(date(year - 1, 1, 1), previous_end)


def breakdown(facts: Iterable[FlowFact], kinds: Iterable[str], period: Period) -> Breakdown:
    kinds = set(kinds)
    total = manufacturing = htm = hts = 0
    for f in facts:
        if f.kind not in kinds or not period.holds(f.received_on):
            continue
        total += f.amount_usd
        manufacturing += f.amount_usd if f.manufacturing else 0
        htm += f.amount_usd if f.high_tech_manufacturing else 0
        hts += f.amount_usd if f.in_high_tech_services else 0
    return Breakdown(total, manufacturing, htm, hts)


def fdi_by_year(facts: Iterable[FlowFact], policy: dict[str, Any] | None = None) -> dict[str, dict[int, int]]:
    """USD per calendar year under each measure: {"fdi": {2023: …}, "utilised": {…}}."""
    facts = list(facts)
    out: dict[str, dict[int, int]] = {}
    for key, spec in measures(policy)[1].items():
        years: dict[int, int] = {}
        for f in facts:
            if f.kind in spec["kinds"]:
                years[f.received_on.year] = years.get(f.received_on.year, 0) + f.amount_usd
        out[key] = dict(sorted(years.items()))
    return out


def _at_least(part: int, total: int, floor: Decimal) -> str:
    """"30 % 以上" as a floor: exactly on it is on target (Decimal, so 30/100 is 0.30)."""
    if not total:
        return "no_data"
    return "below" if Decimal(part) / total < floor else "on_target"


def _checks(figures: MeasureFigures, targets: dict[str, Any]) -> list[TargetCheck]:
    growth, minimum = figures.growth, float(targets["fdi_growth_min"])
    now, before = figures.current.total_usd, figures.previous.total_usd
    # Compared in Decimal: 110 on 100 is exactly 10 % growth and meets a 10 % target.
    met = before and Decimal(now) >= (1 + Decimal(str(targets["fdi_growth_min"]))) * before
    out = [TargetCheck("growth", growth, minimum, "no_data" if growth is None else "on_track" if met else "off_track",
                       f"{figures.label_zh}同比增长（目标≥{minimum:.0%}）",
                       f"{figures.label_en} growth on a year before (target at least {minimum:.0%})")]
    share, floor = figures.current.share("manufacturing_usd"), float(targets["manufacturing_share_min"])
    status = _at_least(figures.current.manufacturing_usd, figures.current.total_usd,
                       Decimal(str(targets["manufacturing_share_min"])))
    out.append(TargetCheck("manufacturing_share", share, floor, status, f"制造业吸收外资占比（目标{floor:.0%}以上）",
                           f"Manufacturing share of {figures.label_en} (target at least {floor:.0%})"))
    if targets.get("high_tech_rising"):
        for part, zh, en in (("high_tech_manufacturing_usd", "高技术制造业吸收外资", "High-tech manufacturing"),
                             ("high_tech_services_usd", "高技术服务业吸收外资", "High-tech services")):
            now, before = getattr(figures.current, part), getattr(figures.previous, part)
            status = "no_data" if not (now or before) else "rising" if now > before else "not_rising"
            out.append(TargetCheck(part.removesuffix("_usd"), _growth(now, before), None, status,
                                   f"{zh}较上年同期（目标：明显提高）", f"{en} against a year before (target: rise markedly)"))
    return out


def kpi_report(facts: Iterable[FlowFact], *, year: int, as_of: date | None = None,
               policy: dict[str, Any] | None = None) -> KpiReport:
    """The year's figures under each measure against the year before, and the targets checked."""
    data = policy if policy is not None else load_policy()
    facts = list(facts)
    current, previous = periods(year, as_of)
    target, defined = measures(data)
    figures = tuple(MeasureFigures(key, spec["label_zh"], spec["label_en"], tuple(spec["kinds"]), key == target,
                                   breakdown(facts, spec["kinds"], current), breakdown(facts, spec["kinds"], previous))
                    for key, spec in defined.items())
    checks = _checks(next(m for m in figures if m.is_target_measure), section("targets", data))
    return KpiReport(year, as_of, current, previous, figures, tuple(checks))


_FACTS = (
    "MATCH (f:CapitalInflow)-[:PAID_INTO]->(p:Project) "
    "WHERE f.archived = false AND p.archived = false AND f.received_on >= $first_day AND f.received_on <= $last_day "
    "OPTIONAL MATCH (p)-[:LOCATED_IN]->(d:District) "
    "RETURN f.received_on AS received_on, f.amount_usd AS amount_usd, f.kind AS kind, "
    "p.manufacturing AS manufacturing, p.high_tech AS high_tech, p.high_tech_services AS high_tech_services, "
    "p.industry_category AS industry_category, d.id AS district_id, p.id AS project_id")


def load_facts(store: Any, start: date, end: date) -> list[FlowFact]:
    """Every counting inflow received in [start, end], joined with its project's flags, in one query."""
    rows = store.read(_FACTS, {"first_day": start, "last_day": end})
    return [FlowFact(**{**r, "manufacturing": bool(r["manufacturing"]), "high_tech": bool(r["high_tech"]),
                        "high_tech_services": bool(r["high_tech_services"])}) for r in rows]


def kpis_for(store: Any, year: int, *, today: date, as_of: date | None = None,
             policy: dict[str, Any] | None = None) -> KpiReport:
    """The KPI report from the store; the current year defaults to year to date, compared like for like."""
    if year > today.year:
        raise ValidationFailed({"year": [f"{year} has not begun"]})
    if as_of is not None and as_of > today:
        raise ValidationFailed({"as_of": [f"cannot be after today ({today.isoformat()}): the figures would "
                                          "compare a part year with a longer stretch of the year before"]})
    if as_of is None and year == today.year:
        as_of = today
    current, previous = periods(year, as_of)
    return kpi_report(load_facts(store, previous.start, current.end), year=year, as_of=as_of, policy=policy)
