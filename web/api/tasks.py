"""/api/v1/tasks: event checklist tasks with owners and due days."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.events import tasks
from web.api.common import IF_MATCH, actor, etag, expected_version, now, store
from web.schemas.tasks import TaskCompleteSchema, TaskListArgs, TaskSchema, TaskUpdateSchema

blp = Blueprint("tasks", __name__, url_prefix="/api/v1/tasks", description="Tasks of event checklists")


@blp.route("")
class Tasks(MethodView):
    @blp.arguments(TaskListArgs, location="query")
    @blp.response(200, TaskSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """List tasks, filtered (event, owner, status, due days, overdue) and paged."""
        query = tasks.TaskQuery(**args, page=pagination_parameters.page, page_size=pagination_parameters.page_size)
        page = tasks.list_tasks(store(), query, actor=actor(), now=now())
        pagination_parameters.item_count = page.total
        return page.items


@blp.route("/<task_id>")
class TaskById(MethodView):
    @blp.response(200, TaskSchema)
    def get(self, task_id):
        task = tasks.get_task(store(), task_id, actor=actor(), now=now())
        return task, 200, etag(task.version)

    @blp.arguments(TaskUpdateSchema)
    @blp.response(200, TaskSchema)
    @blp.doc(**IF_MATCH)
    def patch(self, data, task_id):
        """Edit, reschedule, reassign, cancel or re-open; If-Match must carry the ETag last read."""
        task = tasks.update_task(store(), task_id, data, actor=actor(), now=now(), expected_version=expected_version())
        return task, 200, etag(task.version)


@blp.route("/<task_id>/complete")
class TaskComplete(MethodView):
    @blp.arguments(TaskCompleteSchema)
    @blp.response(200, TaskSchema)
    @blp.doc(**IF_MATCH)
    def post(self, data, task_id):
        """Mark the task done."""
        task = tasks.complete_task(store(), task_id, data, actor=actor(), now=now(),
                                   expected_version=expected_version())
        return task, 200, etag(task.version)
