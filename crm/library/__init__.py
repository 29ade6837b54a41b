"""The enterprise library (外资企业库, 任务 9 靶向招商; requirements C1, C3): companies and their
contacts, corrections to them, the reference data every role reads (districts with their history,
chains and their links), and loading them: the seed files and the CSV/XLSX imports.
"""
