"""District and chain shapes for the API (read-only reference data)."""
from __future__ import annotations

from marshmallow import fields

from web.schemas.common import Strict, text


class DistrictSchema(Strict):
    id = fields.String(metadata={"description": "Six-digit division code"})
    name_zh = fields.String(allow_none=True)
    name_en = fields.String(allow_none=True)
    kind = fields.String(allow_none=True)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    valid_from = fields.Date(allow_none=True)
    valid_to = fields.Date(allow_none=True)
    current = fields.Boolean()
    successor_id = fields.String(allow_none=True)
    successor_name_zh = fields.String(allow_none=True)
    successor_name_en = fields.String(allow_none=True)
    succeeded_on = fields.Date(allow_none=True)
    predecessor_ids = fields.List(fields.String())
    spans = fields.List(fields.String(), metadata={"description": "Divisions a management zone covers"})
    focus_chain_ids = fields.List(fields.String())
    company_count = fields.Integer(metadata={"description": "Companies present in it"})


class DistrictListArgs(Strict):
    q = text(100, metadata={"description": "Search in Chinese and English names"})
    kind = text(40)
    history = fields.Boolean(data_key="all", load_default=False,
                             metadata={"description": "Include abolished divisions (with valid_to and successor)"})


class ChainLinkSchema(Strict):
    id = fields.String()
    name_zh = fields.String(allow_none=True)
    name_en = fields.String(allow_none=True)
    segment = fields.String(allow_none=True)
    position = fields.Integer(allow_none=True)
    high_tech = fields.Boolean()
    in_focus = fields.Boolean()
    makers = fields.Integer(metadata={"description": "Companies that make it, anywhere"})
    local_makers = fields.Integer(metadata={"description": "Of those, companies present in Chongqing"})


class FeedSchema(Strict):
    from_id = fields.String(metadata={"description": "Upstream link"})
    to_id = fields.String(metadata={"description": "Downstream link"})
    from_chain_id = fields.String(allow_none=True)
    to_chain_id = fields.String(allow_none=True)


class ChainSchema(Strict):
    id = fields.String()
    name_zh = fields.String(allow_none=True)
    name_en = fields.String(allow_none=True)
    cluster_zh = fields.String(allow_none=True)
    tier = fields.String(allow_none=True)
    link_count = fields.Integer()
    covered_links = fields.Integer(metadata={"description": "Links some local company makes"})
    makers = fields.Integer()
    local_makers = fields.Integer()


class ChainDetailSchema(ChainSchema):
    links = fields.List(fields.Nested(ChainLinkSchema))
    feeds = fields.List(fields.Nested(FeedSchema), metadata={"description": "FEEDS edges touching the chain"})


class ChainListArgs(Strict):
    q = text(100, metadata={"description": "Search in Chinese and English names"})
