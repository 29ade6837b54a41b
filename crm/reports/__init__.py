"""The weekly promotion report 招商周报 (requirements M2, T4; plan 四（四）): figures for a week
computed from the store, stored frozen, rendered as HTML, Word and Excel (docs/report.md).

`generate` and `scheduled_report` are the entry points; crm/ops/jobs.py schedules the latter.
"""
from crm.reports.service import build, generate, generate_recent, may_generate, scheduled_report
from crm.reports.store import Report, exists, get, list_reports
from crm.reports.weeks import Week

__all__ = ["Report", "Week", "build", "exists", "generate", "generate_recent", "get", "list_reports", "may_generate",
           "scheduled_report"]
