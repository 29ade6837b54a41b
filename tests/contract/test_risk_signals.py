"""Risk signals staff record on a present firm (固链): dated, scoped to the firm's district,
corrected or archived with a version check; bad input is refused and leaves nothing. Both engines."""
from datetime import date

import pytest

from crm.base.access import SYSTEM, Actor
from crm.errors import Forbidden, NotFound, ValidationFailed
from crm.projects.risk_signals import get_signal, record_signal, signals_of, update_signal
from tests.factories import NOW, make_reference

CLOSURE = {"company_id": "changan", "district_id": "500157", "kind": "parent_closure",
           "signal_on": date(2026, 11, 2), "note": "母公司宣布关闭重庆工厂 <b>", "source": "公司公告"}
OFFICER = Actor(id="u-o", username="o", role="district_officer", districts=("500157",))
ELSEWHERE = Actor(id="u-e", username="e", role="district_officer", districts=("500106",))


def test_a_recorded_signal_is_dated_and_listed_newest_first(store):
    make_reference(store)
    record_signal(store, CLOSURE, actor=OFFICER, now=NOW)
    record_signal(store, {**CLOSURE, "kind": "lease_end", "signal_on": date(2027, 3, 31), "note": "租约到期"},
                  actor=SYSTEM, now=NOW)
    listed = signals_of(store, "changan")
    assert [(s.kind, s.signal_on) for s in listed] == [("lease_end", date(2027, 3, 31)),
                                                ("parent_closure", date(2026, 11, 2))]
    assert listed[1].note == "母公司宣布关闭重庆工厂 <b>" and listed[1].company_id == "changan"


@pytest.mark.parametrize("bad, field", [
    ({"kind": "rumour"}, "kind"), ({"signal_on": "2026-11-02"}, "signal_on"), ({"note": "x" * 2001}, "note"),
    ({"company_id": "catl"}, "company_id"), ({"colour": "red"}, "colour"), ({"kind": None}, "kind")])
def test_bad_input_is_refused_by_field_and_records_nothing(store, bad, field):
    make_reference(store)
    with pytest.raises(ValidationFailed) as exc:
        record_signal(store, {**CLOSURE, **bad}, actor=SYSTEM, now=NOW)
    assert field in exc.value.errors
    assert signals_of(store, bad.get("company_id", "changan")) == []


def test_another_districts_officer_can_neither_record_nor_see(store):
    make_reference(store)
    with pytest.raises(Forbidden):
        record_signal(store, CLOSURE, actor=ELSEWHERE, now=NOW)
    signal = record_signal(store, CLOSURE, actor=OFFICER, now=NOW)
    with pytest.raises(NotFound):
        get_signal(store, signal.id, actor=ELSEWHERE)


def test_correcting_and_archiving_check_the_version(store):
    make_reference(store)
    signal = record_signal(store, CLOSURE, actor=SYSTEM, now=NOW)
    with pytest.raises(ValidationFailed) as exc:
        update_signal(store, signal.id, {"signal_on": "soon", "company_id": "x"}, actor=SYSTEM, now=NOW,
                      expected_version=signal.version)
    assert set(exc.value.errors) == {"signal_on", "company_id"}
    moved = update_signal(store, signal.id, {"signal_on": date(2026, 11, 3)}, actor=SYSTEM, now=NOW,
                          expected_version=signal.version)
    assert (moved.signal_on, moved.version) == (date(2026, 11, 3), signal.version + 1)
    update_signal(store, signal.id, {"archived": True}, actor=SYSTEM, now=NOW, expected_version=moved.version)
    assert signals_of(store, "changan") == []
    assert len(signals_of(store, "changan", include_archived=True)) == 1
