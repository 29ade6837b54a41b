"""The leads pipeline (任务 6, 7, 9; requirements P1, P5): leads, their stages and the rules
between them, the pool of unowned leads and how leads are placed and assigned, and the kanban board.
"""
