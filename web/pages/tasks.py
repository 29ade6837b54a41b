"""Tasks (requirements P3, M3): my open tasks, overdue first, each completed with a short form.

Open tasks sort by due day, so the overdue ones (due before today) come first by themselves;
staff and admins may also look at everyone's. Completing posts here from the task list or from
an event's checklist and returns to where it came from.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.events import tasks
from crm.base.clock import local_today
from crm.events.summary import task_titles
from web.pages import blp
from web.pages.common import actor, attempt, now, safe_next, store
from web.pages.forms import FormData
from web.pages.listing import PAGE_SIZE, page_number

RECENT = 10


@blp.get("/tasks", endpoint="tasks")
def task_list():
    me = actor()
    everyone = request.args.get("who") == "all"
    query = tasks.TaskQuery(mine=not everyone, status=["open"], sort="due_on", page=page_number(),
                            page_size=PAGE_SIZE)
    open_tasks = tasks.list_tasks(store(), query, actor=me, now=now())
    done = tasks.list_tasks(store(), tasks.TaskQuery(mine=not everyone, status=["done"], sort="-updated_at",
                                                     page_size=RECENT), actor=me, now=now())
    return render_template("tasks/list.html", page=open_tasks, done=done.items, everyone=everyone,
                           titles=task_titles(), today=local_today(now()),
                           may={t.id: tasks.may_change(me, t) for t in open_tasks.items})


@blp.post("/tasks/<task_id>/complete")
def complete_task(task_id: str):
    """Mark a task done (its notes optional); a task someone else changed meanwhile is refused."""
    form = FormData(request.form)
    version = form.version()
    back = safe_next(form.text("next"), url_for("pages.tasks"))
    data = {"notes": form.text("notes")} if form.text("notes") else {}
    done, errors = attempt(lambda: tasks.complete_task(store(), task_id, data, actor=actor(), now=now(),
                                                       expected_version=version), form.errors)
    if done is None:
        for message in [m for messages in errors.values() for m in messages]:
            flash(message, "error")
    else:
        flash(_("Task completed: %(title)s", title=done.title), "success")
    return redirect(back)
