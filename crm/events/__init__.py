"""Roadshows and expos (任务 6; requirements P3): events, their target lists and tasks, what
each event brought in (attribution), and an event's summary.
"""
