"""Marshmallow schemas: the API's shapes, validated on the way in, documented in OpenAPI."""
