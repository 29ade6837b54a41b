"""Where a notification's or an e-mail's link lands: a follow-up or a task opens the page it lives on.

Notices name the record they are about (`/followups/<id>`, `/tasks/<id>`); neither has a page of its
own, so the link opens its lead, project or event with that item in view. Read access is the
record's: one the reader may not open is "not found", as everywhere.
"""
from __future__ import annotations

from flask import redirect, url_for

from crm.events import tasks
from crm.followups import followups
from web.pages import blp
from web.pages.common import actor, now, store


@blp.get("/followups/<followup_id>")
def followup(followup_id: str):
    item = followups.get_followup(store(), followup_id, actor=actor(), now=now())
    anchor = f"fu-{item.id}" if item.status == "open" else ("timeline" if item.lead_id else "followups")
    if item.lead_id:
        return redirect(url_for("pages.lead", lead_id=item.lead_id, _anchor=anchor))
    return redirect(url_for("pages.project", project_id=item.project_id, _anchor=f"fu-{item.id}"))


@blp.get("/tasks/<task_id>")
def task(task_id: str):
    item = tasks.get_task(store(), task_id, actor=actor(), now=now())
    if item.event_id:
        return redirect(url_for("pages.event", event_id=item.event_id, _anchor=f"task-{item.id}"))
    return redirect(url_for("pages.tasks", who="all", _anchor=f"task-{item.id}"))
