"""What an import tells the user about a bad file: one line per problem, where it is and what is wrong."""
from __future__ import annotations

from dataclasses import dataclass

from crm.errors import DomainError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file; `row` is the spreadsheet row (the header is row 1)."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.row}" if self.row else "")
        column = f" column {self.column}:" if self.column else ""
        return f"{where}:{column} {self.message}"


class CellError(ValueError):
    """A cell that does not parse; the validator adds file, row and column."""


class FileRefused(DomainError):
    """The file as a whole cannot be imported (too big, wrong type, unreadable)."""


class ImportFailed(DomainError):
    """Rows were invalid or matched ambiguously; nothing was written."""

    def __init__(self, problems: list[Problem], message: str):
        super().__init__(message)
        self.problems = problems


def quoted(value: str) -> str:
    return '"' + value.replace('"', '\\"') + '"'
