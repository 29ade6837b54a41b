"""The companies format (seeds/companies.csv is an example) and its validation, as a pure function.

`validate_companies(table, refs)` returns every row it could read and every problem it found;
an import writes nothing unless the problem list is empty.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from crm.choices import PRESENCE_END_REASONS
from crm.library.imports import cells
from crm.library.imports.columns import Column, check_header, parse_cells
from crm.library.imports.names import name_keys, normalise_name
from crm.library.imports.problems import Problem, quoted
from crm.library.imports.references import References
from crm.library.imports.table import Table

REDISTRICTING = "redistricting"

COLUMNS = (
    Column("company_id", cells.ident, "Your key for the company (letters, digits, `_ . -`). With it a re-import "
           "updates that company; without it rows are matched by name."),
    Column("name_zh", cells.text, "Chinese name. `name_zh` or `name_en` is needed for a new company."),
    Column("name_en", cells.text, "English name."),
    Column("aliases", cells.items, "Other names and abbreviations, separated by `;` (they help matching)."),
    Column("country", cells.country, "Home country, ISO two letters (`CN`, `DE`, `US`); also a matching key."),
    Column("fg500_rank", cells.whole_or_unknown(1, 500), "Fortune Global 500 rank, 1–500, from the published "
           "list of its year; `unknown` when it is not sourced (never an estimate)."),
    Column("fg500_year", cells.whole(1995, 2100), "The list year of that rank (needed with a rank)."),
    Column("fg500_source", cells.text, "Where that year's published list was read; a rank without it is listed "
           "as unsourced."),
    Column("industry", cells.text, "Industry, free text."),
    Column("multinational", cells.boolean, "`true`/`false` (also yes/no, 1/0, 是/否)."),
    Column("leading", cells.boolean, "A leading firm of its industry: `true`/`false`."),
    Column("revenue_usd_m", cells.number(0), "Revenue in millions of US dollars."),
    Column("employees", cells.whole(0), "Number of employees."),
    Column("makes", cells.ident_list, "Chain link ids it makes (`nev.battery_cell;…`), from chains.csv."),
    Column("present_in", cells.items, "Chongqing districts where it has an entity: codes (`500112`) or "
           "names (`渝北区`); abolished ones are moved to their successor. `district:YYYY-MM-DD` says the day it "
           "began, never before the district existed (`500157:2025-11-06`)."),
    Column("presence_ended", cells.items, "Presences that ended, `district:YYYY-MM-DD:reason` separated by `;` "
           "(the day is the first one the firm was gone; reason exit, relocation, shutdown or sale)."),
    Column("supplies", cells.ident_list, "`company_id`s of customers it supplies."),
    Column("parent", cells.ident_list, "`company_id`s of its parent(s); several for a joint venture."),
    Column("source", cells.text, "Where the facts come from."),
    Column("source_date", cells.day, "The day that source was published or last checked (YYYY-MM-DD); each "
           "presence and link made of the row carries it."),
    Column("synthetic", cells.boolean, "`true` marks generated demo or benchmark data."),
)
NODE_PROPS = ("name_zh", "name_en", "aliases", "country", "fg500_rank", "fg500_year", "fg500_unknown", "industry",
              "multinational", "leading", "revenue_usd_m", "employees", "source", "source_date", "fg500_source",
              "synthetic")


@dataclass
class CompanyRow:
    """One valid row: Company properties from its non-empty cells, and the relations it names."""

    row: int
    company_id: str | None
    props: dict[str, Any]
    makes: list[str] = field(default_factory=list)
    present_in: list[str] = field(default_factory=list)
    since: dict[str, date] = field(default_factory=dict)  # district -> first day of that presence
    ended: list[tuple[str, date, str]] = field(default_factory=list)  # district, until, reason
    ended_since: dict[str, date] = field(default_factory=dict)  # district -> first day, when the file says
    supplies: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)

    @cached_property
    def keys(self) -> set[str]:
        return name_keys(self.props.get("name_zh"), self.props.get("name_en"), *self.props.get("aliases", []))

    @cached_property
    def name_norm(self) -> str:
        """The stored matching key: the English name's, else the Chinese name's."""
        return normalise_name(self.props.get("name_en")) or normalise_name(self.props.get("name_zh"))

    @property
    def label(self) -> str:
        return self.props.get("name_zh") or self.props.get("name_en") or self.company_id or f"row {self.row}"


def validate_companies(table: Table, refs: References) -> tuple[list[CompanyRow], list[Problem]]:
    problems = list(table.problems) + check_header(table, COLUMNS, need_one_of=("company_id", "name_zh", "name_en"))
    if problems:  # with a wrong header every row would be read wrongly: the header first
        return [], problems
    out: list[CompanyRow] = []
    file_ids: dict[str, int] = {}
    for number, raw in table.rows:
        values = parse_cells(table, number, raw, COLUMNS, problems)
        if values.get("fg500_rank") == "unknown":
            values.update(fg500_rank=None, fg500_year=None, fg500_unknown=True)
        elif "fg500_rank" in values:
            values["fg500_unknown"] = False
        row = CompanyRow(number, values.pop("company_id", None), {k: values[k] for k in NODE_PROPS if k in values})
        named = bool(raw.get("name_zh") or raw.get("name_en"))  # a refused name cell is reported once
        _check_row(table, row, values, refs, problems, named=named)
        if row.company_id:
            if row.company_id in file_ids:
                problems.append(Problem(table.name, number, "company_id",
                                        f"{quoted(row.company_id)} is also in row {file_ids[row.company_id]}"))
            file_ids.setdefault(row.company_id, number)
        out.append(row)
    known = refs.companies | set(file_ids)
    for row in out:
        for column, targets in (("supplies", row.supplies), ("parent", row.parents)):
            for target in targets:
                if target == row.company_id:
                    problems.append(Problem(table.name, row.row, column, "a company cannot name itself"))
                elif target not in known:
                    problems.append(Problem(table.name, row.row, column,
                                            f"no company with company_id {quoted(target)} in this file or the store"))
    problems += _same_company_twice(table, out)
    return out, sorted(problems, key=lambda p: (p.row or 0, p.column or ""))


def _check_row(table: Table, row: CompanyRow, values: dict[str, Any], refs: References,
               problems: list[Problem], *, named: bool) -> None:
    def problem(column: str | None, message: str) -> None:
        problems.append(Problem(table.name, row.row, column, message))

    if not named and row.company_id not in refs.companies:
        problem("name_zh", "a new company needs name_zh or name_en")
    if row.props.get("fg500_rank") is not None and row.props.get("fg500_year") is None:
        problem("fg500_year", "is needed when fg500_rank is given")
    when = row.props.get("source_date")
    if when is not None and refs.today is not None and when > refs.today:
        problem("source_date", f"{when.isoformat()} is after today ({refs.today.isoformat()})")
    for link in values.get("makes", []):
        if link in refs.link_chain:
            row.makes.append(link)
        else:
            problem("makes", f"no chain link {quoted(link)} (import its chain first)")
    for item in values.get("present_in", []):
        place, dated, day = (part.strip() for part in item.partition(":"))
        division = _named(place, refs)
        since = _since(item, division, day, refs) if dated and division is not None else None
        if division is None:
            problem("present_in", f"no Chongqing district {quoted(place)} (use a code such as 500112 or a name)")
        elif isinstance(since, str):
            problem("present_in", since)
        else:
            _place(row, division, refs.current_district(division), since, refs)
    for item in values.get("presence_ended", []):
        ended = _ended(item, refs)
        if isinstance(ended, str):
            problem("presence_ended", ended)
        elif ended[0] in row.present_in:
            problem("presence_ended", f"{quoted(item)}: the company cannot be present and gone in one district")
        else:
            row.ended.append(ended)
    row.supplies = values.get("supplies", [])
    row.parents = values.get("parent", [])


def _ended(item: str, refs: References) -> tuple[str, date, str] | str:
    """(district, until, reason) from `district:YYYY-MM-DD:reason`, or what is wrong with it."""
    parts = item.split(":")
    if len(parts) != 3:
        return f"{quoted(item)} is not district:YYYY-MM-DD:reason"
    place = parts[0].strip()
    code = _named(place, refs)  # history keeps the division
    try:
        until = date.fromisoformat(parts[1].strip())
    except ValueError:
        return f"{quoted(parts[1])} is not a date (YYYY-MM-DD)"
    reason = parts[2].strip()
    if code is None:
        return f"no Chongqing district {quoted(parts[0])}"
    if reason not in PRESENCE_END_REASONS:
        return f"{quoted(reason)} is not one of {', '.join(PRESENCE_END_REASONS.values)}"
    if refs.today is not None and until > refs.today:
        return f"{quoted(item)}: {until.isoformat()} is after today ({refs.today.isoformat()})"
    return code, until, reason


def _since(item: str, code: str, day: str, refs: References) -> date | str:
    """The first day of a presence in `code`, or what is wrong with it: a presence cannot begin before its
    district existed (两江新区 500157 from 2025-11-06) nor after today."""
    try:
        since = date.fromisoformat(day)
    except ValueError:
        return f"{quoted(day)} is not a date (YYYY-MM-DD)"
    began = refs.districts[code].valid_from
    if began is not None and since < began:
        return f"{quoted(item)}: district {code} exists only from {began.isoformat()}"
    if refs.today is not None and since > refs.today:
        return f"{quoted(item)}: {since.isoformat()} is after today ({refs.today.isoformat()})"
    return since


def _named(place: str, refs: References) -> str | None:
    """The division a code or name means, abolished or not."""
    if place in refs.districts:
        return place
    named = refs.district_by_name(place)
    return named[0] if named else None


def _place(row: CompanyRow, named: str, code: str, since: date | None, refs: References) -> None:
    """A presence in the division named; one abolished since is history until its successor began
    (WAS_PRESENT_IN, reason redistricting) and present in the successor from that day, so a day
    before the change never reads the successor, which did not exist yet."""
    moved_on = refs.districts[code].valid_from if code != named else None
    if moved_on is not None and (since is None or since < moved_on):
        if all(d != named for d, _, _ in row.ended):
            row.ended.append((named, moved_on, REDISTRICTING))
            if since is not None:
                row.ended_since[named] = since
        since = moved_on
    if code not in row.present_in:
        row.present_in.append(code)
    if since is not None and (code not in row.since or since < row.since[code]):
        row.since[code] = since


def _same_company_twice(table: Table, rows: list[CompanyRow]) -> list[Problem]:
    """Two rows whose names meet (countries agreeing), where an id does not tell them apart."""
    seen: dict[str, CompanyRow] = {}
    problems: list[Problem] = []
    if all(row.company_id for row in rows):
        return problems
    for row in rows:
        for key in sorted(row.keys):
            other = seen.get(key)
            if other is not None and not (row.company_id and other.company_id) and _countries_agree(row, other):
                problems.append(Problem(table.name, row.row, None,
                                        f"{quoted(row.label)} looks like the company in row {other.row}; "
                                        "merge the rows or give them different company_id values"))
                break
        for key in row.keys:
            seen.setdefault(key, row)
    return problems


def _countries_agree(a: CompanyRow, b: CompanyRow) -> bool:
    ca, cb = a.props.get("country"), b.props.get("country")
    return ca is None or cb is None or ca == cb
