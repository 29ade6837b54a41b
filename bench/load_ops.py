"""The load test's clients: a weighted mix of reads and writes, and a ledger of every acknowledged write.

Each client acts as one staff member (its own token) and notes what the server said it wrote:
leads created, edits made with If-Match (the version and title each produced), follow-ups
logged, pool leads claimed. `verify` reads all of it back after the run; a write the server
acknowledged and the store does not hold is a lost write.
"""
from __future__ import annotations

import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import quote

from bench.server import Client

# operation -> weight; reads are 60 % of the picks, writes 40 % (an edit reads the lead first)
MIX = {"list": 15, "search": 10, "read_lead": 25, "inbox": 10,
       "create_lead": 8, "edit_lead": 14, "followup": 10, "claim": 8}
EXPECTED = {"list": {200}, "search": {200}, "read_lead": {200}, "inbox": {200}, "create_lead": {201},
            "edit_lead": {200, 412}, "followup": {201}, "claim": {200, 409, 412}, "pool": {200}}
HOT = 20  # half the edits go to the first HOT leads, so If-Match conflicts really happen


@dataclass
class Ledger:
    """What the server acknowledged, and what it may or may not have done (no answer, or a 5xx)."""
    created: dict[str, str] = field(default_factory=dict)               # lead id -> title
    edits: dict[str, list[tuple[int, str]]] = field(default_factory=lambda: defaultdict(list))
    unsure_edits: Counter = field(default_factory=Counter)              # lead id -> edits without an answer
    followups: dict[str, str] = field(default_factory=dict)             # follow-up id -> lead id
    claims: dict[str, str] = field(default_factory=dict)                # lead id -> claimant's user id
    samples: list[tuple[str, int, float]] = field(default_factory=list)  # (operation, status, seconds)
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Budget:
    """Bounded in time and in requests: the run stops at whichever limit comes first."""

    def __init__(self, seconds: float, requests: int):
        self.deadline, self.left, self._lock = time.monotonic() + seconds, requests, threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self.left <= 0 or time.monotonic() >= self.deadline:
                return False
            self.left -= 1
            return True


class Worker:
    """One client: picks operations by MIX until the budget is spent."""

    def __init__(self, port: int, user_id: str, token: str, bureau: Any, ledger: Ledger, seed: int):
        self.client, self.user_id, self.bureau, self.ledger = Client(port, token), user_id, bureau, ledger
        self.rnd, self.n = random.Random(seed), 0
        self.ops: dict[str, Callable[[], None]] = {name: getattr(self, name) for name in MIX}

    def run(self, budget: Budget) -> None:
        names, weights = list(MIX), list(MIX.values())
        while budget.take():
            self.ops[self.rnd.choices(names, weights)[0]]()

    def _call(self, op: str, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None):
        status, parsed, got, seconds = self.client.call(method, path, body, headers)
        with self.ledger.lock:
            self.ledger.samples.append((op, status, seconds))
            if status not in EXPECTED[op] and len(self.ledger.unexpected) < 50:
                self.ledger.unexpected.append(f"{op} {method} {path}: {status} {str(parsed)[:200]}")
        return status, parsed, got

    def _lead_id(self) -> str:
        return f"lead-syn-{self.rnd.randrange(self.bureau.leads):06d}"

    def list(self) -> None:
        query = self.rnd.choice(["stage=negotiating&sort=-expected_usd", "priority=A&sort=-updated_at&page=3",
                                 "owner=" + self.user_id, "pool=true&sort=-created_at", "stage=contacted&stage=visited"])
        self._call("list", "GET", f"/api/v1/leads?{query}&page_size=50")

    def search(self) -> None:
        text = self.rnd.choice(["合成线索 0", "synthetic lead 01", f"{self.rnd.randrange(10000):04d}", "环节0"])
        self._call("search", "GET", f"/api/v1/leads?q={quote(text)}&page_size=20")

    def read_lead(self) -> None:
        self._call("read_lead", "GET", f"/api/v1/leads/{self._lead_id()}")

    def inbox(self) -> None:
        self._call("inbox", "GET", "/api/v1/inbox")

    def create_lead(self) -> None:
        self.n += 1
        title = f"压测线索 load {self.user_id[-6:]} {self.n}"
        status, body, _ = self._call("create_lead", "POST", "/api/v1/leads", {
            "company_id": self.rnd.choice(self.bureau.companies), "link_id": self.rnd.choice(self.bureau.links),
            "district_id": self.rnd.choice(self.bureau.districts), "title": title, "priority": "B",
            "owner_id": self.user_id})
        if status == 201:
            with self.ledger.lock:
                self.ledger.created[body["id"]] = title

    def edit_lead(self) -> None:
        lead_id = f"lead-syn-{self.rnd.randrange(HOT):06d}" if self.rnd.random() < 0.5 else self._lead_id()
        status, _, got = self._call("read_lead", "GET", f"/api/v1/leads/{lead_id}")
        if status != 200:
            return
        self.n += 1
        title = f"改 edit {self.user_id[-6:]} {self.n}"
        status, body, _ = self._call("edit_lead", "PATCH", f"/api/v1/leads/{lead_id}", {"title": title},
                                     {"If-Match": got.get("etag", "")})
        with self.ledger.lock:
            if status == 200:
                self.ledger.edits[lead_id].append((body["version"], title))
            elif status >= 500:
                self.ledger.unsure_edits[lead_id] += 1

    def followup(self) -> None:
        lead_id = self._lead_id()
        status, body, _ = self._call("followup", "POST", "/api/v1/followups", {
            "lead_id": lead_id, "kind": "call", "due_on": "2026-12-0" + str(1 + self.rnd.randrange(4)),
            "title": f"压测跟进 {self.n}"})
        if status == 201:
            with self.ledger.lock:
                self.ledger.followups[body["id"]] = lead_id

    def claim(self) -> None:
        status, items, _ = self._call("pool", "GET", f"/api/v1/pool?page_size=20&page={1 + self.rnd.randrange(5)}")
        if status != 200 or not items:
            return
        lead = self.rnd.choice(items)
        status, _, _ = self._call("claim", "POST", f"/api/v1/pool/{lead['id']}/claim",
                                  headers={"If-Match": f'"v{lead["version"]}"'})
        if status == 200:
            with self.ledger.lock:
                self.ledger.claims[lead["id"]] = self.user_id


def verify(port: int, admin_token: str, ledger: Ledger) -> dict[str, Any]:
    """Read back every acknowledged write; returns counts and the first lost writes found."""
    client = Client(port, admin_token)
    lost: list[str] = []

    def lead(lead_id: str) -> dict[str, Any] | None:
        status, body, _, _ = client.call("GET", f"/api/v1/leads/{lead_id}")
        return body if status == 200 else None

    for lead_id, title in ledger.created.items():
        found = lead(lead_id)
        if found is None or found["title"] != title:
            lost.append(f"created lead {lead_id} ({title!r}): {found and found['title']!r}")
    for lead_id, acked in ledger.edits.items():
        lost += _check_edits(client, lead_id, acked, ledger.unsure_edits[lead_id], lead(lead_id))
    for item_id, lead_id in ledger.followups.items():
        status, body, _, _ = client.call("GET", f"/api/v1/followups/{item_id}")
        if status != 200 or body["lead_id"] != lead_id:
            lost.append(f"follow-up {item_id} on {lead_id}: {status}")
    for lead_id, owner in ledger.claims.items():
        found = lead(lead_id)
        if found is None or found["owner_id"] != owner:
            lost.append(f"claim of {lead_id} by {owner}: owner now {found and found['owner_id']}")
    return {"leads_created": len(ledger.created), "edits": sum(len(v) for v in ledger.edits.values()),
            "leads_edited": len(ledger.edits), "followups": len(ledger.followups), "claims": len(ledger.claims),
            "edits_without_answer": sum(ledger.unsure_edits.values()), "lost_writes": len(lost),
            "lost_examples": lost[:10]}


def _check_edits(client: Client, lead_id: str, acked: list[tuple[int, str]], unsure: int,
                 final: dict[str, Any] | None) -> list[str]:
    """Each acknowledged edit made its own version; the last one's title is the lead's; each is audited."""
    versions = sorted(v for v, _ in acked)
    problems = []
    if len(set(versions)) != len(versions):
        problems.append(f"lead {lead_id}: two edits acknowledged with the same version {versions}")
    last_version, last_title = max(acked)
    if final is None or final["version"] < last_version:
        problems.append(f"lead {lead_id}: acknowledged v{last_version}, store has {final and final['version']}")
    elif final["version"] == last_version and final["title"] != last_title:
        problems.append(f"lead {lead_id}: v{last_version} should read {last_title!r}, reads {final['title']!r}")
    status, history, _, _ = client.call("GET", f"/api/v1/audit?record={lead_id}&page_size=200")
    updates = [h for h in history or [] if h.get("action") == "update"] if status == 200 else []
    if not len(acked) <= len(updates) <= len(acked) + unsure:
        problems.append(f"lead {lead_id}: {len(acked)} edits acknowledged, {len(updates)} audited")
    return problems
