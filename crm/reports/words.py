"""How every report format words its figures: amounts, percentages, section titles, warnings.

The renderers take a `gettext` callable (English msgid → the reader's language) from the
composition point: the app passes Flask-Babel's, the CLI and the API the catalogue of the
language asked for (web/reports.py). Chinese readers count USD in 万 and 亿; English in millions.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from crm.policy import section
from crm.choices import (EVENT_KINDS, EVENT_STATUSES, GAP_ACTIONS, LEAD_STAGES, PROJECT_KINDS, PROJECT_STAGES,
                         RESILIENCE_MOVES)

Gettext = Callable[[str], str]
NUMERALS = "一二三四五六七八九十"


def identity(text: str) -> str:
    return text


def growth_cap() -> float:
    """policy report.growth_shown_up_to: the largest growth worth printing as a percentage."""
    return float(section("report")["growth_shown_up_to"])


@dataclass(frozen=True)
class Words:
    """A reader's language: its translations and its way of writing numbers."""
    gettext: Gettext = identity
    lang: str = "zh"

    @property
    def zh(self) -> bool:
        return self.lang.startswith("zh")

    def usd(self, value: float | int | None) -> str:
        if value is None:
            return "—"
        if self.zh:
            if abs(value) >= 1e8:
                return f"{value / 1e8:,.2f}亿美元"
            return f"{value / 1e4:,.1f}万美元" if abs(value) >= 1e4 else f"{value:,.0f}美元"
        return f"USD {value / 1e6:,.2f} m" if abs(value) >= 1e5 else f"USD {value:,.0f}"

    def rmb(self, value: float | int | None) -> str:
        if value is None:
            return "—"
        if self.zh:
            return f"{value / 1e4:,.2f}万元" if abs(value) >= 1e4 else f"{value:,.2f}元"
        return f"RMB {value / 1e6:,.2f} m" if abs(value) >= 1e5 else f"RMB {value:,.2f}"

    def pct(self, value: float | None, signed: bool = False) -> str:
        if value is None:
            return "—"
        return f"{value * 100:+.1f}%" if signed else f"{value * 100:.1f}%"

    def growth(self, value: float | None) -> str:
        """A year-on-year change, or "base too small" when last year's figure was too small to compare with."""
        if value is not None and abs(value) > growth_cap():
            return self.gettext("base too small")
        return self.pct(value, signed=True)

    def goal(self, value: float | None) -> str:
        """A plan's target as the plan writes it: "30%", not "30.0%"."""
        return "—" if value is None else f"{value * 100:.0f}%"

    def number(self, value: float | int | None, places: int = 0) -> str:
        return "—" if value is None else f"{value:,.{places}f}"

    def change(self, value: float | int | None, previous: float | int | None, money: bool = False) -> str:
        """The difference from the comparison, signed: +3, −1.2万美元, or — when nothing to compare."""
        if value is None or previous is None:
            return "—"
        diff = value - previous
        if money:
            return ("+" if diff > 0 else "") + self.usd(diff)
        return f"{diff:+,}" if isinstance(diff, int) else f"{diff:+,.1f}"

    def name(self, row: dict[str, Any], field: str = "name") -> str:
        zh, en = row.get(f"{field}_zh"), row.get(f"{field}_en")
        return str((zh or en) if self.zh else (en or zh) or "")

    def choice(self, choices: Any, value: str | None) -> str:
        return choices.label(value, "zh" if self.zh else "en")

    def stage(self, value: str | None) -> str:
        return self.choice(LEAD_STAGES, value)

    def action(self, value: str | None) -> str:
        return self.choice(GAP_ACTIONS, value)

    def event_kind(self, value: str | None) -> str:
        return self.choice(EVENT_KINDS, value)

    def event_status(self, value: str | None) -> str:
        return self.choice(EVENT_STATUSES, value)

    def project_kind(self, value: str | None) -> str:
        return self.choice(PROJECT_KINDS, value)

    def project_stage(self, value: str | None) -> str:
        return self.choice(PROJECT_STAGES, value)

    def resilience_move(self, value: str | None) -> str:
        return self.choice(RESILIENCE_MOVES, value)

    def day(self, value: str | date | None) -> str:
        return "—" if not value else str(value)[:10]

    def numbered(self, n: int, title: str) -> str:
        """一、二、三 … for Chinese section headings, 1. 2. 3. for English."""
        return f"{NUMERALS[n - 1]}、{title}" if self.zh and n <= len(NUMERALS) else f"{n}. {title}"

    def title(self, figures: dict[str, Any]) -> str:
        return self.gettext("Weekly investment promotion report")

    def period(self, figures: dict[str, Any]) -> str:
        return self.gettext("Week %(week)s: %(start)s to %(end)s") % {
            "week": figures["week"], "start": figures["week_start"], "end": figures["week_end"]}


def sections(words: Words) -> list[tuple[str, str]]:
    """The report's sections in order, keyed as in the figures, with their titles."""
    gettext = words.gettext
    return [("fdi", gettext("FDI against the plan")), ("pipeline", gettext("Promotion pipeline")),
            ("chains", gettext("Industrial chains")), ("districts", gettext("District activity index")),
            ("people", gettext("Follow-up work")), ("events", gettext("Promotion events")),
            ("incentives", gettext("Incentives"))]


def warning_text(warning: dict[str, Any], words: Words) -> str:
    """One warning line in the reader's language."""
    gettext, code = words.gettext, warning["code"]
    if code == "fdi_off_track":
        return gettext("Warning: FDI is off track. The year to date is %(growth)s on the same period last year "
                       "(target at least %(target)s); at this pace the year ends at %(projected)s, "
                       "%(shortfall)s short of the %(goal)s the target asks for.") % {
            "growth": words.pct(warning["growth"], signed=True), "target": words.goal(warning["target"]),
            "projected": words.usd(warning["projected_usd"]), "shortfall": words.usd(warning["shortfall_usd"]),
            "goal": words.usd(warning["target_usd"])}
    if code == "manufacturing_share_below":
        return gettext("Warning: manufacturing takes %(share)s of FDI, below the plan's %(target)s or more.") % {
            "share": words.pct(warning["share"]), "target": words.goal(warning["target"])}
    if code == "high_tech_manufacturing_not_rising":
        return gettext("Warning: high-tech manufacturing FDI (%(value)s) is not above last year's %(previous)s.") % {
            "value": words.usd(warning["value_usd"]), "previous": words.usd(warning["previous_usd"])}
    if code == "high_tech_services_not_rising":
        return gettext("Warning: high-tech services FDI (%(value)s) is not above last year's %(previous)s.") % {
            "value": words.usd(warning["value_usd"]), "previous": words.usd(warning["previous_usd"])}
    return code


def _scope_names(figures: dict[str, Any], ids: list[str], kind: str, words: Words) -> str:
    """The reader's districts or chains by name, looked up in the report's own tables."""
    rows = (figures["districts"]["ranking"] + figures["pipeline"]["by_district"] if kind == "districts"
            else figures["chains"]["chains"] + figures["pipeline"]["by_chain"])
    found = {r.get("district_id") or r.get("id"): words.name(r) for r in rows}
    return ("、" if words.zh else ", ").join(found.get(i) or i for i in ids)


def reader_note(figures: dict[str, Any], words: Words) -> str | None:
    """What a scoped reader's copy leaves out (crm/reports/scope.py); None when the reader sees every row."""
    reader, gettext = figures.get("reader"), words.gettext
    if not reader:
        return None
    if reader["role"] == "district_officer":
        return gettext("Rows naming a project, lead or person are limited to your district (%(names)s); "
                       "totals are for the whole city.") % {
            "names": _scope_names(figures, reader["districts"], "districts", words)}
    if reader["role"] == "chain_leader":
        return gettext("Rows naming a project, lead or person are limited to your chains (%(names)s); "
                       "totals are for the whole city.") % {
            "names": _scope_names(figures, reader["chains"], "chains", words)}
    return gettext("Rows naming a project, lead or person are left out; totals are for the whole city.")


def status_text(status: str | None, words: Words) -> str:
    gettext = words.gettext
    labels = {"on_track": gettext("On track"), "off_track": gettext("Off track"), "on_target": gettext("On target"),
              "below": gettext("Below target"), "above": gettext("Above target"), "rising": gettext("Rising"),
              "not_rising": gettext("Not rising"), "no_data": gettext("No data")}
    return labels.get(status or "no_data", status or "")


def component_labels(words: Words) -> dict[str, str]:
    gettext = words.gettext
    return {"followups_done": gettext("Follow-ups done"), "visits": gettext("Visits and meetings"),
            "new_leads": gettext("New leads"), "signings": gettext("Signings"),
            "paid_in_fdi": gettext("Paid-in FDI"), "overdue": gettext("Overdue follow-ups")}
