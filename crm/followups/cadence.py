"""Follow-up cadence (任务 9 全程推动外资项目落地; requirements P2): when the next follow-up falls due.

A pure rule over the `cadence:` section of seeds/policy.yaml: working days by the lead's stage
and priority (a signed project on its own interval, 任务 15 三送一访), counted on Chinese working
days from today and due at the policy hour. Stages with no cadence (signed, dropped) get none.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crm.errors import ValidationFailed
from crm.policy import section
from crm.base.workdays import WorkCalendar, calendar, due_in


@dataclass(frozen=True)
class Cadence:
    lead: dict[str, dict[str, int]]
    project: int
    next_kind: dict[str, str]

    @classmethod
    def from_policy(cls, policy: dict[str, Any] | None = None) -> "Cadence":
        data = section("cadence", policy)
        errors: list[str] = []
        lead: dict[str, dict[str, int]] = {}
        for stage, by_priority in (data.get("lead") or {}).items():
            lead[stage] = {}
            for priority, days in (by_priority or {}).items():
                if not isinstance(days, int) or isinstance(days, bool) or days < 1:
                    errors.append(f"lead.{stage}.{priority} must be a whole number of working days, 1 or more")
                lead[stage][str(priority)] = days
        project = data.get("project")
        if not isinstance(project, int) or isinstance(project, bool) or project < 1:
            errors.append("project must be a whole number of working days, 1 or more")
        if errors:
            raise ValidationFailed({"cadence": errors})
        kinds = {"lead": "call", "project": "service_visit"} | dict(data.get("next_kind") or {})
        return cls(lead, int(project or 0), kinds)

    def working_days(self, *, stage: str | None = None, priority: str | None = None,
                     project: bool = False) -> int | None:
        """Working days to the next follow-up, or None when the record needs no more (signed, dropped)."""
        if project:
            return self.project
        by_priority = self.lead.get(stage or "")
        if not by_priority:
            return None
        return by_priority.get(priority or "B", max(by_priority.values()))


def next_due(now: datetime, *, stage: str | None = None, priority: str | None = None, project: bool = False,
             cadence: Cadence | None = None, cal: WorkCalendar | None = None) -> datetime | None:
    """When the next follow-up falls due after one completed at `now` (aware UTC), or None.

    >>> from datetime import timezone
    >>> friday = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)       # 10:00 in Chongqing
    >>> cad = Cadence({"negotiating": {"A": 7}}, 20, {})
    >>> next_due(friday, stage="negotiating", priority="A", cadence=cad).isoformat()
    '2026-12-01T01:00:00+00:00'
    """
    cadence = cadence or Cadence.from_policy()
    days = cadence.working_days(stage=stage, priority=priority, project=project)
    return None if days is None else due_in(now, days, cal or calendar())
