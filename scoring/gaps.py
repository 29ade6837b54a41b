"""Gap analysis (任务 9): one action per chain link — 补链, 固链, 强链, 扩链 or healthy — with a
severity in [0, 100] and its reasons as data.

severity = 100 · action_weight · need · (base + c · criticality + p · priority); the rules and
every number come from the `scoring.gaps` policy (docs/scoring.md spells the method out).
"""
from __future__ import annotations

import math
from datetime import date
from dataclasses import dataclass, field
from typing import Any, Hashable

import networkx as nx

from scoring.criticality import criticality, measures, saturate
from scoring.policy import GapPolicy, ScoringPolicy, scoring_policy
from scoring.projection import project_chains
from scoring.reasons import TIER_LABELS, Reason, line, reason


@dataclass(frozen=True)
class LinkGap:
    link_id: str
    chain_id: str | None
    name_zh: str | None
    name_en: str | None
    chain_name_zh: str | None
    chain_name_en: str | None
    tier: str | None
    high_tech: bool
    in_focus: bool
    action: str
    severity: float
    need: float
    criticality: float
    priority: float
    makers: int
    local_makers: int
    local_buyers: int = 0
    buyer_districts: int = 0
    measures: dict[str, float] = field(default_factory=dict)
    reasons: list[Reason] = field(default_factory=list)
    summary_zh: str = ""
    summary_en: str = ""


def _priority(data: dict[str, Any], policy: GapPolicy) -> float:
    """High-tech manufacturing (任务 8) and the chain's 33618 tier, in [0, 1]."""
    w = policy.priority_weights
    return w["high_tech"] * float(data["high_tech"]) + w["tier"] * policy.tier_values.get(data.get("tier") or "", 0.0)


def _covered_neighbours(G: nx.DiGraph, node: Hashable) -> int:
    around = set(G.predecessors(node)) | set(G.successors(node))
    return sum(1 for n in around if G.nodes[n]["local_makers"] > 0)


def _classify(data: dict[str, Any], m: dict[str, float], policy: GapPolicy) -> tuple[str, float, list[Reason]]:
    """The action, how badly the link needs it (in [0, 1]), and the reasons that decided it."""
    names = {"link_zh": data.get("name_zh") or data["id"], "link_en": data.get("name_en") or data["id"]}
    local = data["local_makers"]
    dependents = reason("local_dependents", links=int(m["downstream_reach"]), makers=int(m["local_makers_downstream"]))
    if local == 0:
        first = reason("no_local_maker", **names)
        known = (reason("known_makers", makers=data["makers"]) if data["makers"]
                 else reason("no_known_maker", **names))
        if not data["in_focus"]:
            near = int(m["covered_neighbours"])
            if near:
                need = saturate(near, policy.extend_neighbours_half)
                return "extend", need, [first, reason("next_to_local", neighbours=near), reason("outside_focus"), known]
            return "extend", policy.extend_remote_need, [first, reason("not_next_to_local"), reason("outside_focus"),
                                                         known]
        tail = [dependents] if m["downstream_reach"] else []
        return "supplement", 1.0, [first, known, *tail]
    if local <= policy.stabilise_max_local_makers and m["downstream_reach"] >= policy.stabilise_min_dependents:
        need = policy.stabilise_need.get(local, 1.0)
        return "stabilise", need, [reason("few_sources", local_makers=local, **names), dependents]
    needed = math.ceil(policy.strengthen_min_local_makers + policy.strengthen_extra_makers * m["criticality"])
    weak = []
    if local < needed:
        weak.append(reason("few_local_makers", local_makers=local, needed=needed))
    if data["local_leading"] == 0:
        weak.append(reason("no_leading_local"))
    if data["local_fg500"] == 0 and data["local_multinational"] == 0:
        weak.append(reason("no_fg500_or_multinational_local"))
    if weak:
        return "strengthen", len(weak) / 3, weak
    return "healthy", 0.0, [reason("covered", local_makers=local, **names)]


def link_gaps(G: nx.DiGraph, policy: GapPolicy) -> list[LinkGap]:
    """The gap of every member link of a `project_chains` graph, severest first.

    Ties are broken by chain and link id, so the order is the same on every run.
    """
    measured = measures(G)
    crit = criticality(G, weights=policy.criticality_weights, reach_half=policy.reach_half,
                       makers_half=policy.makers_half, measured=measured)
    mix = policy.severity_mix
    out = []
    for node, data in G.nodes(data=True):
        if not data.get("member", True):
            continue
        data = dict(data, id=node)
        m = dict(measured[node], betweenness=round(measured[node]["betweenness"], 4),
                 covered_neighbours=_covered_neighbours(G, node), criticality=crit[node])
        action, need, reasons = _classify(data, m, policy)
        prio = _priority(data, policy)
        buyers = int(data.get("local_buyers") or 0)
        if data["local_makers"] == 0 and buyers:
            reasons.append(reason("bought_from_outside", buyers=buyers, districts=int(data.get("buyer_districts") or 0)))
        if data["high_tech"]:
            reasons.append(reason("high_tech"))
        if data.get("tier") in TIER_LABELS:
            zh, en = TIER_LABELS[data["tier"]]
            reasons.append(reason("chain_tier", tier=data["tier"], tier_zh=zh, tier_en=en))
        weight = policy.action_weight.get(action, 0.0)
        severity = 100 * weight * need * (mix["base"] + mix["criticality"] * crit[node] + mix["priority"] * prio)
        summary_zh, summary_en = line(action, reasons)
        out.append(LinkGap(
            link_id=node, chain_id=data.get("chain_id"), name_zh=data.get("name_zh"), name_en=data.get("name_en"),
            chain_name_zh=data.get("chain_name_zh"), chain_name_en=data.get("chain_name_en"), tier=data.get("tier"),
            high_tech=data["high_tech"], in_focus=data["in_focus"], action=action, severity=round(severity, 2),
            need=round(need, 4), criticality=round(crit[node], 4), priority=round(prio, 4),
            makers=data["makers"], local_makers=data["local_makers"],
            local_buyers=int(data.get("local_buyers") or 0), buyer_districts=int(data.get("buyer_districts") or 0),
            measures={k: v for k, v in m.items() if k != "criticality"},
            reasons=reasons, summary_zh=summary_zh, summary_en=summary_en))
    out.sort(key=lambda g: (-g.severity, g.chain_id or "", g.link_id))
    return out


def analyse_gaps(store: Any, chain_id: str | None = None, *,
                 policy: ScoringPolicy | dict[str, Any] | None = None, as_of: date | None = None) -> list[LinkGap]:
    """Project one chain (or all) from the store and return every link's gap, severest first; with
    `as_of`, the gaps as the chain stood that day."""
    return link_gaps(project_chains(store, chain_id, as_of=as_of), scoring_policy(policy).gaps)
