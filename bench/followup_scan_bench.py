"""Follow-up scan benchmark (issue 6): 200,000 follow-ups in the embedded store, and the due/overdue
scan the reminder job runs every five minutes, which must take under 1 s.

    .venv/bin/python -m bench.followup_scan_bench [--followups 200000] [--runs 5]

The data are synthetic (labelled so) and deterministic: 2,000 leads, 50 owners, follow-ups due
from 180 days before to 60 days after a fixed Friday, 70 % done, 5 % cancelled, the rest open.
They are bulk-written with graph.cypher.upsert_nodes / merge_rels. Prints one JSON object.
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
from typing import Any, Callable

from crm.followups import escalation, reminders
from crm.base.workdays import day_bounds
from graph.cypher import merge_rels, upsert_nodes

NOW = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)  # a Friday, 10:00 in Chongqing


def generate(n: int, *, leads: int = 2_000, owners: int = 50, seed: int = 6) -> dict[str, list[dict[str, Any]]]:
    rnd = random.Random(seed)
    users = [{"id": f"syn-user-{i:03d}", "username": f"syn{i:03d}", "display_name": f"合成用户{i:03d}",
              "role": "staff", "active": True, "synthetic": True} for i in range(owners)]
    lead_rows = [{"id": f"syn-lead-{i:05d}", "title": f"合成线索{i:05d}", "stage": "contacted", "priority": "B",
                  "archived": False, "synthetic": True, "version": 1} for i in range(leads)]
    followups, about, assigned = [], [], []
    for i in range(n):
        due = NOW + timedelta(minutes=rnd.randint(-180 * 1440, 60 * 1440))
        roll = rnd.random()
        status = "done" if roll < 0.70 else "cancelled" if roll < 0.75 else "open"
        fid = f"syn-fu-{i:06d}"
        followups.append({"id": fid, "kind": "call", "title": "", "status": status, "due_at": due,
                          "done_at": due if status == "done" else None, "created_at": due - timedelta(days=7),
                          "updated_at": due, "version": 1, "archived": False, "synthetic": True})
        about.append({"src": fid, "dst": lead_rows[i % leads]["id"]})
        assigned.append({"src": fid, "dst": users[i % owners]["id"]})
    return {"users": users, "leads": lead_rows, "followups": followups, "about": about, "assigned": assigned}


def load(store: Any, data: dict[str, list[dict[str, Any]]]) -> dict[str, float]:
    steps = {}
    for name, write in (("users", lambda: upsert_nodes(store, "User", data["users"])),
                        ("leads", lambda: upsert_nodes(store, "Lead", data["leads"])),
                        ("followups", lambda: upsert_nodes(store, "FollowUp", data["followups"])),
                        ("about", lambda: merge_rels(store, "ABOUT", "FollowUp", "Lead", data["about"])),
                        ("assigned", lambda: merge_rels(store, "ASSIGNED_TO", "FollowUp", "User", data["assigned"]))):
        t = time.perf_counter()
        write()
        steps[name] = round(time.perf_counter() - t, 2)
    return steps


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return round(statistics.median(times), 3), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--followups", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    from graph.engines.embedded import EmbeddedStore

    data = generate(args.followups)
    today, tomorrow = day_bounds(NOW)
    out: dict[str, Any] = {"bench": "followup_scan", "machine": f"{platform.node()} {os.cpu_count()} cpu, "
                           f"{platform.python_version()}", "engine": "embedded", "followups": args.followups,
                           "synthetic": True}
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.lbug", buffer_pool_mb=1024)
        store.ensure_schema()
        out["load_s"] = load(store, data)
        count_s, counted = timed(lambda: store.read(
            "MATCH (f:FollowUp) WHERE f.status = 'open' AND f.due_at < $until AND f.archived = false "
            "RETURN count(f) AS n", {"until": tomorrow})[0]["n"], args.runs)
        scan_s, scan = timed(lambda: reminders.scan_followups(store, today_start=today, tomorrow_start=tomorrow),
                             args.runs)
        joined_s, _ = timed(lambda: store.read(
            "MATCH (f:FollowUp)-[:ASSIGNED_TO]->(u:User) WHERE f.status = 'open' AND f.due_at < $until "
            "RETURN f.id AS id, u.id AS owner", {"until": tomorrow}), args.runs)
        counts_s, by_owner = timed(lambda: escalation.overdue_by_owner(store, now=NOW), args.runs)
        t = time.perf_counter()
        told = reminders.remind_followups(store, now=NOW, today_start=today, tomorrow_start=tomorrow)
        first_run_s = round(time.perf_counter() - t, 2)
        again_s, again = timed(lambda: reminders.remind_followups(store, now=NOW, today_start=today,
                                                                  tomorrow_start=tomorrow), args.runs)
        steady_s, _ = timed(lambda: reminders.unreminded(store, today_start=today, tomorrow_start=tomorrow), args.runs)
        store.close()
    out.update({
        "due_today": len(scan.due_today), "overdue": len(scan.overdue), "due_and_overdue_counted": counted,
        "filter_and_count_median_s": count_s,
        "scan_median_s": scan_s, "scan_under_1s": scan_s < 1.0,
        "scan_with_owner_join_median_s": joined_s,
        "overdue_by_owner_median_s": counts_s, "owners_with_overdue": len(by_owner),
        "first_reminder_run_s": first_run_s, "notifications": told,
        "second_reminder_run_median_s": again_s, "second_run_notifications": again,
        "steady_state_unreminded_scan_median_s": steady_s,
    })
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
