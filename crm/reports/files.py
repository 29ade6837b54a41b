"""A stored report as a file in one of its formats, with the content type and name to send it under."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from crm.base.text import displayable
from crm.errors import ValidationFailed
from crm.reports import render_docx, render_html, render_xlsx
from crm.reports.words import Words

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    content_type: str
    filename: str


def render(figures: dict[str, Any], fmt: str, words: Words) -> ReportFile:
    """Render the stored figures as html, docx or xlsx in the reader's language (never failing on stored text)."""
    figures = displayable(figures)
    if fmt == "html":
        content = render_html.document(figures, words).encode("utf-8")
    elif fmt == "docx":
        content = render_docx.render(figures, words)
    elif fmt == "xlsx":
        content = render_xlsx.render(figures, words)
    else:
        raise ValidationFailed({"format": [f"one of {', '.join(CONTENT_TYPES)}, not {fmt!r}"]})
    return ReportFile(content, CONTENT_TYPES[fmt], f"chainlead-report-{figures['week']}.{fmt}")
