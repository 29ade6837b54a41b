"""Bad text and good writes at once through a real server (issue 12, item 1): before the fix a lone
surrogate in a note reached Ladybug, left a pooled connection inside an open transaction, and the
process segfaulted within a second. Now the bad ones get 422, the server stays up, and every good
write is stored."""
import threading

from crm.base.access import SYSTEM
from crm.people.users import create_token
from tests.factories import NOW, make_lead, make_reference, make_user
from tests.reliability.servers import call, wsgi_server
from web.app import create_app

CLIENTS, WRITES = 8, 12


def test_many_clients_mixing_bad_and_good_notes_keep_the_server_up(embedded_store):
    make_reference(embedded_store)
    user = make_user(embedded_store, "staff", "staff")
    token, _ = create_token(embedded_store, user.id, "mix", actor=SYSTEM, now=NOW)
    lead = make_lead(embedded_store)
    answers: list[tuple[bool, int]] = []
    lock = threading.Lock()

    def client(n: int, base: str) -> None:
        for i in range(WRITES):
            bad = (n + i) % 2 == 0
            body = "\udc80" if bad and n % 4 else ("坏\x1b[31m" if bad else f"客户{n}第{i}条")
            got = call("POST", f"{base}/api/v1/notes", token=token, body={"record_id": lead.id, "body": body})
            with lock:
                answers.append((bad, got.status))

    with wsgi_server(create_app({"TESTING": True, "STORE": embedded_store})) as base:
        threads = [threading.Thread(target=client, args=(n, base)) for n in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert call("GET", f"{base}/healthz").status == 200
    assert {status for bad, status in answers if bad} == {422}
    assert {status for bad, status in answers if not bad} == {201}
    stored = embedded_store.read("MATCH (n:Note) RETURN count(n) AS n")[0]["n"]
    assert stored == sum(1 for bad, _ in answers if not bad) == CLIENTS * WRITES // 2
