"""Import files for tests: rows in, a CSV (any encoding) or XLSX file out, plus a small reference world."""
from __future__ import annotations

import atexit
import csv
import io
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from crm.library.imports.run import import_chains
from crm.library.seeding import load_districts
from graph.engines.embedded import EmbeddedStore

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)

LINKS = [
    {"chain_id": "nev", "chain_name_zh": "智能网联新能源汽车产业链", "chain_name_en": "NEV", "tier": "lead",
     "link_id": "nev.cathode", "link_name_zh": "正极材料", "segment": "upstream", "position": "1",
     "high_tech": "true", "in_focus": "true", "feeds": "nev.cell"},
    {"chain_id": "nev", "link_id": "nev.cell", "link_name_zh": "动力电池电芯", "segment": "midstream",
     "position": "2", "high_tech": "true", "in_focus": "true", "feeds": "nev.vehicle"},
    {"chain_id": "nev", "link_id": "nev.vehicle", "link_name_zh": "整车", "segment": "downstream",
     "position": "3", "high_tech": "false", "in_focus": "true", "feeds": ""},
]


def company(**overrides: Any) -> dict[str, Any]:
    """A valid company row; override any column (None leaves the column out)."""
    row = {"company_id": "", "name_zh": "罗伯特·博世有限公司", "name_en": "Robert Bosch GmbH",
           "aliases": "BOSCH;博世", "country": "DE", "fg500_rank": "107", "fg500_year": "2024",
           "industry": "Motor vehicle parts", "multinational": "true", "makes": "nev.cell",
           "present_in": "500112", "source": "test"}
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def csv_bytes(rows: list[dict[str, Any]], *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    """CSV as Excel writes it: CRLF line ends, every row with the union of the rows' columns."""
    columns = list(dict.fromkeys(k for row in rows for k in row))
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, columns, delimiter=delimiter, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def csv_file(folder: Path, rows: list[dict[str, Any]], *, name: str = "companies.csv", **options: Any) -> Path:
    path = folder / name
    path.write_bytes(csv_bytes(rows, **options))
    return path


def xlsx_file(folder: Path, rows: list[dict[str, Any]], *, name: str = "companies.xlsx",
              write_only: bool = False, typed: bool = True) -> Path:
    """An XLSX with a header; `typed` stores numbers and booleans as Excel does, not as text."""
    import openpyxl

    columns = list(dict.fromkeys(k for row in rows for k in row))
    book = openpyxl.Workbook(write_only=write_only)
    sheet = book.create_sheet("data") if write_only else book.active
    sheet.append(columns)
    for row in rows:
        sheet.append([_typed(row.get(c)) if typed else row.get(c) for c in columns])
    path = folder / name
    book.save(path)
    return path


def _typed(value: Any) -> Any:
    if value in ("true", "false"):
        return value == "true"
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value or None


def load_reference(store: Any, folder: Path, *, now: datetime = NOW) -> None:
    """The real districts and one three-link chain, loaded the way `chainlead init` loads them."""
    load_districts(store, now=now)
    import_chains(store, csv_file(folder, LINKS, name="chains.csv"), now=now)


_template: list[Path] = []


def reference_store(folder: Path) -> EmbeddedStore:
    """An embedded store holding `load_reference`'s data: built once per test process, copied per test."""
    if not _template:
        base = Path(tempfile.mkdtemp(prefix="chainlead-reference-"))
        atexit.register(shutil.rmtree, base, True)
        store = EmbeddedStore(base / "reference.lbug", buffer_pool_mb=64)
        store.ensure_schema()
        load_reference(store, base)
        store.close()
        _template.append(base / "reference.lbug")
    for source in _template[0].parent.glob("reference.lbug*"):
        shutil.copy(source, folder / source.name)
    return EmbeddedStore(folder / "reference.lbug", buffer_pool_mb=64)
