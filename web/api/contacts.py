"""/api/v1/contacts: people at companies."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from crm.library import contacts
from web.api.common import IF_MATCH, actor, etag, expected_version, now, store
from web.schemas.contacts import ContactCreateSchema, ContactListArgs, ContactSchema, ContactUpdateSchema

blp = Blueprint("contacts", __name__, url_prefix="/api/v1/contacts", description="Contacts at companies")


@blp.route("")
class Contacts(MethodView):
    @blp.arguments(ContactListArgs, location="query")
    @blp.response(200, ContactSchema(many=True))
    @blp.paginate(page_size=50, max_page_size=200)
    def get(self, args, pagination_parameters):
        """List contacts, by company, searched by name, title, e-mail or company name."""
        query = contacts.ContactQuery(**args, page=pagination_parameters.page,
                                      page_size=pagination_parameters.page_size)
        page = contacts.list_contacts(store(), query)
        pagination_parameters.item_count = page.total
        return page.items

    @blp.arguments(ContactCreateSchema)
    @blp.response(201, ContactSchema)
    def post(self, data):
        contact = contacts.create_contact(store(), data, actor=actor(), now=now())
        return contact, 201, {**etag(contact.version), "Location": f"/api/v1/contacts/{contact.id}"}


@blp.route("/<contact_id>")
class ContactById(MethodView):
    @blp.response(200, ContactSchema)
    def get(self, contact_id):
        contact = contacts.get_contact(store(), contact_id)
        return contact, 200, etag(contact.version)

    @blp.arguments(ContactUpdateSchema)
    @blp.response(200, ContactSchema)
    @blp.doc(**IF_MATCH)
    def patch(self, data, contact_id):
        """Edit, move to another company, or archive (`archived: true`); If-Match must carry the ETag last read."""
        contact = contacts.update_contact(store(), contact_id, data, actor=actor(), now=now(),
                                          expected_version=expected_version())
        return contact, 200, etag(contact.version)
