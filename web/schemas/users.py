"""User and token shapes for the API."""
from __future__ import annotations

from marshmallow import fields, validate

from crm.choices import ROLES
from web.schemas.common import Strict, choice, text


class UserSchema(Strict):
    id = fields.String()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    email = fields.String(allow_none=True)
    locale = fields.String()
    active = fields.Boolean()
    districts = fields.List(fields.String())
    chains = fields.List(fields.String())
    last_login_at = fields.DateTime(allow_none=True)
    version = fields.Integer()


class UserCreateSchema(Strict):
    username = text(64, required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8, max=200))
    role = choice(ROLES, required=True)
    display_name = text(100)
    email = fields.Email(allow_none=True)
    locale = fields.String(validate=validate.OneOf(["zh", "en"]))
    districts = fields.List(fields.String(validate=validate.Length(max=20)))
    chains = fields.List(fields.String(validate=validate.Length(max=60)))


class UserUpdateSchema(Strict):
    role = choice(ROLES)
    display_name = text(100)
    email = fields.Email(allow_none=True)
    locale = fields.String(validate=validate.OneOf(["zh", "en"]))
    active = fields.Boolean()
    districts = fields.List(fields.String(validate=validate.Length(max=20)))
    chains = fields.List(fields.String(validate=validate.Length(max=60)))


class PasswordSchema(Strict):
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8, max=200))
    current_password = fields.String(load_only=True, validate=validate.Length(max=200), metadata={
        "description": "Needed to change one's own password (an admin resetting another user's needs none)"})


class TokenSchema(Strict):
    id = fields.String()
    name = fields.String()
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked = fields.Boolean()


class NewTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "The token itself: shown this once, stored only as a hash."})


class TokenCreateSchema(Strict):
    name = text(100, required=True)
