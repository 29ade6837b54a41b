"""/api/v1/companies: the enterprise library (企业库)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.library import companies, company_edits, presence
from web.api.common import IF_MATCH, actor, etag, expected_version, now, store
from web.schemas.companies import (CompanyCreateSchema, CompanyDetailSchema, CompanyListArgs, CompanySchema,
                                   CompanyUpdateSchema, PresenceEndSchema, PresenceEndedSchema)

blp = Blueprint("companies", __name__, url_prefix="/api/v1/companies",
                description="Companies: the enterprise library, local and foreign")


@blp.route("")
class Companies(MethodView):
    @blp.arguments(CompanyListArgs, location="query")
    @blp.response(200, CompanySchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """List companies, filtered (country, FG500, multinational, local, chain, link), searched, sorted, paged."""
        query = companies.CompanyQuery(**args, page=pagination_parameters.page,
                                       page_size=pagination_parameters.page_size)
        page = companies.list_companies(store(), query)
        pagination_parameters.item_count = page.total
        return page.items

    @blp.arguments(CompanyCreateSchema)
    @blp.response(201, CompanyDetailSchema)
    def post(self, data):
        """Add a company (staff and admins); a second entry under the same normalised name is refused."""
        company = company_edits.create_company(store(), data, actor=actor(), now=now())
        return company, 201, {**etag(company.version), "Location": f"/api/v1/companies/{company.id}"}


@blp.route("/<company_id>")
class CompanyById(MethodView):
    @blp.response(200, CompanyDetailSchema)
    def get(self, company_id):
        """One company with the links it makes, where it is present, its suppliers and customers."""
        company = companies.get_company(store(), company_id)
        return company, 200, etag(company.version)

    @blp.arguments(CompanyUpdateSchema)
    @blp.response(200, CompanyDetailSchema)
    @blp.doc(**IF_MATCH)
    def patch(self, data, company_id):
        """Edit fields and sets, or archive (`archived: true`); If-Match must carry the ETag last read."""
        company = company_edits.update_company(store(), company_id, data, actor=actor(), now=now(),
                                               expected_version=expected_version())
        return company, 200, etag(company.version)


@blp.route("/<company_id>/presence/<district_id>/end")
class PresenceEnd(MethodView):
    @blp.arguments(PresenceEndSchema)
    @blp.response(200, PresenceEndedSchema)
    def post(self, data, company_id, district_id):
        """End the company's presence in the district (exit, relocation, shutdown or sale) from `until`;
        the links it leaves without a local maker re-open as gaps from that day."""
        reopened = presence.end_presence(store(), company_id, district_id, until=data["until"],
                                         reason=data["reason"], actor=actor(), now=now())
        return {"company_id": company_id, "district_id": district_id, "reopened_links": reopened}


@blp.route("/<company_id>/presence/<district_id>/restore")
class PresenceRestore(MethodView):
    @blp.response(204)
    def post(self, company_id, district_id):
        """Undo a mistaken ending: the latest ended presence in the district holds again."""
        presence.restore_presence(store(), company_id, district_id, actor=actor(), now=now())
