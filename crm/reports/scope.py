"""What one reader sees of a stored report: every format (JSON, page, HTML, Word, Excel) goes through
`for_reader`, a pure function of the stored figures and the reader's role and scope.

City-wide totals and the breakdowns by chain and district are the bureau's figures and stay for
everyone. A row naming a project, a lead or a person stays only where the reader may open that
record by the rules of crm/base/access.py: a district officer's district, a chain leader's chains, one's
own row of follow-up work. A row whose scope the stored figures do not tell (a report stored before
they did) is withheld from a scoped reader. docs/report.md ("Who reads what") gives the reasons.
"""
from __future__ import annotations

import copy
from typing import Any, Callable

from crm.base.access import Actor, Scope, can_read, reads_everything

Visible = Callable[[dict[str, Any]], bool]
EVENT_FIGURES = ("meetings", "leads_met", "leads_sourced", "signings", "contracted_fdi_usd")


def _visible(reader: Actor, district: str = "district_id", chain: str = "chain_id") -> Visible:
    """Whether the reader may open the record a row names, from the row's district and chain."""
    return lambda row: can_read(reader, Scope(row.get(district), row.get(chain)))


def _unled(candidate: dict[str, Any]) -> dict[str, Any]:
    """A candidate company without its lead: the id, the stage and the reason's mention of it go."""
    out = {**candidate, "lead_id": None, "lead_stage": None}
    for lang, joiner in (("zh", "；"), ("en", "; ")):
        mention, reason = candidate.get(f"lead_mention_{lang}"), candidate.get(f"reason_{lang}")
        out[f"reason_{lang}"] = reason.replace(joiner + mention, "") if mention and reason else None
        out.pop(f"lead_mention_{lang}", None)
    return out


def _chains(section: dict[str, Any], reader: Actor) -> None:
    signing = _visible(reader)
    for row in section["closed"]:  # reports stored before landings counted a project's signing as a closing
        if row.get("how") == "signing" and not signing(row):
            row["by"] = None
    lead = _visible(reader, district="lead_district_id")
    for row in section["chains"]:
        row["candidates"] = [c if c.get("lead_id") is None or lead(c) else _unled(c) for c in row["candidates"]]


def for_reader(figures: dict[str, Any], reader: Actor) -> dict[str, Any]:
    """The stored figures as `reader` may see them (the stored figures themselves are never changed)."""
    if reads_everything(reader):
        return figures
    f = copy.deepcopy(figures)
    record = _visible(reader)
    pipe = f["pipeline"]
    pipe["drops"] = [d for d in pipe["drops"] if record(d)]
    pipe["signings"] = [s for s in pipe["signings"] if record(s)]
    if "stalled" in pipe:  # reports stored before stall rules have none
        pipe["stalled"] = [s for s in pipe["stalled"] if record(s)]
    _chains(f["chains"], reader)
    f["people"]["owners"] = [o for o in f["people"]["owners"] if o.get("owner_id") == reader.id]
    for event in f["events"]["past"]:  # counted over every lead; the event page counts the reader's own
        event.update(dict.fromkeys(EVENT_FIGURES))
    f["incentives"]["projects"] = [p for p in f["incentives"]["projects"] if record(p)]
    f["reader"] = {"role": reader.role, "districts": sorted(reader.districts), "chains": sorted(reader.chains)}
    return f
