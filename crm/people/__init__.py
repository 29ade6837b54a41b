"""Who works in ChainLead (四、保障措施; requirements M3): users and their roles, logging in,
which records a reader may open (visibility), the audit trail read back, and notes on records.
"""
