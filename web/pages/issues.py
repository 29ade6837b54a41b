"""Firm issues (任务 15 三送一访): every issue a reader may see, by status, district, owner, and the
ones still open past policy's limit, so a bureau works them to resolution from one list."""
from __future__ import annotations

from flask import render_template, request

from crm.base import pickers
from crm.base.clock import local_today
from crm.projects import firm_issues
from web.pages import blp
from web.pages.common import actor, now, store
from web.pages.listing import PAGE_SIZE, list_args, page_number, sort_key
from web.schemas.issues import IssueListArgs

DEFAULT_SORT = "-opened_on"
LIST_ARGS = IssueListArgs()


@blp.get("/issues", endpoint="issues")
def issue_list():
    me = actor()
    args, dropped = list_args(LIST_ARGS)
    args["sort"] = sort_key(args.get("sort", DEFAULT_SORT), firm_issues.SORTS, DEFAULT_SORT)
    today = local_today(now())
    late = firm_issues.overdue_since(today)
    overdue = request.args.get("overdue") == "1"
    query = firm_issues.IssueQuery(**args, opened_before=late if overdue else None, page=page_number(),
                                   page_size=PAGE_SIZE)
    only = list(me.districts) if me.role == "district_officer" else None
    return render_template("issues/list.html", page=firm_issues.list_issues(store(), query, actor=me), query=query,
                           dropped=dropped, overdue=overdue, late=late, owners=pickers.people(store()),
                           districts=pickers.districts(store(), today=today, only=only))
