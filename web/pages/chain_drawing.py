"""The chain map (产业链图谱) drawn as SVG geometry: links from upstream to downstream, FEEDS as arrows.

A layered layout, computed here and drawn by the template with no script library: one band per
segment (upstream, midstream, downstream), split into columns by how deep a link sits in its
segment's own FEEDS order, links in a column ordered by their `position`. Each box is coloured
by its gap action, more strongly the severer the gap.

>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_node("a", segment="upstream", position=0, name_zh="隔膜", member=True)
>>> G.add_node("b", segment="midstream", position=1, name_zh="电芯", member=True)
>>> G.add_edge("a", "b")
>>> d = draw(G, {}, locale="zh")
>>> [(b.id, b.x < d.width) for b in d.boxes], len(d.edges)
([('a', True), ('b', True)], 1)
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import networkx as nx

from crm.choices import GAP_ACTIONS, LINK_SEGMENTS

BOX_W, BOX_H, ROW, COL, GUTTER, HEAD, PAD = 184, 48, 60, 212, 36, 34, 12
MAX_DEPTH = 2  # at most three columns per segment by FEEDS depth, so a long chain stays readable
MAX_ROWS = 8  # a taller column wraps into the next one


@dataclass
class Box:
    id: str
    x: float
    y: float
    label: str
    title: str
    action: str
    colour: str
    opacity: float
    severity: float
    bar: float
    local_makers: int
    selected: bool = False


@dataclass
class Edge:
    path: str
    near: bool  # touches the selected link


@dataclass
class Band:
    segment: str
    x: float
    width: float


@dataclass
class Drawing:
    width: float
    height: float
    boxes: list[Box]
    edges: list[Edge]
    bands: list[Band]


def _fit(text: str, width: float) -> str:
    """Shorten text to about `width` pixels at 13 px (CJK glyphs count double)."""
    room: float = width
    out: list[str] = []
    for ch in text:
        room -= 13 if ord(ch) > 0x2E80 else 7.2
        if room < 0:
            return "".join(out[:-1]) + "…"
        out.append(ch)
    return text


def _depths(G: nx.DiGraph, nodes: list[str]) -> dict[str, int]:
    """Longest FEEDS path within the segment leading to each link (cycles collapse to one step)."""
    sub = nx.condensation(G.subgraph(nodes))
    depth: dict[int, int] = {}
    for scc in nx.topological_sort(sub):
        depth[scc] = max((depth[p] + 1 for p in sub.predecessors(scc)), default=0)
    members = sub.graph["mapping"]
    return {n: min(depth[members[n]], MAX_DEPTH) for n in nodes}


def draw(G: nx.DiGraph, gaps: Mapping[str, Any], *, locale: str, selected: str | None = None) -> Drawing:
    """Boxes, arrows and segment bands for the chain's own links (`member` nodes of a projection)."""
    order = {s: i for i, s in enumerate(LINK_SEGMENTS.values)}
    mine = [n for n, d in G.nodes(data=True) if d.get("member", True)]
    by_segment: dict[str, list[str]] = {s: [] for s in LINK_SEGMENTS.values}
    for n in mine:
        seg = G.nodes[n].get("segment")
        by_segment[seg if seg in order else "midstream"].append(n)
    boxes, bands, where = [], [], {}
    x, tallest = PAD, 0
    for seg, nodes in by_segment.items():
        if not nodes:
            continue
        depth = _depths(G, nodes)
        stacks = []
        for level in range(max(depth.values()) + 1):
            stack = sorted((n for n in nodes if depth[n] == level),
                           key=lambda n: (G.nodes[n].get("position") is None, G.nodes[n].get("position") or 0, n))
            stacks += [stack[i:i + MAX_ROWS] for i in range(0, len(stack), MAX_ROWS)]
        bands.append(Band(seg, x - PAD / 2, len(stacks) * COL - GUTTER + PAD))
        for col, stack in enumerate(stacks):
            for row, n in enumerate(stack):
                where[n] = (x + col * COL, HEAD + PAD + row * ROW)
                boxes.append(_box(n, G.nodes[n], gaps.get(n), where[n], locale, n == selected))
            tallest = max(tallest, len(stack))
        x += len(stacks) * COL + PAD
    edges = [Edge(_path(where[a], where[b]), selected in (a, b)) for a, b in G.edges() if a in where and b in where]
    edges.sort(key=lambda e: e.near)  # the selected link's arrows drawn last, on top
    return Drawing(max(x - GUTTER + PAD, 2 * PAD), HEAD + 2 * PAD + max(tallest, 1) * ROW, boxes, edges, bands)


def _box(node: str, data: Mapping[str, Any], gap: Any, at: tuple[float, float], locale: str, selected: bool) -> Box:
    name = (data.get("name_en") or data.get("name_zh") or node) if locale == "en" else \
        (data.get("name_zh") or data.get("name_en") or node)
    action = getattr(gap, "action", None) or "healthy"
    severity = float(getattr(gap, "severity", 0.0) or 0.0)
    colour = GAP_ACTIONS[action].colour if action in GAP_ACTIONS else "#64748b"
    share = min(severity, 100) / 100
    return Box(node, at[0], at[1], _fit(name, BOX_W - 16), name, action, colour, round(0.12 + 0.5 * share, 3), severity,
               round((BOX_W - 2) * share, 1), int(data.get("local_makers") or 0), selected)


def _path(a: tuple[float, float], b: tuple[float, float]) -> str:
    """A curve from the right edge of one box to the left edge of the next (looping round when backwards)."""
    x1, y1 = a[0] + BOX_W, a[1] + BOX_H / 2
    x2, y2 = b[0], b[1] + BOX_H / 2
    bend = max(GUTTER, abs(x2 - x1) / 2)
    return f"M{x1:.0f},{y1:.0f} C{x1 + bend:.0f},{y1:.0f} {x2 - bend:.0f},{y2:.0f} {x2 - 4:.0f},{y2:.0f}"
