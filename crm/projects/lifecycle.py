"""A project's stages as the plan tracks them (任务 9 全程推动外资项目落地): 签约 → 注册 → 开工 → 竣工投产 →
达产, or withdrawn. Moves follow the rules here; reaching the landing stage records the investor's
local presence (crm/projects/landing.py), so the gap map moves when the bureau wins.

The order and the landing stage are policy's (`projects`). Forward moves may skip stages (a firm
can register and break ground the same week); a move back, or a withdrawal, needs a reason. The
day of a move is a fact that happened: not in the future, not before signing or the current stage.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crm.base import records
from crm.base.access import Actor, can_write, require
from crm.base.clock import local_today
from crm.choices import PROJECT_STAGES
from crm.errors import InvalidTransition, ValidationFailed
from crm.policy import section
from crm.projects.landing import land
from crm.projects.projects import Project, fetch, get_project
from crm.projects.rules import REACHED

WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Lifecycle:
    order: tuple[str, ...]
    landing_stage: str

    @classmethod
    def from_policy(cls, policy: dict[str, Any] | None = None) -> "Lifecycle":
        raw = section("projects", policy)
        order = tuple(raw.get("lifecycle") or ())
        landing = str(raw.get("landing_stage") or "")
        if not order or any(s not in PROJECT_STAGES for s in order) or landing not in order:
            raise ValidationFailed({"policy": ["projects.lifecycle must list known stages and include "
                                               "projects.landing_stage"]})
        return cls(order, landing)

    def lands(self, stage: str) -> bool:
        return stage in self.order and self.order.index(stage) >= self.order.index(self.landing_stage)


def check_move(project: Project, to: str, on: date | None, reason: str | None, *, today: date,
               lifecycle: Lifecycle) -> dict[str, list[str]]:
    """Field messages for moving the project to `to` on day `on` (empty when the move is allowed)."""
    errors: dict[str, list[str]] = {}
    stages = (*lifecycle.order, WITHDRAWN)
    if to not in stages:
        return {"to": [f"must be one of {', '.join(stages)}"]}
    current = project.stage or lifecycle.order[0]
    if to == current:
        errors["to"] = [f"the project is already {to}"]
    back = to != WITHDRAWN and current in lifecycle.order and lifecycle.order.index(to) < lifecycle.order.index(current)
    if (back or to == WITHDRAWN or current == WITHDRAWN) and not (reason or "").strip():
        errors["reason"] = ["a move back, a withdrawal or a return from it needs a reason"]
    if on is None:
        errors["on"] = ["required"]
    elif on > today:
        errors["on"] = [f"cannot be in the future (today is {today.isoformat()} in Chongqing)"]
    elif project.signed_on is not None and on < project.signed_on:
        errors["on"] = [f"cannot be before the signing ({project.signed_on.isoformat()})"]
    elif not back and project.stage_on is not None and on < project.stage_on:
        errors["on"] = [f"cannot be before the current stage began ({project.stage_on.isoformat()})"]
    return errors


def reached_days(project: Project, to: str, on: date, lifecycle: Lifecycle) -> dict[str, Any]:
    """The actual days a move writes: the stage reached (and any it skipped) on `on`; a move back
    clears the days of the stages it undoes; a withdrawal is dated, a return from it undated."""
    if to == WITHDRAWN:
        return {"withdrawn_on": on}
    out: dict[str, Any] = {"withdrawn_on": None} if project.withdrawn_on is not None else {}
    at = lifecycle.order.index(to)
    for i, stage in enumerate(lifecycle.order):
        if stage not in REACHED:
            continue
        if i <= at and getattr(project, REACHED[stage]) is None:
            out[REACHED[stage]] = on
        elif i > at and getattr(project, REACHED[stage]) is not None:
            out[REACHED[stage]] = None
    return out


def move_project(store: Any, project_id: str, to: str, *, on: date | None, reason: str | None, actor: Actor,
                 now: datetime, expected_version: int | None, policy: dict[str, Any] | None = None) -> Project:
    """Move the project to a stage; the first arrival at the landing stage records the landing."""
    lifecycle = Lifecycle.from_policy(policy)
    project = get_project(store, project_id, actor=actor)
    require(can_write(actor, project.scope), "change this project's stage")
    errors = check_move(project, to, on, reason, today=local_today(now), lifecycle=lifecycle)
    if "to" in errors and len(errors) == 1 and errors["to"][0].startswith("the project is already"):
        raise InvalidTransition(errors["to"][0])
    if errors:
        raise ValidationFailed(errors)
    assert on is not None

    def work(tx: Any) -> None:
        fields: dict[str, Any] = {"stage": to, "stage_on": on, **reached_days(project, to, on, lifecycle)}
        if lifecycle.lands(to) and project.landed_on is None:
            fields["landed_on"] = on
        records.update(tx, "Project", project_id, fields, actor=actor, now=now, expected_version=expected_version,
                       action="stage", extra_audit={"reason": (None, (reason or "").strip() or None)})
        if "landed_on" in fields:
            land(tx, project, on=on, actor=actor, now=now)

    store.transaction(work)
    return fetch(store, project_id)
