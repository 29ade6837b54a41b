"""Follow-ups (任务 9, 15; requirements P2): scheduling them by the policy's cadence on working
days, completing them, reminding owners, and escalating what is overdue (四（四）).
"""
