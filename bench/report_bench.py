"""Weekly report benchmark (issue 8): a week's report on the embedded engine with 20,000 leads and
200,000 follow-ups, which must be generated in under 5 s in each format.

    .venv/bin/python -m bench.report_bench [--leads 20000] [--followups 200000] [--runs 3]

The data are the real seeds plus a synthetic, deterministic history (labelled synthetic), bulk-written
with graph.cypher.upsert_nodes / merge_rels: leads with their stage history, signed projects with
paid-in capital over two years, follow-ups due over two years (70 % done, 5 % cancelled), owners.
Prints one JSON object: generating (read + compute + store + tell) and each format rendered from the
stored figures with the chart cache cold, their sum per format, and the slowest queries.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from crm.base.access import SYSTEM
from crm.base.clock import local_today
from crm.pipeline.stages import ORDER
from graph.cypher import merge_rels, upsert_nodes

NOW = datetime(2026, 11, 23, 0, 0, tzinfo=timezone.utc)  # Monday 08:00 in Chongqing: the job's moment
KINDS = ("call", "call", "call", "email", "video_link", "visit", "meeting", "service_visit")


def _stage_path(rnd: random.Random) -> list[str]:
    final = rnd.choices(["identified", "contacted", "visited", "negotiating", "signed", "dropped"],
                        weights=[25, 20, 15, 12, 13, 15])[0]
    if final == "dropped":
        return list(ORDER[:rnd.randrange(1, 4)]) + ["dropped"]
    return list(ORDER[:ORDER.index(final) + 1])


def generate(leads: int, followups: int, *, seed: int = 8, store: Any) -> dict[str, list[dict[str, Any]]]:
    """The synthetic history on top of the seeds already in `store` (for their companies, links, districts)."""
    rnd = random.Random(seed)
    companies = [r["id"] for r in store.read("MATCH (c:Company) RETURN c.id AS id ORDER BY id")]
    links = store.read("MATCH (n:ChainNode) RETURN n.id AS id, n.chain_id AS chain ORDER BY id")
    districts = [r["id"] for r in store.read("MATCH (d:District) WHERE d.valid_to IS NULL RETURN d.id AS id "
                                             "ORDER BY id")]
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "users", "leads", "targets", "fills", "lands", "owned", "changes", "stage_of", "projects", "became",
        "in_link", "located", "invested", "inflows", "paid", "followups", "about", "assigned")}
    out["users"] = [{"id": f"syn-user-{i:03d}", "username": f"syn{i:03d}", "display_name": f"合成用户{i:03d}",
                     "role": "staff", "active": True, "synthetic": True, "version": 1} for i in range(50)]
    for i in range(leads):
        lid, link = f"syn-lead-{i:05d}", rnd.choice(links)
        company, district, owner = rnd.choice(companies), rnd.choice(districts), rnd.choice(out["users"])["id"]
        opened = NOW - timedelta(days=rnd.randrange(1, 730), minutes=rnd.randrange(1440))
        path = _stage_path(rnd)
        moment, before = opened, None
        for n, stage in enumerate(path):
            if n:
                moment = min(moment + timedelta(days=rnd.randrange(3, 60)), NOW - timedelta(minutes=1))
            out["changes"].append({"id": f"syn-stage-{i:05d}-{n}", "from_stage": before, "to_stage": stage,
                                   "at": moment, "actor": "synthetic", "reason": "合成原因" if stage == "dropped" else None})
            out["stage_of"].append({"src": f"syn-stage-{i:05d}-{n}", "dst": lid})
            before = stage
        out["leads"].append({"id": lid, "title": f"合成线索{i:05d}", "stage": path[-1], "priority": rnd.choice("ABC"),
                             "expected_usd": rnd.randrange(5, 120) * 1_000_000, "source": "ranking",
                             "company_id": company, "link_id": link["id"], "chain_id": link["chain"],
                             "district_id": district, "owner_id": owner, "created_at": opened,
                             "updated_at": moment, "stage_changed_at": moment, "version": 1, "archived": False,
                             "synthetic": True})
        for key, dst in (("targets", company), ("fills", link["id"]), ("lands", district), ("owned", owner)):
            out[key].append({"src": lid, "dst": dst})
        if path[-1] == "signed":
            pid = f"syn-proj-{i:05d}"
            manufacturing = rnd.random() < 0.7
            out["projects"].append({
                "id": pid, "name": f"合成项目{i:05d}", "kind": rnd.choice(("new", "new", "capital_increase")),
                "signed_on": local_today(moment), "contracted_fdi_usd": rnd.randrange(5, 120) * 1_000_000,
                "manufacturing": manufacturing, "industry_category": "manufacturing" if manufacturing else
                rnd.choice(("high_tech_services", "producer_services", "real_estate")),
                "high_tech": rnd.random() < 0.3, "high_tech_services": False, "rd_centre": False, "regional_hq": False,
                "status": "active", "version": 1, "archived": False, "synthetic": True})
            out["became"].append({"src": lid, "dst": pid})
            for key, dst in (("in_link", link["id"]), ("located", district), ("invested", company)):
                out[key].append({"src": pid, "dst": dst})
            day = local_today(moment)
            for k in range(rnd.randrange(1, 4)):
                day = day + timedelta(days=rnd.randrange(20, 200))
                if day >= local_today(NOW):
                    break
                fid = f"syn-flow-{i:05d}-{k}"
                out["inflows"].append({"id": fid, "received_on": day, "amount_usd": rnd.randrange(1, 40) * 1_000_000,
                                       "kind": rnd.choices(("equity", "reinvested_profit", "shareholder_loan"),
                                                           weights=(75, 15, 10))[0],
                                       "version": 1, "archived": False, "synthetic": True})
                out["paid"].append({"src": fid, "dst": pid})
    for i in range(followups):
        fid, lead = f"syn-fu-{i:06d}", out["leads"][i % leads]
        due = NOW + timedelta(minutes=rnd.randint(-720 * 1440, 30 * 1440))
        roll = rnd.random()
        status = "done" if roll < 0.70 and due < NOW else "cancelled" if roll < 0.75 else "open"
        out["followups"].append({"id": fid, "kind": rnd.choice(KINDS), "title": "", "status": status, "due_at": due,
                                 "done_at": due + timedelta(hours=rnd.randrange(-48, 72)) if status == "done" else None,
                                 "created_at": due - timedelta(days=7), "updated_at": due, "version": 1,
                                 "archived": False, "synthetic": True})
        out["about"].append({"src": fid, "dst": lead["id"]})
        out["assigned"].append({"src": fid, "dst": lead["owner_id"]})
    return out


def load(store: Any, data: dict[str, list[dict[str, Any]]]) -> float:
    started = time.perf_counter()
    for label, key in (("User", "users"), ("Lead", "leads"), ("StageChange", "changes"), ("Project", "projects"),
                       ("CapitalInflow", "inflows"), ("FollowUp", "followups")):
        upsert_nodes(store, label, data[key])
    for rel, start, end, key in (
            ("TARGETS", "Lead", "Company", "targets"), ("FILLS", "Lead", "ChainNode", "fills"),
            ("LANDS_IN", "Lead", "District", "lands"), ("OWNED_BY", "Lead", "User", "owned"),
            ("STAGE_OF", "StageChange", "Lead", "stage_of"), ("BECAME", "Lead", "Project", "became"),
            ("IN_LINK", "Project", "ChainNode", "in_link"), ("LOCATED_IN", "Project", "District", "located"),
            ("INVESTED_BY", "Project", "Company", "invested"), ("PAID_INTO", "CapitalInflow", "Project", "paid"),
            ("ABOUT", "FollowUp", "Lead", "about"), ("ASSIGNED_TO", "FollowUp", "User", "assigned")):
        merge_rels(store, rel, start, end, data[key])
    return round(time.perf_counter() - started, 1)


class TimedStore:
    """The store, with the time of each read query kept (to find the slow ones)."""

    def __init__(self, store: Any):
        self._store, self.times = store, {}

    def read(self, query: str, params: Any = None) -> Any:
        started = time.perf_counter()
        try:
            return self._store.read(query, params)
        finally:
            key = " ".join(query.split())[:90]
            self.times[key] = self.times.get(key, 0.0) + time.perf_counter() - started

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, default=20_000)
    ap.add_argument("--followups", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    from crm import reports
    from crm.reports import charts, files
    from crm.library.seeding import load_seeds
    from graph.engines.embedded import EmbeddedStore
    from graph.meta import initialise
    from web.reports import scoring, words

    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.lbug", buffer_pool_mb=1024)
        initialise(store, now=NOW)
        load_seeds(store, now=NOW)
        data = generate(args.leads, args.followups, store=store)
        seconds_to_load = load(store, data)
        week, zh, hooks = reports.Week.last_completed(NOW), words("zh"), scoring()
        timed = TimedStore(store)
        reports.build(timed, week, now=NOW, scoring=hooks)  # warm caches, imports and the timings table
        slowest = sorted(timed.times.items(), key=lambda kv: -kv[1])[:6]
        generate_s, render_s = [], {fmt: [] for fmt in files.CONTENT_TYPES}
        for _ in range(args.runs):
            started = time.perf_counter()
            made = reports.generate(store, week, actor=SYSTEM, now=NOW, scoring=hooks, regenerate=True)
            generate_s.append(time.perf_counter() - started)
            for fmt in render_s:
                charts._drawn.clear()  # cold: each format draws its charts as a first reader would
                started = time.perf_counter()
                files.render(made.figures, fmt, zh)
                render_s[fmt].append(time.perf_counter() - started)
        counts = {label: store.read(f"MATCH (n:{label}) RETURN count(n) AS n")[0]["n"]
                  for label in ("Lead", "StageChange", "FollowUp", "Project", "CapitalInflow", "Company")}
        store.close()
    gen = statistics.median(generate_s)
    per_format = {fmt: {"render_s": round(statistics.median(v), 2), "total_s": round(gen + statistics.median(v), 2)}
                  for fmt, v in render_s.items()}
    print(json.dumps({"bench": "weekly report", "engine": "embedded", "week": week.id,
                      "machine": f"{platform.node()} {os.cpu_count()} cpu, {platform.python_version()}, "
                                 f"load {os.getloadavg()[0]:.1f}",
                      "data": counts, "load_s": seconds_to_load, "generate_s": round(gen, 2),
                      "formats": per_format, "target_s": 5,
                      "slowest_queries_s": {q: round(t, 3) for q, t in slowest}}, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
