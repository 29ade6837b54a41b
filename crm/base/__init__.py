"""What every part of crm stands on: who is asking and what they may touch (access), versioned
records with their audit trail, list queries and pickers, reference checks, working days and the
clock, the short-lived name memory, posting a notice, and the scoring hooks. Serves every plan
section; imports nothing of crm but errors, policy and choices.
"""
