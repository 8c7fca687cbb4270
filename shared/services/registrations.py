"""Service registrations: the planned services done (or skipped) on an asset, in one transaction.

Each named planned service settles its task's current occurrence through the task's own
completion (shared/services/task_completion.py): a performed or a skipped service alike starts
the next occurrence, and the asset's history keeps which it was. A registration earlier than the
occurrence's start is back-filled: it goes into the history and leaves the task as it is. Early
is allowed: a registration before the service fell due completes it all the same.
"""

from datetime import datetime
from typing import Any

from shared.data import task_items, tasks_repo
from shared.faults import conflict, not_found
from shared.models.registrations import RegisteredResult, Registration, RegistrationCreate
from shared.services.provided_access import provides, reach
from shared.services.task_completion import completed
from shared.services.task_engine import occurrence_from_dict
from shared.services.task_rules import in_future, snapshot
from shared.services.task_transactions import commit, guarded, inactive, meters_then, put, replacing, view


def _plan_task(tasks: list[dict[str, Any]], planned_service_id: str, field: str) -> dict[str, Any]:
    """The asset's task that carries out the planned service: its open one, else 409 if done."""
    mine = [
        task for task in tasks if (task.get("plan") or {}).get("planned_service_id") == planned_service_id
    ]
    open_ones = [task for task in mine if task["state"] == "open"]
    if open_ones:
        return open_ones[0]
    if any(task["state"] == "inactive" for task in mine):
        raise inactive(field)
    if mine:
        raise conflict("the service was done once and is not due again", field, "task_done")
    raise not_found("Planned service", field)


def register(caller: str, body: RegistrationCreate, now: datetime, by: str) -> Registration:
    at = body.performed_at or now
    in_future(at, now, "body.performed_at")
    given = {"at": at, "odometer_km": body.odometer_km, "hours": body.hours}

    def step() -> Registration:
        owner, context = reach(caller, body.asset_id, "body.asset_id")
        asset = context.asset
        assert asset is not None
        # A provider registers the services it provides for; the owner any of its asset's.
        reachable = [t for t in context.tasks if owner == caller or provides(caller, t)]
        tasks_after, parts, results, changed = list(context.tasks), [], [], []
        for index, service in enumerate(body.services):
            field = f"body.services.{index}.planned_service_id"
            task = _plan_task(reachable, service.planned_service_id, field)
            details = {
                "comment": service.reason if service.outcome == "skipped" else body.comment,
                "completed_by": by,
            }
            occurrence = occurrence_from_dict(task["occurrence"])
            marks = {"outcome": service.outcome, "planned_service_id": service.planned_service_id}
            if at < occurrence.start.at:  # back-filled: the history only
                done = snapshot(given, asset, task["conditions"], now, "body", meters_then(owner, asset, at))
                entry = task_items.history_item(
                    owner,
                    task,
                    occurrence.number,
                    done.at,
                    {"odometer_km": done.odometer_km, "hours": done.hours, **details, **marks},
                )
                parts.append(tasks_repo.put_history(entry))
                results.append((service, task, occurrence.number, False))
                continue
            updated, entry = completed(owner, context, task, given, details, now)
            entry.update(marks)
            updated, part = put(owner, context, updated, int(task["version"]), now)
            parts += [part, tasks_repo.put_history(entry)]
            tasks_after = replacing(tasks_after, updated, task["id"])
            changed.append(updated)
            results.append((service, task, occurrence.number, True))
        commit(owner, context, tasks_after, parts, now)
        return Registration(
            asset_id=body.asset_id,
            performed_at=at,
            services=[
                RegisteredResult(
                    planned_service_id=service.planned_service_id,
                    task_id=task["id"],
                    outcome=service.outcome,
                    occurrence=number,
                    restarted=restarted,
                )
                for service, task, number, restarted in results
            ],
            tasks=[view(context, task, now) for task in changed],
        )

    return guarded(step, None)
