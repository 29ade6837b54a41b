"""The embedded engine answers lead lists from an in-process copy of their columns: the same leads,
totals, order and cursors as the engine's own query, and never an answer older than the store."""
import itertools
import threading
from dataclasses import replace
from datetime import timedelta

import pytest

from crm.base.access import SYSTEM, Actor
from crm.base import columns
from crm.base.copies import Copies
from crm.pipeline import leads
from crm.pipeline.board import board
from crm.pipeline.leads import SORTS, LeadQuery, copied, list_leads
from graph.cypher import upsert_nodes
from tests.conftest import as_web_process, store_from_template
from tests.contract.test_lead_keyset import lead_rows
from tests.factories import NOW, make_followup, make_lead, make_reference, make_user

pytestmark = pytest.mark.xdist_group("lead_list_copy")  # its module fixture is built once, on one worker

LEADER = Actor(id="u-leader", username="leader", role="chain_leader", chains=("nev",))
OFFICER = Actor(id="u-officer", username="officer", role="district_officer", districts=("500112",))


def varied_rows() -> list[dict]:
    """Leads with ties, unset keys, two chains, two districts, owners, the pool, archived ones and text."""
    rows = lead_rows(0, 41)
    for i, row in enumerate(rows):
        row["archived"] = i % 9 == 0
        row["owner_id"] = None if i % 4 == 1 else f"u-{i % 3}"
        row["district_id"] = "500112" if i % 2 else "500157"
        row["chain_id"] = "ict" if i % 5 == 2 else "nev"
        row["priority"] = None if i % 11 == 3 else row["priority"]
        row["search_text"] = f"宁德时代 catl {'cathode' if i % 3 else 'anode'} {i}"
    return rows


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    """Pages gathered a few rows at a time, so that looking further along the order is exercised."""
    monkeypatch.setattr(columns, "FIRST_CHUNK", 3)


def fill(store):
    make_reference(store)
    upsert_nodes(store, "Lead", varied_rows())
    return store


@pytest.fixture
def copy_store(embedded_store):
    return fill(embedded_store)


@pytest.fixture(scope="module")
def read_store(tmp_path_factory, schema_template):
    """One filled store for the tests that only read (most of this file)."""
    store = fill(store_from_template(schema_template, tmp_path_factory.mktemp("lists")))
    yield store
    store.close()


def engine_only(store):
    """The same store with its copy out of use (as on Neo4j)."""
    class EngineOnly:
        journaled = False

        def __getattr__(self, name):
            return getattr(store, name)
    return EngineOnly()


QUERIES = [
    {}, {"stage": ["contacted", "visited"]}, {"priority": ["A", "C"]}, {"owner": "u-1"}, {"district": "500112"},
    {"chain": "ict"}, {"pool": True}, {"pool": False}, {"q": "cathode"}, {"q": "宁德"}, {"q": "nothing like it"},
    {"archived": True}, {"stage": ["visited"], "pool": True, "q": "anode"}, {"link": "nev.cell", "company": "catl"},
    {"source": "ranking", "priority": ["B"]}, {"district": "no-such-district"},
]


def answer(store, actor, **query):
    page = list_leads(store, LeadQuery(page_size=5, **query), actor=actor)
    return [lead.id for lead in page.items], page.total, page.next_after


@pytest.mark.parametrize("actor", [SYSTEM, LEADER, OFFICER], ids=["admin", "chain-leader", "district-officer"])
@pytest.mark.parametrize("sort", [f"{d}{k}" for k in sorted(SORTS) for d in ("", "-")])
def test_every_filter_sort_and_scope_lists_the_same_from_the_copy_as_from_the_engine(read_store, sort, actor):
    assert copied(read_store, wait=True) is not None
    engine = engine_only(read_store)
    for query in QUERIES:
        for page in (1, 3):
            want = answer(engine, actor, sort=sort, page=page, **query)
            assert answer(read_store, actor, sort=sort, page=page, **query) == want, (query, page)
        after, walked, want_walk = None, [], []
        while True:  # each page by the cursor the one before gave, from both
            ids, _, after_mine = answer(read_store, actor, sort=sort, after=after, **query)
            want_ids, _, after_theirs = answer(engine, actor, sort=sort, after=after, **query)
            assert (ids, after_mine) == (want_ids, after_theirs), query
            walked += ids
            if after_mine is None:
                break
            after = after_mine
        assert len(walked) == len(set(walked)) == answer(engine, actor, sort=sort, **query)[1]
    assert copied(read_store) is not None, "every answer above came from the copy"


def test_the_board_counts_and_cards_agree_with_the_engines(read_store):
    assert copied(read_store, wait=True) is not None
    for actor, sort in itertools.product([SYSTEM, LEADER, OFFICER], ["-updated_at", "title", "expected_usd"]):
        query = LeadQuery(sort=sort, q="catl")
        mine = [(c.stage, c.total, [lead.id for lead in c.leads]) for c in board(read_store, query, actor=actor,
                                                                                    per_stage=3)]
        theirs = [(c.stage, c.total, [lead.id for lead in c.leads])
                  for c in board(engine_only(read_store), query, actor=actor, per_stage=3)]
        assert mine == theirs


def test_a_lead_written_a_moment_ago_is_listed_at_once(copy_store):
    copy = copied(copy_store, wait=True)
    new = make_lead(copy_store, title="刚刚录入", now=NOW + timedelta(hours=1))
    assert copied(copy_store) is not copy, "the copy is as old as the write before"
    page = list_leads(copy_store, LeadQuery(sort="-updated_at", page_size=5), actor=SYSTEM)
    assert page.items[0].id == new.id
    assert copied(copy_store, wait=True).count([]) == len(varied_rows()) + 1


def test_after_a_write_the_copy_is_read_again_in_the_background_and_then_used(copy_store):
    copies = Copies(spacing=0)
    load = lambda: copy_store.read("MATCH (l:Lead) RETURN l.id AS id, l.stage AS stage")  # noqa: E731
    assert copies.current(copy_store, "leads", load, ("stage",)) is None, "the first read starts in the background"
    for _ in range(200):
        found = copies.current(copy_store, "leads", load, ("stage",))
        if found is not None:
            break
        threading.Event().wait(0.01)
    assert found is not None and found.generation == copy_store.writes
    make_lead(copy_store)
    assert copies.current(copy_store, "leads", load, ("stage",)) is None


def test_a_store_that_others_may_write_never_gets_a_copy(copy_store):
    assert copied(engine_only(copy_store), wait=True) is None


def test_odd_text_and_unknown_values_match_nothing_rather_than_failing(copy_store):
    copy = copied(copy_store, wait=True)
    for query in ({"q": "\x00"}, {"q": "x" * 10_000}, {"owner": "\U0001f600"}, {"stage": ["no-such-stage"]}):
        terms = leads.terms_of(replace(LeadQuery(), **query), SYSTEM)
        assert copy.count(terms) == 0
        assert answer(copy_store, SYSTEM, **query) == answer(engine_only(copy_store), SYSTEM, **query)


@pytest.mark.parametrize("sort", ["expected_usd", "-expected_usd", "title", "-updated_at"])
def test_a_cursor_whose_lead_changed_or_went_goes_on_where_the_engine_does(copy_store, sort):
    _, _, after = answer(copy_store, SYSTEM, sort=sort)
    last = answer(copy_store, SYSTEM, sort=sort)[0][-1]
    copy_store.write("MATCH (l:Lead {id: $id}) SET l.expected_usd = 123456789, l.title = 'zz moved'", {"id": last})
    copied(copy_store, wait=True)
    assert answer(copy_store, SYSTEM, sort=sort, after=after) == answer(engine_only(copy_store), SYSTEM, sort=sort,
                                                                        after=after)
    copy_store.write("MATCH (l:Lead {id: $id}) DETACH DELETE l", {"id": last})
    copied(copy_store, wait=True)
    assert answer(copy_store, SYSTEM, sort=sort, after=after) == answer(engine_only(copy_store), SYSTEM, sort=sort,
                                                                        after=after)


def same_everywhere(store, sorts=("-updated_at", "title", "-expected_usd", "priority")):
    """Every filter, page and cursor walk answers alike from the copy and from the engine."""
    engine = engine_only(store)
    for sort, query in itertools.product(sorts, QUERIES):
        assert answer(store, SYSTEM, sort=sort, **query) == answer(engine, SYSTEM, sort=sort, **query), (sort, query)
        after = answer(store, SYSTEM, sort=sort, **query)[2]
        if after:
            assert answer(store, SYSTEM, sort=sort, after=after, **query) == answer(
                engine, SYSTEM, sort=sort, after=after, **query), (sort, query, "second page")


def test_the_copy_follows_the_pipelines_writes_without_reading_everything_again(copy_store, monkeypatch):
    from crm.pipeline.pool import claim

    copied(copy_store, wait=True)
    full_reads = []
    monkeypatch.setattr(Copies, "_read", lambda *a, **k: full_reads.append(a))
    staff = make_user(copy_store, "follower", "staff")
    pooled = make_lead(copy_store, title="池中 cathode", owner_id=None, now=NOW + timedelta(hours=1))
    mine = make_lead(copy_store, title="新的 anode", owner_id=staff.id, priority="C", now=NOW + timedelta(hours=2))
    leads.update_lead(copy_store, mine.id, {"title": "改名 cathode", "priority": "A", "expected_usd": 7},
                      actor=SYSTEM, now=NOW + timedelta(hours=3), expected_version=None)
    leads.move_lead(copy_store, mine.id, "contacted", actor=SYSTEM, now=NOW + timedelta(hours=4),
                    expected_version=None)
    claim(copy_store, pooled.id, actor=Actor(id=staff.id, username="follower", role="staff"),
          now=NOW + timedelta(hours=5), expected_version=None)
    oldest = answer(copy_store, SYSTEM, sort="updated_at")[0][0]
    leads.update_lead(copy_store, oldest, {"archived": True}, actor=SYSTEM, now=NOW + timedelta(hours=6),
                      expected_version=None)
    make_followup(copy_store, mine.id)  # changes no lead: the copy only moves on to the new write count
    assert copied(copy_store) is not None and copied(copy_store).generation == copy_store.writes
    same_everywhere(copy_store)
    assert full_reads == [], "each write was followed from the rows it named"


def test_a_write_that_does_not_name_its_rows_sends_the_lists_to_the_engine(copy_store):
    copied(copy_store, wait=True)
    copy_store.write("MATCH (l:Lead) WHERE l.priority = 'A' SET l.priority = 'C'")
    assert copied(copy_store) is None
    same_everywhere(copy_store)
    assert copied(copy_store, wait=True) is not None
    same_everywhere(copy_store)


def test_a_lead_that_is_deleted_leaves_the_copy_and_one_made_again_returns(copy_store):
    copied(copy_store, wait=True)
    gone = make_lead(copy_store, title="短命 cathode")
    copy_store.write("MATCH (l:Lead {id: $id}) DETACH DELETE l", {"id": gone.id}, touches={"Lead": [gone.id]})
    assert copied(copy_store) is not None
    same_everywhere(copy_store, sorts=("-updated_at", "title"))
    make_lead(copy_store, id=gone.id, title="又来 anode")
    same_everywhere(copy_store, sorts=("-updated_at", "title"))


@pytest.fixture
def beside(copy_store):
    """A web process's view of copy_store: the store port over its owner's socket (graph/engines/shared.py)."""
    with as_web_process(copy_store) as web:
        yield web


def test_a_web_process_beside_the_owner_lists_from_a_copy_of_its_own_that_follows_every_processs_writes(
        copy_store, beside, monkeypatch):
    assert copied(beside, wait=True) is not None and copied(copy_store, wait=True) is not None
    full_reads = []
    monkeypatch.setattr(Copies, "_read", lambda *a, **k: full_reads.append(a))
    theirs = make_lead(copy_store, title="主进程 cathode", now=NOW + timedelta(hours=1))
    mine = make_lead(beside, title="网页进程 anode", now=NOW + timedelta(hours=2))
    leads.update_lead(beside, theirs.id, {"title": "改名 anode", "priority": "A"}, actor=SYSTEM,
                      now=NOW + timedelta(hours=3), expected_version=None)
    for store in (beside, copy_store):
        assert answer(store, SYSTEM, sort="-updated_at")[0][:2] == [theirs.id, mine.id]
        assert copied(store) is not None
        same_everywhere(store, sorts=("-updated_at", "title"))
    assert full_reads == [], "both copies followed the writes from the rows they named, whichever process wrote"


def test_writers_in_both_processes_at_once_each_lead_listed_by_the_other_process_as_soon_as_it_is_saved(
        copy_store, beside):
    """Read-your-write across processes under concurrent writes: a lead saved through one process is in
    the very next list of the other, and at the end both copies agree with the engine."""
    copied(beside, wait=True)
    copied(copy_store, wait=True)
    stores, missed, errors = (copy_store, beside), [], []

    def writer(k: int) -> None:
        try:
            for i in range(6):
                mine, other = stores[(k + i) % 2], stores[(k + i + 1) % 2]
                title = f"并发 w{k} n{i}"
                lead = make_lead(mine, title=title, now=NOW + timedelta(minutes=k * 10 + i))
                if [found.id for found in list_leads(other, LeadQuery(q=title), actor=SYSTEM).items] != [lead.id]:
                    missed.append(title)
                if k % 2:
                    leads.update_lead(other, lead.id, {"priority": "C"}, actor=SYSTEM,
                                      now=NOW + timedelta(minutes=k * 10 + i, seconds=30), expected_version=None)
        except Exception as exc:  # noqa: BLE001  (reported below, with the thread's own message)
            errors.append(repr(exc))

    threads = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and missed == []
    for store in stores:
        assert copied(store) is not None
        same_everywhere(store, sorts=("-updated_at", "priority"))
