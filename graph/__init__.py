"""Storage: the schema, the store port, the two engines and portable Cypher helpers.

This package knows nothing of leads or scores; crm/ and scoring/ build on it.
"""
