"""The inbox API: what is due for the caller, their notifications, marking them read."""
from crm.ops.jobs import scan_followups
from tests.factories import NOW, make_lead


def test_the_inbox_shows_the_caller_s_due_and_overdue_work(staff_client, viewer_client, store):
    lead = make_lead(store, owner_id=staff_client.user.id)
    for day in ("2026-11-20", "2026-11-17"):
        assert staff_client.post("/api/v1/followups", json={"lead_id": lead.id, "due_on": day}).status_code == 201
    box = staff_client.get("/api/v1/inbox").json
    assert [f["due_at"][:10] for f in box["due_today"]] == ["2026-11-20"]
    assert [f["due_at"][:10] for f in box["overdue"]] == ["2026-11-17"] and box["unread"] == 0
    assert viewer_client.get("/api/v1/inbox").json["due_today"] == []


def test_the_inbox_answers_what_its_schema_says_with_every_part_filled(staff_client, store):
    """The inbox is dumped without marshmallow (web/schemas/fast.py): the answer is what the schema gives."""
    import json
    from datetime import date

    from crm.base.access import SYSTEM
    from crm.events import tasks
    from crm.notify.inbox import inbox
    from web.schemas.inbox import InboxSchema

    lead = make_lead(store, owner_id=staff_client.user.id)
    for day in ("2026-11-20", "2026-11-17"):
        assert staff_client.post("/api/v1/followups", json={"lead_id": lead.id, "due_on": day}).status_code == 201
    assert scan_followups(store, now=NOW) >= 1
    store.transaction(lambda tx: tasks.insert(tx, {"title": "展台", "due_on": date(2026, 11, 19),
                                                   "owner_id": staff_client.user.id}, actor=SYSTEM, now=NOW))
    answer = staff_client.get("/api/v1/inbox").json
    assert all(answer[part] for part in ("due_today", "overdue", "tasks_due", "recent")), answer
    expected = InboxSchema().dump(inbox(store, actor=staff_client.user.actor(), now=NOW))
    assert answer == json.loads(json.dumps(expected))


def test_notifications_are_listed_and_marked_read(staff_client, admin_client, store):
    lead = make_lead(store, owner_id=staff_client.user.id)
    staff_client.post("/api/v1/followups", json={"lead_id": lead.id, "due_on": "2026-11-20"})
    assert scan_followups(store, now=NOW) == 1
    r = staff_client.get("/api/v1/inbox/notifications?unread=true")
    assert r.status_code == 200 and '"total": 1' in r.headers["X-Pagination"]
    note = r.json[0]
    assert note["kind"] == "followup_due" and not note["read"]
    assert admin_client.post(f"/api/v1/inbox/notifications/{note['id']}/read").status_code == 404
    read = staff_client.post(f"/api/v1/inbox/notifications/{note['id']}/read")
    assert read.status_code == 200 and read.json["read"]
    assert staff_client.get("/api/v1/inbox/notifications?unread=true").json == []
    assert staff_client.post("/api/v1/inbox/read-all").json == {"marked": 0}


def test_bad_filters_are_a_422(staff_client):
    r = staff_client.get("/api/v1/inbox/notifications?kind=gossip")
    assert r.status_code == 422 and "kind" in r.json["errors"]["query"]


def test_it_needs_a_login(anonymous_client):
    assert anonymous_client.get("/api/v1/inbox").status_code == 401


def test_every_kind_of_notice_the_app_sends_can_be_filtered_on():
    """A kind sent but not declared made its inbox filter a 422 (project_stalled, exit_risk)."""
    import re

    from crm.choices import NOTIFICATION_KINDS
    from tests.conftest import ROOT

    sent = set()
    for path in (ROOT / "crm").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for call in re.finditer(r"\bNotice\(", text):
            plain = re.search(r'(?<![\w"\[])"([a-z_]+)"', text[call.end():call.end() + 300])  # not an f-string
            if plain:
                sent.add(plain.group(1))
    assert {"project_stalled", "report", "escalation"} <= sent
    assert sent <= set(NOTIFICATION_KINDS.values)
