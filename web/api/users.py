"""/api/v1/users, /api/v1/me and /api/v1/tokens: accounts (admins) and personal tokens (everyone)."""
from __future__ import annotations

from flask import session
from flask.views import MethodView
from flask_smorest import Blueprint

from crm.people import users
from crm.base.access import require_admin
from web.api.common import IF_MATCH, actor, etag, expected_version, now, store
from web.schemas.users import (NewTokenSchema, PasswordSchema, TokenCreateSchema, TokenSchema, UserCreateSchema,
                               UserSchema, UserUpdateSchema)

blp = Blueprint("users", __name__, url_prefix="/api/v1", description="Users, roles and personal API tokens")


@blp.route("/users")
class Users(MethodView):
    @blp.response(200, UserSchema(many=True))
    def get(self):
        """Everyone may list colleagues (to assign work); only admins see e-mail addresses."""
        people = users.list_users(store())
        if not actor().is_admin:
            for person in people:
                person.email = None
        return people

    @blp.arguments(UserCreateSchema)
    @blp.response(201, UserSchema)
    def post(self, data):
        created = users.create_user(store(), actor=actor(), now=now(), **data)
        return created, 201, etag(created.version)


@blp.route("/users/<user_id>")
class UserById(MethodView):
    @blp.response(200, UserSchema)
    def get(self, user_id):
        if user_id != actor().id:
            require_admin(actor(), "see other users' accounts")
        found = users.get_user(store(), user_id)
        return found, 200, etag(found.version)

    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    @blp.doc(**IF_MATCH)
    def patch(self, data, user_id):
        changed = users.update_user(store(), user_id, data, actor=actor(), now=now(),
                                    expected_version=expected_version())
        return changed, 200, etag(changed.version)


@blp.route("/users/<user_id>/password")
class Password(MethodView):
    @blp.arguments(PasswordSchema)
    @blp.response(204)
    def post(self, data, user_id):
        users.set_password(store(), user_id, data["password"], actor=actor(), now=now(),
                           current=data.get("current_password"), keep_session=session.get("sid"))


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, UserSchema)
    def get(self):
        return users.get_user(store(), actor().id)


@blp.route("/tokens")
class Tokens(MethodView):
    @blp.response(200, TokenSchema(many=True))
    def get(self):
        return users.list_tokens(store(), actor().id)

    @blp.arguments(TokenCreateSchema)
    @blp.response(201, NewTokenSchema)
    def post(self, data):
        plain, token = users.create_token(store(), actor().id, data["name"], actor=actor(), now=now())
        return {**token.__dict__, "token": plain}


@blp.route("/tokens/<token_id>")
class TokenById(MethodView):
    @blp.response(204)
    def delete(self, token_id):
        users.revoke_token(store(), token_id, actor=actor(), now=now())
