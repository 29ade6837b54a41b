"""The report as HTML: a fragment for the app's page and a standalone document for download.

Both come from one Jinja template (crm/reports/templates/), with the reader's translations
installed through `Words.gettext`; charts are the matplotlib PNGs as data: URIs, which the app's
CSP allows, so the page needs no script and the document opens anywhere.
"""
from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from crm.choices import LEAD_STAGES
from crm.reports import charts
from crm.reports.settings import COMPONENTS
from crm.reports.words import Words, component_labels, reader_note, sections, status_text, warning_text

TEMPLATES = Path(__file__).resolve().parent / "templates"
STYLESHEET = (TEMPLATES / "report.css").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]),
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(warning_text=warning_text, status_text=status_text, reader_note=reader_note)
    return env


def chart_uris(figures: dict[str, Any], words: Words) -> dict[str, str]:
    """The charts as data: URIs (drawn once per stored report and language, crm/reports/charts.py)."""
    return {name: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            for name, png in charts.draw(figures, words).items()}


def _render(name: str, figures: dict[str, Any], words: Words, **extra: Any) -> str:
    env = environment()
    template = env.get_template(name)
    gettext = words.gettext

    def translate(text: str, **values: Any) -> str:
        out = gettext(text)
        return out % values if values else out

    return template.render(f=figures, w=words, _=translate, gettext=translate,
                           titles=dict(sections(words)), order=[key for key, _ in sections(words)],
                           components=component_labels(words), component_order=COMPONENTS,
                           stages=LEAD_STAGES.values, charts=chart_uris(figures, words), **extra)


def fragment(figures: dict[str, Any], words: Words) -> Markup:
    """The report's body for a page of the app (its styles come from `STYLESHEET`, served by the app)."""
    return Markup(_render("report.html", figures, words))


def document(figures: dict[str, Any], words: Words) -> str:
    """A standalone HTML file: the same body with its styles inline."""
    return _render("document.html", figures, words, stylesheet=Markup(STYLESHEET))
