"""Reading a submitted form into typed values, with a message beside each field that does not parse.

Only the shape is checked here (a number is a number, a date a date); what the values mean is
the domain's to judge, so the same rules hold for the API and the pages.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from flask_babel import gettext as _

from crm.base.text import unstorable


class FormData:
    """Typed access to request.form; `errors` collects parse failures by field name."""

    def __init__(self, form: Mapping[str, Any]):
        self.form = form
        self.errors: dict[str, list[str]] = {}

    def _raw(self, name: str) -> str:
        return self._storable(name, (self.form.get(name) or "").strip())

    def _storable(self, name: str, value: str) -> str:
        """The value, or "" with a message beside the field when it holds what cannot be stored."""
        if value and unstorable(value):
            self.errors[name] = [_("This text contains a character that cannot be stored (a control character or a "
                                   "broken one, often pasted from another program); remove it.")]
            return ""
        return value

    def text(self, name: str) -> str | None:
        """Trimmed text; blank reads as absent."""
        return self._raw(name) or None

    def whole(self, name: str) -> int | None:
        """A whole number; thousands separators and spaces are forgiven."""
        raw = self._raw(name).replace(",", "").replace("，", "").replace(" ", "").replace("_", "")
        if not raw:
            return None
        if not raw.lstrip("-").isdigit():
            self.errors[name] = [_("Enter a whole number.")]
            return None
        return int(raw)

    def number(self, name: str) -> float | None:
        """A decimal number, e.g. US$ millions; thousands separators are forgiven."""
        raw = self._raw(name).replace(",", "").replace("，", "").replace(" ", "")
        if not raw:
            return None
        try:
            return float(raw)
        except ValueError:
            self.errors[name] = [_("Enter a number.")]
            return None

    def lines(self, name: str) -> list[str]:
        """One value per line (or separated by ; or ；), blanks dropped."""
        return [v.strip() for v in self._raw(name).replace("；", "\n").replace(";", "\n").splitlines() if v.strip()]

    def day(self, name: str) -> date | None:
        raw = self._raw(name)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors[name] = [_("Enter a date as YYYY-MM-DD.")]
            return None

    def flag(self, name: str) -> bool:
        return self._raw(name).lower() in ("1", "on", "true", "yes")

    def many(self, name: str) -> list[str]:
        getlist = getattr(self.form, "getlist", None)
        values = getlist(name) if getlist else [self.form.get(name)]
        return [v for v in (self._storable(name, (v or "").strip()) for v in values) if v]

    def version(self) -> int | None:
        """The record version the form was rendered from (hidden field), so a stale form never overwrites."""
        found = self.whole("version")
        if found is None and "version" not in self.errors:
            self.errors["_form"] = [_("The form is missing the record's version: reload the page and try again.")]
        return found
