"""Errors raised by the store, engine-neutral so callers never see driver exceptions."""


class StoreError(Exception):
    """Base of every store error."""


class StoreUnavailable(StoreError):
    """The store cannot be reached now (server down, timeout); retrying later may work."""


class StorageFailing(StoreUnavailable):
    """The disk under the store is full or failing: writes are refused until the store is known good
    (on the embedded engine: space freed and the app restarted, which replays the log)."""


class StoreLocked(StoreError):
    """Another process holds the embedded database file for writing."""


class SchemaMismatch(StoreError):
    """The store's schema version is not the one this code was written for (migrate, or upgrade)."""


class SchemaError(StoreError):
    """A write or query does not fit the declared schema (unknown label, property or type)."""


class ConstraintViolation(StoreError):
    """A write broke a uniqueness constraint (a key that already exists)."""


class QueryError(StoreError):
    """The engine rejected a query (syntax, binding); a programming error, not bad user input."""
