"""The service tasks an active assignment makes: one per planned service of its revision.

A plan task is a service task like any other (due engine, notifications, completion, history);
it also names the plan, planned service, revision and provider it carries out (``plan``), and
its first occurrence is placed on the plan's grid (shared/domain/plans.py).
"""

from dataclasses import replace
from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import task_items
from shared.data.tasks_repo import Context
from shared.domain.due import Position
from shared.domain.plans import at_activation, first_occurrence, task_conditions
from shared.faults import FieldIssue, Invalid
from shared.ids import new_child_id
from shared.services.task_engine import occurrence_to_dict, position_from_dict
from shared.services.task_rules import MAX_OPEN_TASKS, NEEDS, in_future
from shared.services.task_transactions import time_zone


def _fits(services: list[dict[str, Any]], asset: dict[str, Any], field: str) -> None:
    """Every meter the plan counts on is one the asset has, else no task could ever fall due."""
    for kind, need in NEEDS.items():
        if any(kind in service["conditions"] for service in services) and need.meter not in asset.get(
            "meters", []
        ):
            reason = (
                f"the plan has {need.condition} and the asset has no {need.device}; "
                "add the meter to the asset first"
            )
            raise Invalid(need.code, reason, [FieldIssue(field, reason)])


def _room(context: Context, adding: int, field: str) -> None:
    open_tasks = sum(1 for task in context.tasks if task["state"] == "open")
    if open_tasks + adding > MAX_OPEN_TASKS:
        reason = (
            f"the asset has {open_tasks} open tasks and the plan adds {adding}; "
            f"{MAX_OPEN_TASKS} is the most an asset can have"
        )
        raise Invalid("too_many_tasks", reason, [FieldIssue(field, reason)])


def last_position(last: dict[str, Any] | None, now: datetime, field: str) -> Position | None:
    """The last service as the engine takes it (its time must not be in the future)."""
    if last is None:
        return None
    at = last["at"]
    in_future(at, now, f"{field}.at")
    return Position(at, last.get("odometer_km"), last.get("hours"))


def _fields(service: dict[str, Any], assignment: dict[str, Any]) -> dict[str, Any]:
    """The task's fields that carry out ``service`` for ``assignment`` (its revision and provider)."""
    fields = {
        "name": service["name"],
        "description": service.get("description"),
        "conditions": task_conditions(service["conditions"]),
        "repeat": service["recurrent"],
        "anchor": service["anchor"],
        "plan": {
            "plan_id": assignment["plan_id"],
            "planned_service_id": service["id"],
            "revision": int(assignment["revision"]),
            "provider_account_id": assignment.get("provider"),
        },
    }
    return {name: value for name, value in fields.items() if value is not None}


def replanned(
    context: Context, task: dict[str, Any], service: dict[str, Any], assignment: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """A plan task following another revision of its planned service: its fields, and, when its
    conditions changed, its open occurrence placed again as the assignment would have placed it
    where that occurrence began (its latest completion, else the activation)."""
    updated = {name: value for name, value in task.items() if name != "description"}
    updated.update(_fields(service, assignment), version=int(task["version"]) + 1, updated_at=to_iso(now))
    same = all(task.get(name) == updated.get(name) for name in ("conditions", "repeat", "anchor"))
    if task["state"] != "open" or same:
        return updated
    began = position_from_dict(task["occurrence"]["start"])
    known = task.get("completion") or assignment.get("last_service")
    last = began if task.get("completion") else position_from_dict(known) if known else None
    fresh = first_occurrence(
        service["conditions"], service["recurrent"], service["anchor"], began, last, time_zone(context)
    )
    updated["occurrence"] = occurrence_to_dict(replace(fresh, number=int(task["occurrence"]["number"])))
    return updated


def plan_tasks(
    account_id: str,
    context: Context,
    assignment: dict[str, Any],
    services: list[dict[str, Any]],
    last: Position | None,
    now: datetime,
    field: str,
) -> list[dict[str, Any]]:
    """New task items for the planned services, active from now on the asset of ``context``."""
    asset = context.asset
    assert asset is not None
    _fits(services, asset, field)
    _room(context, len(services), field)
    tz = time_zone(context)
    current = at_activation(now, asset)
    tasks = []
    for service in services:
        occurrence = first_occurrence(
            service["conditions"], service["recurrent"], service["anchor"], current, last, tz
        )
        fields = {
            **_fields(service, assignment),
            "unplanned": False,
            "attachment_ids": [],
            "recipients": {"sms": [], "emails": [], "push": False},
        }
        task_id = new_child_id("tsk", asset["id"])
        tasks.append(
            task_items.new_task_item(
                account_id, task_id, asset["id"], fields, occurrence_to_dict(occurrence), now
            )
        )
    return tasks


def revived(context: Context, assignment: dict[str, Any], provider: str, where: str) -> list[dict[str, Any]]:
    """The inactive tasks of an assignment that has a provider again, open as they were when
    their provider left (docs/plans.md, "Revocation")."""
    owned = set(assignment.get("task_ids") or [])
    tasks = [task for task in context.tasks if task["id"] in owned and task["state"] == "inactive"]
    _room(context, len(tasks), f"{where}.provide_for")
    return [
        {**task, "state": "open", "plan": {**task["plan"], "provider_account_id": provider}} for task in tasks
    ]
