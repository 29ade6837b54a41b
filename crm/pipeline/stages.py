"""The pipeline's rules: which stage may follow which. Pure; the clock and store are elsewhere.

Leads move forward one stage at a time (identified → contacted → visited → negotiating →
signed), may step back one stage to undo a mistake, may be dropped from any open stage with a
reason, and a dropped lead may be re-opened at the stage it was dropped from or earlier.
A signed lead has become a project and stays signed.
"""
from __future__ import annotations

from crm.choices import LEAD_STAGES
from crm.errors import InvalidTransition

OPEN_STAGES = ("identified", "contacted", "visited", "negotiating")
ORDER = OPEN_STAGES + ("signed",)


def _label(stage: str) -> str:
    return f"{LEAD_STAGES.label(stage, 'zh')} ({stage})"


def check_transition(current: str, to: str, *, reason: str | None = None,
                     dropped_from: str | None = None) -> None:
    """Raise InvalidTransition, with a message for the user, unless current → to is allowed."""
    if to not in LEAD_STAGES:
        raise InvalidTransition(f"unknown stage {to!r}")
    if to == current:
        raise InvalidTransition(f"the lead is already {_label(to)}")
    if current == "signed":
        raise InvalidTransition("a signed lead has become a project and cannot change stage")
    if to == "dropped":
        if not (reason or "").strip():
            raise InvalidTransition("dropping a lead needs a reason")
        return
    if current == "dropped":
        limit = ORDER.index(dropped_from) if dropped_from in OPEN_STAGES else 0
        if to == "signed" or ORDER.index(to) > limit:
            raise InvalidTransition(
                f"a dropped lead re-opens at {_label(dropped_from or 'identified')} or an earlier stage")
        return
    step = ORDER.index(to) - ORDER.index(current)
    if step == 1 or step == -1:
        return
    if step > 1:
        raise InvalidTransition(
            f"cannot skip from {_label(current)} to {_label(to)}: next is {_label(ORDER[ORDER.index(current) + 1])}")
    raise InvalidTransition(f"cannot go back from {_label(current)} to {_label(to)}: one stage at a time")


def allowed_moves(current: str, *, dropped_from: str | None = None) -> list[str]:
    """The stages a user may pick next (for the kanban and the stage menu)."""
    out = []
    for to in LEAD_STAGES.values:
        try:
            check_transition(current, to, reason="x", dropped_from=dropped_from)
        except InvalidTransition:
            continue
        out.append(to)
    return out
