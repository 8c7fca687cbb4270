"""Marking a task's occurrence done (a repeating task starts its next one) and undoing it.

Each happens once: a completion completes the occurrence it names, or else the one current when
it first read the task; a reopen undoes the completion it first saw. A racing or retried request
that finds another one current gets a 409 naming both, never a second completion.
"""

from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import task_items, tasks_repo
from shared.domain.due import next_occurrence
from shared.faults import FieldIssue, Invalid, conflict
from shared.models.task_changes import CompletionIn
from shared.models.tasks import Task
from shared.observability import count
from shared.services.task_engine import (
    engine_conditions,
    occurrence_from_dict,
    occurrence_to_dict,
    position_to_dict,
)
from shared.services.task_rules import check_room, snapshot
from shared.services.task_transactions import (
    commit,
    guarded,
    load_task,
    meters_then,
    put,
    replacing,
    time_zone,
    view,
)

# What a completion changes on the task, kept so that a reopen can put it back (the notice too:
# a reopened occurrence does not tell again what it told before).
_UNDONE = ("occurrence", "completion", "completed_at", "state", "notice")


def _target_occurrence(task: dict[str, Any], target: dict[str, int]) -> int:
    """The occurrence this completion is for: the one the client named, else the one first seen."""
    current = int(task["occurrence"]["number"])
    if task["state"] == "done" and "number" not in target:
        raise conflict("the task is done already; reopen it to change its completion", None, "task_done")
    wanted = target.setdefault("number", current)
    if task["state"] == "done" or wanted != current:
        reason = (
            f"occurrence {wanted} was completed already; the task is at occurrence {current}"
            + (" and done" if task["state"] == "done" else "")
            if wanted <= current
            else f"the task is at occurrence {current}, not {wanted}"
        )
        raise conflict(reason, "body.occurrence", "occurrence_completed")
    return wanted


def complete_task(
    account_id: str, task_id: str, body: CompletionIn, expected_version: int | None, now: datetime, by: str
) -> Task:
    target = {} if body.occurrence is None else {"number": body.occurrence}

    def step() -> Task:
        context = load_task(account_id, task_id, expected_version)
        task, asset = context.task, context.asset
        assert task is not None and asset is not None
        _target_occurrence(task, target)
        occurrence = occurrence_from_dict(task["occurrence"])
        if body.at is not None and body.at < occurrence.start.at:
            reason = "the completion cannot be before the occurrence started"
            raise Invalid("before_start", reason, [FieldIssue("body.at", reason)])
        given = body.model_dump(include={"at", "odometer_km", "hours"})
        done = snapshot(
            given, asset, task["conditions"], now, "body", meters_then(account_id, asset, body.at)
        )
        entry = task_items.history_item(
            account_id,
            task,
            occurrence.number,
            done.at,
            {
                "odometer_km": done.odometer_km,
                "hours": done.hours,
                "cost": body.cost.model_dump(mode="json") if body.cost else task.get("cost"),
                "comment": body.comment if body.comment is not None else task.get("comment"),
                "attachment_ids": body.attachment_ids or task.get("attachment_ids") or [],
                "completed_by": by or None,
            },
        )
        updated = {
            **task,
            "completion": position_to_dict(done),
            "completed_at": to_iso(done.at),
            "previous": {**{name: task.get(name) for name in _UNDONE}, "history_sk": entry["SK"]},
            "version": int(task["version"]) + 1,
            "updated_at": to_iso(now),
        }
        if task["repeat"]:
            following = next_occurrence(
                engine_conditions(task["conditions"]), occurrence, done, task["anchor"], time_zone(context)
            )
            updated["occurrence"] = occurrence_to_dict(following)
        else:
            updated["state"] = "done"
        updated, part = put(account_id, context, updated, int(task["version"]), now)
        commit(
            account_id,
            context,
            replacing(context.tasks, updated, task_id),
            [part, tasks_repo.put_history(entry)],
            now,
        )
        return view(context, updated, now)

    completed = guarded(step, expected_version)
    count("TasksCompleted")
    return completed


def reopen_task(account_id: str, task_id: str, expected_version: int | None, now: datetime) -> Task:
    """Undo the latest completion: the one this request first saw, never one made meanwhile."""
    target: dict[str, str] = {}

    def step() -> Task:
        context = load_task(account_id, task_id, expected_version)
        task = context.task
        assert task is not None
        previous = task.get("previous")
        if not previous:
            raise conflict("the task has no completion to undo", None, "nothing_to_reopen")
        if target.setdefault("history_sk", previous["history_sk"]) != previous["history_sk"]:
            reason = "the task was completed again while this reopen was applied; read it and decide again"
            raise conflict(reason, None, "completion_changed")
        if task["state"] == "done":
            check_room(context.tasks, "path.task_id")
        updated = {**task, "version": int(task["version"]) + 1, "updated_at": to_iso(now)}
        for name in _UNDONE:
            if previous.get(name) is None:
                updated.pop(name, None)
            else:
                updated[name] = previous[name]
        updated.pop("previous", None)
        history = tasks_repo.delete_history(account_id, task["asset_id"], previous["history_sk"])
        updated, part = put(account_id, context, updated, int(task["version"]), now)
        commit(account_id, context, replacing(context.tasks, updated, task_id), [part, history], now)
        return view(context, updated, now)

    return guarded(step, expected_version)
