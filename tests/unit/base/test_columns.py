"""A copy of list columns patched with the rows writes changed answers exactly as one read afresh:
same totals, same pages, same places for cursors, however many values arrive between two others."""
import numpy as np
from hypothesis import given, settings, strategies as st

from crm.base import columns
from crm.base.columns import Column, Columns
from crm.base.keyset import Cursor
from crm.base.listing import Term

PROPS = ("stage", "amount")
stages = st.sampled_from(["a", "b", "c", "ba", "bb", "bab", None])
amounts = st.one_of(st.none(), st.integers(-5, 5))
row_ids = st.sampled_from([f"r{n:02d}" for n in range(12)])
change = st.tuples(row_ids, st.one_of(st.none(), st.tuples(stages, amounts)))  # None: the row is deleted

FILTERS = [[], [Term("stage", "=", "b")], [Term("stage", "IN", ["a", "bab"])], [Term("amount", "IS NULL")],
           [Term("stage", "CONTAINS", "b"), Term("amount", "IS NOT NULL")]]


def row(ident, values):
    return {"id": ident, "stage": values[0], "amount": values[1]}


def answers(copy):
    seen = []
    for terms in FILTERS:
        for prop in PROPS:
            for desc in (False, True):
                page = copy.page(terms, prop, desc, limit=50)
                seen.append((copy.count(terms), [(r["id"], r["k"]) for r in page]))
                for r in page[:3]:  # a cursor on each of the first rows lands where it should
                    seen.append([x["id"] for x in copy.page(terms, prop, desc, limit=4,
                                                           after=Cursor(f"{prop}", r["k"], r["id"]))])
                seen.append(copy.tally(terms, prop))
    return seen


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(row_ids, st.tuples(stages, amounts)), st.lists(st.lists(change, max_size=6), max_size=5))
def test_a_patched_copy_answers_as_a_copy_read_afresh(first, rounds):
    patch_and_compare(first, rounds)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(row_ids, st.tuples(stages, amounts)), st.lists(st.lists(change, max_size=6), max_size=5))
def test_it_answers_the_same_when_new_values_join_the_others_at_every_patch(first, rounds):
    """Values first seen in patches wait aside until there are more than EXTRA_AT_MOST; here, one."""
    kept = columns.EXTRA_AT_MOST
    columns.EXTRA_AT_MOST = 1
    try:
        patch_and_compare(first, rounds)
    finally:
        columns.EXTRA_AT_MOST = kept


def patch_and_compare(first, rounds):
    rows = {i: row(i, v) for i, v in first.items()}
    copy = Columns(list(rows.values()), PROPS, 0)
    for n, changes in enumerate(rounds, start=1):
        patch = {}
        for ident, values in changes:
            if values is None:
                rows.pop(ident, None)
                patch[ident] = None
            else:
                rows[ident] = patch[ident] = row(ident, values)
        copy = copy.patched(patch, n)
        assert answers(copy) == answers(Columns(list(rows.values()), PROPS, n))


def test_values_arriving_again_and_again_between_two_others_keep_their_order():
    copy = Columns([{"id": "lo", "stage": "a", "amount": 0}, {"id": "hi", "stage": "b", "amount": 0}], PROPS, 0)
    rows, text = {}, "a"
    for n in range(80):  # each new value sorts just above the last one: halving the gap 80 times
        text += "a"
        rows[f"m{n:02d}"] = {"id": f"m{n:02d}", "stage": text, "amount": n}
        copy = copy.patched({f"m{n:02d}": rows[f"m{n:02d}"]}, n + 1)
    listed = [r["id"] for r in copy.page([], "stage", False, limit=100)]
    assert listed == ["lo", *sorted(rows, key=lambda i: rows[i]["stage"]), "hi"]
    assert copy.count([Term("stage", "CONTAINS", "aaaa")]) == 78


def test_a_kept_sort_order_stays_right_when_new_values_force_a_column_to_be_numbered_afresh():
    """Each page keeps its sort order for the next patch; a renumbered column changes every row's key."""
    first = [{"id": "lo", "stage": "a", "amount": 0}, {"id": "hi", "stage": "b", "amount": 0},
             {"id": "mid", "stage": "ab", "amount": 1}]
    rows, copy, text = {r["id"]: r for r in first}, Columns(first, PROPS, 0), "a"
    for n in range(80):
        text += "a"
        rows[f"m{n:02d}"] = {"id": f"m{n:02d}", "stage": text, "amount": n}
        rows["mid"] = {"id": "mid", "stage": text + "b", "amount": n}  # an old row moves with them
        copy = copy.patched({f"m{n:02d}": rows[f"m{n:02d}"], "mid": rows["mid"]}, n + 1)
        for desc in (False, True):
            kept = [r["id"] for r in copy.page([], "stage", desc, limit=100)]
            assert kept == [r["id"] for r in Columns(list(rows.values()), PROPS, n + 1).page([], "stage", desc,
                                                                                          limit=100)], n


@settings(max_examples=150, deadline=None)
@given(st.lists(stages, min_size=1, max_size=10),
       st.lists(st.dictionaries(st.integers(0, 9), stages, max_size=4), max_size=6))
def test_a_patched_column_finds_and_sorts_as_one_made_afresh(first, rounds):
    """Searches kept from before a patch, and values waiting aside or joined to the others, answer alike."""
    kept = columns.EXTRA_AT_MOST
    columns.EXTRA_AT_MOST = 1
    try:
        values, column = list(first), Column.of(first)
        for patch in rounds:
            for text in ("b", "a"):
                column.where("CONTAINS", text)  # kept for the next column
            changed = {n % len(values): v for n, v in patch.items()}
            for n, v in changed.items():
                values[n] = v
            column = column.patched(np.array(sorted(changed), dtype=np.int64), [changed[n] for n in sorted(changed)],
                                    len(values))
            fresh = Column.of(values)
            for op, arg in (("CONTAINS", "b"), ("CONTAINS", "a"), ("=", "ba"), ("IN", ["a", "bab"]), ("IS NULL", None)):
                assert column.where(op, arg).tolist() == fresh.where(op, arg).tolist(), (op, arg)
            assert [column.value(c) for c in column.codes] == values
            assert sorted(range(len(values)), key=lambda n: (column.codes[n], n)) == sorted(
                range(len(values)), key=lambda n: (fresh.codes[n], n))
    finally:
        columns.EXTRA_AT_MOST = kept
