"""The pipeline as a kanban: one column per stage, cards moved by the same rules as the API.

The board reads the lead list's own query (crm/pipeline/board.py), so its filters are the
list's. Dragging a card calls the API (kanban.js); without JavaScript every card carries a
small form listing the moves crm.pipeline.stages allows from its stage.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, request

from crm.pipeline import board as lead_board, leads
from crm.base.access import can_write
from crm.choices import LEAD_STAGES, Choice
from crm.pipeline.stages import allowed_moves
from web.pages import blp
from web.pages.common import actor, store
from web.pages.leads import filter_options, lead_query

CARDS_PER_COLUMN = 20


@dataclass
class Card:
    lead: leads.Lead
    moves: list[str]


@dataclass
class Column:
    stage: Choice
    cards: list[Card]
    total: int


@blp.get("/leads/kanban", endpoint="kanban")
def kanban():
    me = actor()
    query, dropped = lead_query(page=1)
    columns = [Column(LEAD_STAGES[c.stage],
                      [Card(lead, allowed_moves(lead.stage, dropped_from=lead.dropped_from)
                            if can_write(me, lead.scope) else []) for lead in c.leads], c.total)
               for c in lead_board.board(store(), query, actor=me, per_stage=CARDS_PER_COLUMN)]
    return render_template("leads/kanban.html", columns=columns, query=query, dropped=dropped,
                           here=request.full_path.rstrip("?"), list_args=_list_args(), **filter_options())


def _list_args() -> dict[str, str]:
    """The board's filters, for the link from a full column to the list."""
    return {k: v for k, v in request.args.items() if k not in ("stage", "page")}
