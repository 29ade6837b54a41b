"""Signed projects (重点项目库, 任务 9 全程推动外资项目落地; requirements P1, P4, I1–I4): projects
and their rules, capital inflows (实际到位外资), the plan's incentives (任务 5, 10), and the issues
firms raise after signing (任务 15 三送一访).
"""
