"""Arrows point down (ARCHITECTURE.md): web → crm, scoring → graph. Each package's imports, read from its source."""
import ast

import pytest

from tests.conftest import ROOT

# What each package may not import: graph knows nothing of leads or scores; neither crm nor
# scoring knows flask; crm is below scoring (crm.hooks receives the ranking instead).
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
