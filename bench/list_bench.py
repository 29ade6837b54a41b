"""Lead list benchmark: the CPU one list request costs, at 20,000 and at 100,000 leads.

    .venv/bin/python -m bench.list_bench [--leads 20000 100000] [--repeat 60] [--keep DIR]

For each size, bench/bureau.py writes its labelled-synthetic bureau into an embedded file, then
the API's lead list (the four filtered, sorted pages of bench/api_bench.py, page 1, and the page
after it by cursor) and the page list (/leads) are asked for through the Flask test client with
an admin's token (server work only, no network, no threads). Reported per request: median and
p95 of the process CPU time, and the median wall time. Issue 17: ≤ 8 ms CPU per list request at
20,000 and at 100,000 leads, and no more at 100,000 than at 20,000. Prints JSON.
"""
from __future__ import annotations

import json
import os
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import kept
from bench.api_bench import LIST_QUERIES, NOW, percentile
from crm.pipeline.leads import copied
from graph.engines.embedded import EmbeddedStore
from web.app import create_app


def _timed(call: Any, repeat: int) -> dict[str, float]:
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        call()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return {"cpu_p50_ms": round(statistics.median(cpu) * 1000, 2),
            "cpu_p95_ms": round(percentile(cpu, 0.95) * 1000, 2),
            "wall_p50_ms": round(statistics.median(wall) * 1000, 2)}


def measure(path: Path, token: str, repeat: int) -> dict[str, Any]:
    store = EmbeddedStore(path, buffer_pool_mb=512)
    try:
        app = create_app({"TESTING": True, "STORE": store, "SECRET_KEY": "bench-secret", "CLOCK": lambda: NOW})
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}

        def get(url: str) -> Any:
            response = client.get(url, headers=headers)
            assert response.status_code == 200, (url, response.status_code)
            return response

        out: dict[str, Any] = {}
        began = time.perf_counter()
        copied(store, wait=True)  # the in-process copy of the list's columns (crm/base/columns.py), read once
        out["copy_read_s"] = round(time.perf_counter() - began, 3)
        for url in LIST_QUERIES:
            get(url)
            out[url] = _timed(lambda: get(url), repeat)
            cursor = get(url).headers.get("X-Next-Cursor")
            if cursor:
                nxt = f"{url}&after={cursor}"
                get(nxt)
                out[nxt.split("&after=")[0] + "&after=…"] = _timed(lambda: get(nxt), repeat)
        page = "/leads?sort=-expected_usd&stage=negotiating"
        out["page " + page] = _page(app, page, repeat)
        out["answered_from_copy"] = copied(store) is not None  # no request wrote, so the copy stayed in use
        return out
    finally:
        store.close()


def _page(app: Any, url: str, repeat: int) -> dict[str, float] | str:
    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', form)
    response = client.post("/login", data={"username": "bench", "password": "bench-password",
                                            "csrf_token": match.group(1) if match else ""})
    if response.status_code != 302:
        return f"login failed: {response.status_code}"
    copied(app.extensions["chainlead.store"], wait=True)  # the login wrote its session: read the copy again
    client.get(url)
    return _timed(lambda: client.get(url), repeat)


def main() -> None:
    args = kept.parser(repeat=60).parse_args()
    results = kept.header(args)
    with tempfile.TemporaryDirectory() as tmp:
        for leads, path, token, built in kept.bureaus(args.keep or Path(tmp), args.leads):
            if built is not None:
                results[f"build_{leads}_s"] = built
            results[str(leads)] = measure(path, token, args.repeat)
    results["load_average_after"] = os.getloadavg()
    print(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
