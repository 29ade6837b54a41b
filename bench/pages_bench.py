"""Page benchmark: server time of every page, per role, with 20,000 leads in the embedded store.

    .venv/bin/python -m bench.pages_bench [--leads 20000] [--repeat 10]

Prints JSON: for each (role, page) the median and p95 server time in milliseconds (the request
handled in-process, no network) and the HTML size. The data are synthetic (labelled so): the
API benchmark's world plus a few projects, capital inflows, issues and notes, and one user per
role. Issue 7 asks every page to render in under 300 ms at this size.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.api_bench import NOW, build, percentile
from crm.access import SYSTEM
from crm.firm_issues import create_issue
from crm.inflows import add_inflow
from crm.notes import add_note
from crm.projects import create_project
from crm.users import create_user
from graph.engines.embedded import EmbeddedStore
from web.app import create_app

PASSWORD = "bench-password"
LEAD = "lead-syn-000001"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def extend(store: Any) -> dict[str, str]:
    """Projects with capital and issues, a note, and one user per role; returns ids the pages need."""
    scopes = {"chain_leader": {"chains": ["syn03"]}, "district_officer": {"districts": ["500103"]}, "viewer": {}}
    for role, scope in scopes.items():
        create_user(store, username=role, password=PASSWORD, role=role, actor=SYSTEM, now=NOW, synthetic=True, **scope)
    project = None
    for i in range(30):
        project = create_project(store, {"name": f"合成项目{i:03d}", "company_id": f"syn-co-{i:06d}",
                                         "district_id": "500103", "link_id": f"syn03.l{120 + i % 40:04d}",
                                         "manufacturing": True, "signed_on": date(2024, 1 + i % 12, 1),
                                         "contracted_fdi_usd": 20_000_000 + i * 1_000_000, "synthetic": True},
                                 actor=SYSTEM, now=NOW)
        for year in (2023, 2024, 2025):
            add_inflow(store, project.id, {"received_on": date(year, 6, 1), "amount_usd": 15_000_000 + i * 100_000,
                                           "kind": "equity", "synthetic": True}, actor=SYSTEM, now=NOW)
        create_issue(store, {"project_id": project.id, "category": "energy", "title": "合成诉求：用能保障",
                             "synthetic": True}, actor=SYSTEM, now=NOW)
    add_note(store, {"record_id": LEAD, "body": "合成备注", "synthetic": True}, actor=SYSTEM, now=NOW)
    company = store.read("MATCH (:Lead {id: $id})-[:TARGETS]->(c:Company) RETURN c.id AS id", {"id": LEAD})[0]["id"]
    return {"project": project.id if project else "", "company": company}


def pages(ids: dict[str, str]) -> dict[str, list[str]]:
    common = ["/", "/leads", "/leads?q=合成线索&sort=-expected_usd", "/leads?stage=negotiating&priority=A&page=3",
              "/leads/kanban", "/companies", "/companies?q=synthetic&fg500=true", f"/companies/{ids['company']}",
              "/projects", "/account/tokens"]
    return {"staff0": common + [f"/leads/{LEAD}", "/leads/new", f"/leads/{LEAD}/edit",
                                f"/projects/{ids['project']}"],
            "chain_leader": common, "district_officer": common + [f"/projects/{ids['project']}"],
            "viewer": common, "bench": ["/", "/users", "/users/new"]}


def log_in(app: Any, username: str) -> Any:
    client = app.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, (username, response.status_code)
    return client


def time_page(client: Any, url: str, repeat: int) -> dict[str, Any]:
    client.get(url)  # compile templates, warm caches
    samples, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
        size = len(response.data)
    return {"p50_ms": round(statistics.median(samples) * 1000, 1), "p95_ms": round(percentile(samples, 0.95) * 1000, 1),
            "kb": round(size / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--leads", type=int, default=20_000)
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.lbug"
        build(path, args.leads)
        store = EmbeddedStore(path, buffer_pool_mb=512)
        ids = extend(store)
        app = create_app({"TESTING": True, "STORE": store, "SECRET_KEY": "bench-secret"})
        results = {user: {url: time_page(log_in(app, user), url, args.repeat) for url in urls}
                   for user, urls in pages(ids).items()}
        store.close()
    worst = max((r["p95_ms"], user, url) for user, by_url in results.items() for url, r in by_url.items())
    print(json.dumps({"bench": "pages", "machine": f"{platform.node()} {os.cpu_count()} cpu, "
                      f"{platform.python_version()}", "leads": args.leads, "engine": "embedded",
                      "worst_p95": {"ms": worst[0], "user": worst[1], "page": worst[2]}, "pages": results},
                     indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
