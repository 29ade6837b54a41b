"""Arrows point down (ARCHITECTURE.md): web → crm, scoring → graph. Each package's imports, read from its source."""
import ast

import pytest

from tests.conftest import ROOT

# What each package may not import: graph knows nothing of leads or scores; neither crm nor
# scoring knows flask; crm is below scoring (crm.base.hooks receives the ranking instead).
FORBIDDEN = {"graph": ("crm", "scoring", "web", "flask"), "crm": ("scoring", "web", "flask"),
             "scoring": ("web", "flask")}


def imports(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_above_it(package):
    wrong = [f"{path.relative_to(ROOT)} imports {name}" for path in sorted((ROOT / package).rglob("*.py"))
             for name in imports(path) if name.split(".")[0] in FORBIDDEN[package]]
    assert wrong == []


# crm's packages from the bottom up: each may import only those before it in this list (and the
# shared modules, which import nothing of crm but each other). docs/architecture.md draws it.
CRM_SHARED = ("errors", "policy", "choices")
CRM_ORDER = ("base", "library", "projects", "pipeline", "followups", "events", "notify", "people",
             "reports", "ops", ("cli", "demo"))
RANK = {name: rank for rank, entry in enumerate(CRM_ORDER)
        for name in (entry if isinstance(entry, tuple) else (entry,))}


def crm_imports(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module == "crm":
            yield from (f"crm.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("crm."):
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("crm."))


def test_crm_holds_only_its_packages_and_the_shared_modules():
    top = sorted(p.stem for p in (ROOT / "crm").glob("*.py")) + sorted(
        p.name for p in (ROOT / "crm").iterdir() if (p / "__init__.py").exists())
    assert top == ["__init__", *sorted(CRM_SHARED), *sorted(RANK)]


def test_crm_packages_import_only_those_below_them():
    wrong = []
    for path in sorted((ROOT / "crm").rglob("*.py")):
        where = path.relative_to(ROOT / "crm").parts
        mine = where[0] if len(where) > 1 else None
        for name in crm_imports(path):
            theirs = name.split(".")[1]
            if theirs in CRM_SHARED:
                continue
            if mine is None or theirs not in RANK or RANK[theirs] > RANK[mine] or (
                    theirs != mine and RANK[theirs] == RANK[mine]):
                wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert wrong == []
