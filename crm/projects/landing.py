"""Landing: when a project reaches the stage policy names, its investor is present in the landing
district and makes the project's link, from that day (issue 14: the gap map moves when the bureau
wins). Each fact carries its day (`since`), its source and the project (provenance).

The facts go to the investing company itself (its local entity, when the bureau records one, is
a company of its own that is SUBSIDIARY_OF it). A link that had no local maker gets a dated
GapChange "closed" naming the project. Facts already there are left as they are (a firm present
before keeps its earlier `since`); a later withdrawal of the project does not erase them: ending
a presence is its own, dated act.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from crm.base import records
from crm.base.access import Actor
from crm.projects.projects import Project

_COVERED = ("MATCH (o:Company)-[:MAKES]->(:ChainNode {id: $link}) "
            "WHERE EXISTS { MATCH (o)-[:PRESENT_IN]->(:District) } RETURN count(o) AS n")


def land(tx: Any, project: Project, *, on: date, actor: Actor, now: datetime) -> dict[str, bool]:
    """Record the investor's presence and making for the project (in the caller's transaction);
    returns which facts were new."""
    source = f"project {project.name} ({project.id})"
    uncovered = bool(project.link_id) and tx.run(_COVERED, {"link": project.link_id})[0]["n"] == 0
    provenance = {"c": project.company_id, "day": on, "source": source, "sources": [source], "p": project.id}
    present = _add_fact(tx, "PRESENT_IN", "District", project.district_id, provenance)
    makes = _add_fact(tx, "MAKES", "ChainNode", project.link_id, provenance) if project.link_id else True
    closed = uncovered and bool(project.link_id)
    if closed:
        records.create(tx, "GapChange", {"link_id": project.link_id, "kind": "closed", "day": on,
                                         "project_id": project.id, "company_id": project.company_id,
                                         "district_id": project.district_id}, actor=actor, now=now, prefix="gap")
    records.audit(tx, actor, "land", "Project", project.id,
                  {"present_in": (None, project.district_id if not present else None),
                   "makes": (None, project.link_id if not makes else None), "gap_closed": (None, closed)}, now)
    return {"present": not present, "makes": not makes, "closed": closed}


def _add_fact(tx: Any, rel: str, label: str, end_id: str, provenance: dict[str, Any]) -> bool:
    """Whether the company already had the fact; if not, it is added from the day, with its source."""
    params = {**provenance, "other": end_id}
    if tx.run(f"MATCH (:Company {{id: $c}})-[r:{rel}]->(:{label} {{id: $other}}) RETURN count(r) AS n", params)[0]["n"]:
        return True
    tx.run(f"MATCH (c:Company {{id: $c}}) MATCH (e:{label} {{id: $other}}) CREATE (c)-[r:{rel}]->(e) "
           "SET r.since = $day, r.source = $source, r.sources = $sources, r.source_date = $day, "
           "r.source_project = $p", params)
    return False


def gap_changes(reader: Any, *, project_id: str | None = None, link_id: str | None = None) -> list[dict[str, Any]]:
    """Dated changes of links' local cover, newest first (for a project's page, a link's panel)."""
    where = "WHERE g.project_id = $p" if project_id else "WHERE g.link_id = $l"
    return reader.read("MATCH (g:GapChange) " + where + " OPTIONAL MATCH (n:ChainNode {id: g.link_id}) "
                       "RETURN g.link_id AS link_id, n.name_zh AS link_name_zh, n.name_en AS link_name_en, "
                       "g.kind AS kind, g.day AS day, g.project_id AS project_id, g.company_id AS company_id "
                       "ORDER BY g.day DESC, g.id DESC", {"p": project_id, "l": link_id})
