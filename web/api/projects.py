"""/api/v1/projects: the key-project library (重点项目库) and each project's incentives."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.base.clock import local_today
from crm.projects import inflows, landing, lifecycle, projects, stalls
from web.api.common import IF_MATCH, actor, etag, expected_version, now, store
from web.schemas.projects import (GapChangeSchema, ProjectCreateSchema, ProjectListArgs, ProjectSchema,
                                  ProjectStageMoveSchema, ProjectUpdateSchema, StallSchema, YearRewardSchema)

blp = Blueprint("projects", __name__, url_prefix="/api/v1/projects",
                description="Projects: signed investments, capital increases and their incentives")


@blp.route("")
class Projects(MethodView):
    @blp.arguments(ProjectListArgs, location="query")
    @blp.response(200, ProjectSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """List projects the caller may see, filtered, searched, sorted and paged."""
        query = projects.ProjectQuery(**args, page=pagination_parameters.page,
                                      page_size=pagination_parameters.page_size)
        page = projects.list_projects(store(), query, actor=actor())
        pagination_parameters.item_count = page.total
        return page.items

    @blp.arguments(ProjectCreateSchema)
    @blp.response(201, ProjectSchema)
    def post(self, data):
        """Enter a project directly (e.g. a capital increase by a firm already here)."""
        project = projects.create_project(store(), data, actor=actor(), now=now())
        return project, 201, {**etag(project.version), "Location": f"/api/v1/projects/{project.id}"}


@blp.route("/<project_id>")
class ProjectById(MethodView):
    @blp.response(200, ProjectSchema)
    def get(self, project_id):
        project = projects.get_project(store(), project_id, actor=actor())
        return project, 200, etag(project.version)

    @blp.arguments(ProjectUpdateSchema)
    @blp.response(200, ProjectSchema)
    @blp.doc(**IF_MATCH)
    def patch(self, data, project_id):
        """Edit fields and references, or archive (`archived: true`); If-Match must carry the ETag last read."""
        project = projects.update_project(store(), project_id, data, actor=actor(), now=now(),
                                          expected_version=expected_version())
        return project, 200, etag(project.version)


@blp.route("/<project_id>/stage")
class ProjectStage(MethodView):
    @blp.arguments(ProjectStageMoveSchema)
    @blp.response(200, ProjectSchema)
    @blp.doc(**IF_MATCH)
    def post(self, data, project_id):
        """Move the project through 签约 → 注册 → 开工 → 竣工投产 → 达产 (or withdraw it); reaching the landing
        stage records the investor's presence and the link it makes, and closes the link's gap."""
        project = lifecycle.move_project(store(), project_id, data["to"], on=data["on"], reason=data.get("reason"),
                                         actor=actor(), now=now(), expected_version=expected_version())
        return project, 200, etag(project.version)


@blp.route("/<project_id>/stalls")
class ProjectStalls(MethodView):
    @blp.response(200, StallSchema(many=True))
    def get(self, project_id):
        """Why the project is stalled today by policy's rules (projects.stall), each with its first day; empty
        when it is not."""
        return stalls.stalls_of(store(), projects.get_project(store(), project_id, actor=actor()),
                                day=local_today(now()))


@blp.route("/<project_id>/gap-changes")
class ProjectGapChanges(MethodView):
    @blp.response(200, GapChangeSchema(many=True))
    def get(self, project_id):
        """The chain gaps this project's landing closed, with their days."""
        projects.get_project(store(), project_id, actor=actor())
        return landing.gap_changes(store(), project_id=project_id)


@blp.route("/<project_id>/incentives")
class ProjectIncentives(MethodView):
    @blp.response(200, YearRewardSchema(many=True))
    def get(self, project_id):
        """The plan's rewards (任务 10 capital, 任务 5 R&D centre) per year, with the reasons for each figure."""
        return inflows.rewards(store(), project_id, actor=actor())
