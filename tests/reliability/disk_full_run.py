"""One run of the app on a store whose disk fills up (tests/reliability/test_disk_full.py runs it in a
child process, since a database closed on a full disk may abort the process). Prints one JSON line:
the notes acknowledged, the answers after the disk filled, and after space was freed."""
from __future__ import annotations

import json
import os
import random
import sys

from crm.base.access import SYSTEM
from crm.people.users import create_token
from graph.engines.embedded import EmbeddedStore
from tests.factories import NOW, make_lead, make_reference, make_user
from web.app import create_app


def main(path: str, filler: str) -> None:
    store = EmbeddedStore(path, buffer_pool_mb=256)
    store.ensure_schema()
    make_reference(store)
    user = make_user(store, "staff", "staff")
    token, _ = create_token(store, user.id, "disk", actor=SYSTEM, now=NOW)
    lead = make_lead(store)
    client = create_app({"TESTING": True, "STORE": store, "CLOCK": lambda: NOW}).test_client()
    headers = {"Authorization": f"Bearer {token}"}
    rnd = random.Random(7)
    acked: list[str] = []
    failed = None
    for i in range(20_000):
        body = f"{i} " + "".join(rnd.choice("甲乙丙丁戊己庚辛壬癸子丑寅卯") for _ in range(2400))
        r = client.post("/api/v1/notes", json={"record_id": lead.id, "body": body}, headers=headers)
        if r.status_code != 201:
            failed = {"status": r.status_code, "json": r.get_json()}
            break
        acked.append(r.get_json()["id"])
    after = client.post("/api/v1/notes", json={"record_id": lead.id, "body": "after the failure"}, headers=headers)
    health = client.get("/healthz")
    os.remove(filler)
    freed = client.post("/api/v1/notes", json={"record_id": lead.id, "body": "after freeing"}, headers=headers)
    print(json.dumps({"acked": acked, "failed": failed, "after": after.status_code, "health": health.status_code,
                      "freed": freed.status_code}), flush=True)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
