"""When a dated relationship holds (MAKES, PRESENT_IN): one Cypher fragment for every reader.

`since` is the first day the fact holds (NULL: since before records began) and `until` the first
day it no longer does (NULL: it still holds), so a fact holds on day D when
(since IS NULL OR since <= D) AND (until IS NULL OR until > D). Today is just one such day: the
gap analysis, the ranking, the maps and the report all pass theirs as `$as_of`.
"""
from __future__ import annotations


def holds(var: str, day: str = "$as_of") -> str:
    """The condition that relationship `var` holds on the day in parameter (or expression) `day`."""
    return f"({var}.since IS NULL OR {var}.since <= {day}) AND ({var}.until IS NULL OR {var}.until > {day})"


def present(company: str, day: str = "$as_of") -> str:
    """The condition that `company` has a presence in some Chongqing district on `day` (it is local)."""
    rel = f"{company}_in"  # named after the company, so conditions on several companies never share a name
    return f"EXISTS {{ MATCH ({company})-[{rel}:PRESENT_IN]->(:District) WHERE {holds(rel, day)} }}"
