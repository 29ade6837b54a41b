"""The chain resilience index (issue 14, item 5): how well a chain could keep producing if a supplier
failed, from the graph as it stood on a day, per chain and for the city, with its parts explained.

    R = 100 · (w_c·C + w_s·(1 − S) + w_d·D + w_o·(1 − O))

C  criticality-weighted coverage: Σ crit(l)·[l has a local maker] / Σ crit(l) over the chain's links;
S  single-source share: critical links (crit ≥ `critical_from`) with exactly one local maker, over the
   critical links;
D  local depth: mean over covered links of k / (k + `depth_half`), k = the link's local makers;
O  bought from outside: links with local buyers but no local maker, over the links with local buyers.

Weights and thresholds are policy's (`scoring.resilience`); docs/scoring.md has a worked example.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable

from crm.errors import ValidationFailed
from crm.policy import section
from scoring.gaps import LinkGap, link_gaps
from scoring.policy import scoring_policy
from scoring.projection import project_chains, today

PARTS = ("coverage", "single_source", "depth", "outside")


@dataclass(frozen=True)
class ResiliencePolicy:
    weights: dict[str, float]
    critical_from: float
    depth_half: float

    @classmethod
    def load(cls, policy: dict[str, Any] | None = None) -> "ResiliencePolicy":
        raw = section("scoring", policy).get("resilience") or {}
        weights = {k: raw.get("weights", {}).get(k) for k in PARTS}
        errors: dict[str, list[str]] = {}
        if any(not isinstance(v, (int, float)) or isinstance(v, bool) or v < 0 for v in weights.values()) \
                or abs(sum(float(v or 0) for v in weights.values()) - 1) > 1e-6:
            errors["scoring.resilience.weights"] = [f"numbers for {', '.join(PARTS)} that sum to 1"]
        for name in ("critical_from", "depth_half"):
            if not isinstance(raw.get(name), (int, float)) or isinstance(raw.get(name), bool) or raw[name] <= 0:
                errors[f"scoring.resilience.{name}"] = ["a number above 0"]
        if errors:
            raise ValidationFailed(errors, "the policy's resilience index is not valid")
        return cls({k: float(v or 0) for k, v in weights.items()}, float(raw["critical_from"]),
                   float(raw["depth_half"]))


@dataclass(frozen=True)
class LinkState:
    """What a link adds to the index: covered, a single local source of a critical link, bought from outside."""
    link_id: str
    covered: bool
    single_source: bool
    outside: bool


@dataclass(frozen=True)
class Resilience:
    chain_id: str | None
    day: date
    index: float
    parts: dict[str, float]
    links: int
    states: dict[str, LinkState] = field(default_factory=dict)


def resilience_of(gaps: Iterable[LinkGap], *, chain_id: str | None, day: date,
                  policy: ResiliencePolicy) -> Resilience:
    """The index of one chain (or, given every chain's gaps, the city) from its links' gaps."""
    chosen = list(gaps)
    weight = sum(g.criticality for g in chosen)
    coverage = (sum(g.criticality for g in chosen if g.local_makers) / weight) if weight else 0.0
    critical = [g for g in chosen if g.criticality >= policy.critical_from]
    single = (sum(1 for g in critical if g.local_makers == 1) / len(critical)) if critical else 0.0
    covered = [g for g in chosen if g.local_makers]
    depth = (sum(g.local_makers / (g.local_makers + policy.depth_half) for g in covered) / len(covered)
             if covered else 0.0)
    bought = [g for g in chosen if g.local_buyers]
    outside = (sum(1 for g in bought if not g.local_makers) / len(bought)) if bought else 0.0
    parts = {"coverage": round(coverage, 4), "single_source": round(single, 4), "depth": round(depth, 4),
             "outside": round(outside, 4)}
    w = policy.weights
    index = 100 * (w["coverage"] * parts["coverage"] + w["single_source"] * (1 - parts["single_source"])
                   + w["depth"] * parts["depth"] + w["outside"] * (1 - parts["outside"]))
    states = {g.link_id: LinkState(g.link_id, bool(g.local_makers),
                                   g.local_makers == 1 and g.criticality >= policy.critical_from,
                                   bool(g.local_buyers) and not g.local_makers) for g in chosen}
    return Resilience(chain_id, day, round(index, 2), parts, len(chosen), states)


def resilience(store: Any, *, as_of: date | None = None,
               policy: dict[str, Any] | None = None) -> dict[str | None, Resilience]:
    """Every chain's index and the city's (key None) on `as_of` (default today), from one projection."""
    day = today(as_of)
    rp = ResiliencePolicy.load(policy)
    gaps = link_gaps(project_chains(store, as_of=day), scoring_policy(policy).gaps)
    by_chain: dict[str | None, list[LinkGap]] = {}
    for g in gaps:
        by_chain.setdefault(g.chain_id, []).append(g)
    out: dict[str | None, Resilience] = {c: resilience_of(gs, chain_id=c, day=day, policy=rp)
                                         for c, gs in sorted(by_chain.items(), key=lambda kv: kv[0] or "")}
    out[None] = resilience_of(gaps, chain_id=None, day=day, policy=rp)
    return out


@dataclass(frozen=True)
class Move:
    link_id: str
    what: str   # covered, uncovered, single_source, second_source, bought_from_outside, supplied_here


def movers(before: dict[str, LinkState], after: dict[str, LinkState]) -> list[Move]:
    """The links whose state changed between two readings: what moved the index."""
    out = []
    for link_id in sorted(set(before) | set(after)):
        a, b = before.get(link_id), after.get(link_id)
        if a is None or b is None:
            continue
        if a.covered != b.covered:
            out.append(Move(link_id, "covered" if b.covered else "uncovered"))
        elif a.single_source != b.single_source:
            out.append(Move(link_id, "single_source" if b.single_source else "second_source"))
        if a.outside != b.outside:
            out.append(Move(link_id, "bought_from_outside" if b.outside else "supplied_here"))
    return out
