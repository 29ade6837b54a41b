"""The geometry of the small inline SVG charts the pages draw (no script, no CDN: the server sends the shapes).

Each function takes plain numbers and returns coordinates in a box of the given size, for a template
to put into `<polyline points>` or a `<rect>`'s width; `web/formatting.py`'s `sparkline` is the one-line case.

>>> lines([[0, 5, 10], [0, 2, None]], width=100, height=20)
['0.0,20.0 50.0,10.0 100.0,0.0', '0.0,20.0 50.0,16.0']
>>> top = highest([[0, 5, 10]], 20); lines([[0, 5, 10]], 100, 20, top), level(20, top, 20)
(['0.0,20.0 50.0,15.0 100.0,10.0'], 0.0)
>>> bars([4, 1, 0, -2], width=100)
[100.0, 25.0, 0.0, 0.0]
"""
from __future__ import annotations

from typing import Sequence


def highest(series: Sequence[Sequence[float | None]], *marks: float | None) -> float:
    """The top of a chart's scale: its highest value or mark (1 for an empty chart)."""
    return max([v for s in series for v in s if v is not None] + [m for m in marks if m is not None], default=0) or 1


def lines(series: Sequence[Sequence[float | None]], width: float, height: float, top: float | None = None) -> list[str]:
    """Polyline points of several series on one scale from 0 to `top` (by default the highest value); a
    series stops at its first None (a month not reached yet). The x step is that of the longest series."""
    top = top or highest(series)
    steps = max((len(s) for s in series), default=2) - 1 or 1
    out = []
    for s in series:
        points = []
        for i, v in enumerate(s):
            if v is None:
                break
            points.append(f"{i * width / steps:.1f},{height - v / top * height:.1f}")
        out.append(" ".join(points))
    return out


def level(value: float | None, top: float, height: float) -> float | None:
    """The y of a horizontal mark (a target) on the scale of `lines` with the same `top`."""
    return None if value is None or not top else round(height - value / top * height, 1)


def bars(values: Sequence[float], width: float) -> list[float]:
    """Bar lengths, one per value, its share of the largest value (a negative draws empty)."""
    top = max((v for v in values if v > 0), default=0) or 1
    return [round(max(v, 0) / top * width, 1) for v in values]
