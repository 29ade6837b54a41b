"""Running ChainLead: scheduled jobs and their locks in the store, backups, schema migrations,
and the store overview for the administrator.
"""
