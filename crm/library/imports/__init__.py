"""Importing a bureau's own companies and chains (and the seeds) from CSV or XLSX files.

The steps are separate so the web upload can reuse them: `table` reads a file into rows of
text, `companies`/`chains` validate rows into records and problems (pure), `matching` decides
which stored company each row is (pure), `writing` puts the result into the store, and `run`
strings them together with timings.
"""
