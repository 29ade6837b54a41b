"""Domain errors, raised deep and mapped to HTTP statuses in web/errors.py alone."""
from __future__ import annotations


class DomainError(Exception):
    """Base of the errors a user can cause and should be told about."""


class NotFound(DomainError):
    def __init__(self, label: str, id_: str):
        super().__init__(f"{label} {id_} not found")
        self.label, self.id = label, id_


class Forbidden(DomainError):
    """The actor's role or district does not allow this."""


class VersionConflict(DomainError):
    """The record changed since the caller read it (stale If-Match)."""

    def __init__(self, label: str, id_: str, expected: int | None, actual: int | None):
        super().__init__(f"{label} {id_} is at version {actual}, not {expected}: reload and retry")
        self.expected, self.actual = expected, actual


class InvalidTransition(DomainError):
    """A pipeline move the rules do not allow."""


class ValidationFailed(DomainError):
    """Bad input: `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]], message: str = "invalid input"):
        super().__init__(message + ": " + "; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = errors


class Conflict(DomainError):
    """The request clashes with existing data (a duplicate key, a claimed lead)."""
