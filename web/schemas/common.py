"""Fields and bases the resource schemas share."""
from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, pre_load, validate

from crm.base.text import problems_in
from crm.choices import Choices


class Strict(Schema):
    """Unknown fields are an error (422), not silently dropped; text that cannot be stored is refused."""

    class Meta:
        ordered = True

    @pre_load
    def storable_text(self, data: Any, **_: Any) -> Any:
        found = problems_in(data)
        if found:
            raise ValidationError(found)
        return data


def choice(choices: Choices, **kwargs) -> fields.String:
    return fields.String(validate=validate.OneOf(choices.values), metadata={"enum": choices.values}, **kwargs)


def usd(**kwargs) -> fields.Integer:
    kwargs.setdefault("strict", True)
    return fields.Integer(validate=validate.Range(min=0, max=10**13), metadata={"description": "whole US dollars"},
                          **kwargs)


def text(max_length: int, **kwargs) -> fields.String:
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def ident(**kwargs) -> fields.String:
    return fields.String(validate=validate.Length(min=1, max=100), **kwargs)


class ListArgs(Strict):
    q = text(100, metadata={"description": "Search in Chinese and English names"})
    sort = text(40)
    archived = fields.Boolean(load_default=False)
