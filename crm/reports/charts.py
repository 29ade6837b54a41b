"""The report's charts as PNG images (matplotlib, drawn from the stored figures), for the Word
document and, as data: URIs the app's CSP allows, for the HTML page.

Chinese labels need a CJK font: Noto Sans CJK SC (Debian's fonts-noto-cjk, which
`make system-packages` installs) or Source Han Sans SC. Without one, drawing stops with a clear
message instead of printing empty boxes; a glyph missing from the font is refused the same way.
"""
from __future__ import annotations

import hashlib
import io
import json
import threading
import warnings
from collections import OrderedDict
from functools import lru_cache
from typing import Any

from crm.choices import LEAD_STAGES
from crm.reports.words import Words

FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans CJK JP")
FILES = ("NotoSansCJK", "SourceHanSans")
INK, LAST, TARGET, GOOD, BAD = "#1d4ed8", "#94a3b8", "#dc2626", "#16a34a", "#f59e0b"
_lock = threading.Lock()  # matplotlib's rc settings and font cache are process-wide
_drawn: OrderedDict[tuple[str, str], dict[str, bytes]] = OrderedDict()
CACHED = 24


class ChartFontMissing(RuntimeError):
    """No CJK font is installed, so Chinese chart text would print as empty boxes."""


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The family name of an installed CJK font, registering the system's files if matplotlib's
    cache was built before they were installed."""
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((f for f in FAMILIES if f in names), None)

    found = known()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(part in path for part in FILES):
                font_manager.fontManager.addfont(path)
        found = known()
    if found is None:
        raise ChartFontMissing("no CJK font for the report's charts: install Debian's fonts-noto-cjk "
                               "(`make system-packages`) or put Noto Sans CJK SC where fontconfig finds it")
    return found


def _png(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    FigureCanvasAgg(fig).print_png(buffer)
    return buffer.getvalue()


WIDTH, FONT_PT = 7.2, 9


def _figure(height: float, labels: list[str] | None = None) -> Any:
    """A figure with margins set from its labels' length: a layout engine would cost a third of the drawing."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH, height), dpi=110)
    widest = max((sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in label) for label in labels or []), default=0)
    left = min(0.5, (widest * FONT_PT / 72 + 0.25) / WIDTH) if labels else 0.1
    fig.subplots_adjust(left=left, right=0.97, top=1 - 0.32 / height, bottom=0.45 / height)
    return fig


def _fdi(figures: dict[str, Any], words: Words) -> Any:
    gettext, fdi = words.gettext, figures["fdi"]
    months = [m["month"] for m in fdi["monthly"]]
    fig = _figure(3.2)
    ax = fig.add_subplot()
    ax.plot(months, [m["last_year_usd"] / 1e6 for m in fdi["monthly"]], color=LAST, marker="o",
            label=gettext("Last year"))
    goal = 1 + (fdi["growth"]["target"] or 0)
    ax.plot(months, [m["last_year_usd"] * goal / 1e6 for m in fdi["monthly"]], color=TARGET, linestyle="--",
            label=gettext("Target pace"))
    this = [(m["month"], m["this_year_usd"] / 1e6) for m in fdi["monthly"] if m["this_year_usd"] is not None]
    ax.plot([m for m, _ in this], [v for _, v in this], color=INK, marker="o", linewidth=2.5,
            label=gettext("This year"))
    ax.set_xticks(months)
    ax.set_ylim(bottom=0, top=None if any(m["last_year_usd"] or m["this_year_usd"] for m in fdi["monthly"]) else 1)
    ax.set_ylabel(gettext("Cumulative FDI (USD m)"))
    ax.set_title(gettext("FDI year to date against last year and the target"))
    ax.legend(frameon=False)
    ax.grid(alpha=.3)
    return fig


def _stages(figures: dict[str, Any], words: Words) -> Any:
    gettext, stages = words.gettext, figures["pipeline"]["by_stage"]
    names = LEAD_STAGES.values
    fig = _figure(2.8)
    ax = fig.add_subplot()
    at = list(range(len(names)))
    ax.bar([x - .2 for x in at], [stages[s]["previous"] for s in names], .4, color=LAST, label=gettext("Last week"))
    ax.bar([x + .2 for x in at], [stages[s]["value"] for s in names], .4, color=INK, label=gettext("This week"))
    ax.set_xticks(at, [words.stage(s) for s in names])
    ax.set_ylim(bottom=0, top=None if any(stages[s]["value"] or stages[s]["previous"] for s in names) else 1)
    ax.set_title(gettext("Leads by stage at the end of the week"))
    ax.legend(frameon=False)
    ax.grid(axis="y", alpha=.3)
    return fig


def _index(figures: dict[str, Any], words: Words, top: int = 15) -> Any:
    rows = figures["districts"]["ranking"][:top][::-1]
    names = [words.name(r) for r in rows]
    fig = _figure(0.8 + 0.28 * max(len(rows), 3), names)
    ax = fig.add_subplot()
    ax.barh(names, [r["score"] for r in rows],
            color=[GOOD if r["change"] >= 0 else BAD for r in rows])
    ax.axvline(0, color="#475569", linewidth=.8)
    ax.set_title(words.gettext("Activity index, the %(n)s highest districts") % {"n": len(rows)})
    ax.grid(axis="x", alpha=.3)
    return fig


def _gaps(figures: dict[str, Any], words: Words) -> Any:
    chains = figures["chains"]
    rows = chains["chains"][::-1]
    names = [words.name(r) for r in rows]
    fig = _figure(0.8 + 0.3 * max(len(rows), 3), names)
    ax = fig.add_subplot()
    left = [0] * len(rows)
    for action, colour in zip(chains["gap_actions"], (TARGET, BAD, INK, LAST)):
        values = [r["open"].get(action, 0) for r in rows]
        ax.barh(names, values, left=left, color=colour, label=words.action(action))
        left = [a + b for a, b in zip(left, values)]
    ax.set_title(words.gettext("Open gaps per chain"))
    ax.legend(frameon=False)
    ax.grid(axis="x", alpha=.3)
    return fig


CHARTS = {"fdi": _fdi, "stages": _stages, "index": _index, "gaps": _gaps}


def drawn_from(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures the charts read, and nothing else: city totals and breakdowns, the same in every
    reader's copy (crm/reports/scope.py), so the charts are drawn once for all readers."""
    ch = figures["chains"]
    return {"fdi": figures["fdi"], "pipeline": {"by_stage": figures["pipeline"]["by_stage"]},
            "districts": {"ranking": figures["districts"]["ranking"]},
            "chains": {"available": ch["available"], "gap_actions": ch["gap_actions"],
                       "chains": [{k: r.get(k) for k in ("id", "name_zh", "name_en", "open")} for r in ch["chains"]]}}


def draw(figures: dict[str, Any], words: Words) -> dict[str, bytes]:
    """Every chart as PNG bytes, by name; ChartFontMissing rather than a chart with empty boxes.

    Drawn once per content and language: a stored report never changes, nor do its charts.
    """
    import matplotlib

    figures = drawn_from(figures)
    key = (hashlib.sha256(json.dumps(figures, sort_keys=True, default=str).encode()).hexdigest(), words.lang)
    family = cjk_font()
    out: dict[str, bytes] = {}
    with _lock, matplotlib.rc_context({"font.family": [family], "axes.unicode_minus": False, "font.size": FONT_PT}):
        if key in _drawn:
            _drawn.move_to_end(key)
            return _drawn[key]
        for name, make in CHARTS.items():
            if name == "gaps" and not (figures["chains"]["available"] and figures["chains"]["chains"]):
                continue
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                out[name] = _png(make(figures, words))
            missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
            if missing:
                raise ChartFontMissing(f"{family} lacks glyphs the {name} chart needs: {missing[0]}")
        _drawn[key] = out
        while len(_drawn) > CACHED:
            _drawn.popitem(last=False)
    return out
