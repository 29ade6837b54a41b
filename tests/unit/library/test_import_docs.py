"""The README documents exactly the columns the importer accepts (the tables are generated from them)."""
from crm.library.imports import chains, companies
from crm.library.imports.columns import describe
from tests.conftest import ROOT


def test_the_readme_lists_every_import_column_as_the_code_declares_it():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert describe(companies.COLUMNS) in readme
    assert describe(chains.COLUMNS) in readme
