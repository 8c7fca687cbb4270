"""Marking a task's occurrence done (a repeating task starts its next one) and undoing it.

Each happens once: a completion completes the occurrence it names, or else the one current when
it first read the task; a reopen undoes the completion it first saw. A racing or retried request
that finds another one current gets a 409 naming both, never a second completion.
"""

from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import task_items, tasks_repo
from shared.data.tasks_repo import Context, TaskChanged
from shared.domain.due import next_occurrence
from shared.faults import FieldIssue, Invalid, conflict
from shared.models.task_changes import CompletionIn
from shared.models.tasks import Task
from shared.observability import count
from shared.services.file_links import Hold, counts, unlink
from shared.services.files import require_files
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
_UNDONE = ("occurrence", "completion", "completed_at", "state", "notice", "work_order")


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


def completed(
    account_id: str,
    context: Context,
    task: dict[str, Any],
    given: dict[str, Any],
    details: dict[str, Any],
    now: datetime,
    where: str = "body",
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The task with its current occurrence done (a repeating one at its next occurrence) and the
    history entry recording it. ``given`` holds the completion's at, odometer_km and hours (None:
    now and the meters then); ``details`` what the entry keeps (cost, comment, attachment_ids,
    completed_by, and work_order_id for a completion an order made)."""
    assert context.asset is not None
    occurrence = occurrence_from_dict(task["occurrence"])
    at = given.get("at")
    if at is not None and at < occurrence.start.at:
        reason = "the completion cannot be before the occurrence started"
        raise Invalid("before_start", reason, [FieldIssue(f"{where}.at", reason)])
    done = snapshot(
        given, context.asset, task["conditions"], now, where, meters_then(account_id, context.asset, at)
    )
    entry = task_items.history_item(
        account_id,
        task,
        occurrence.number,
        done.at,
        {
            "odometer_km": done.odometer_km,
            "hours": done.hours,
            "cost": details.get("cost") or task.get("cost"),
            "comment": details.get("comment") if details.get("comment") is not None else task.get("comment"),
            "attachment_ids": details.get("attachment_ids") or task.get("attachment_ids") or [],
            "completed_by": details.get("completed_by") or None,
            "work_order_id": details.get("work_order_id"),
        },
    )
    updated = {
        **task,
        "completion": position_to_dict(done),
        "completed_at": to_iso(done.at),
        # The entry's files too, so that its deletion by a reopen gives their links back.
        "previous": {
            **{name: task.get(name) for name in _UNDONE},
            "history_sk": entry["SK"],
            "attachment_ids": sorted(set(entry["attachment_ids"])) or None,
        },
        "version": int(task["version"]) + 1,
        "updated_at": to_iso(now),
    }
    # The order a task was in did this occurrence (or will never do it): the task is free again.
    updated.pop("work_order", None)
    if task["repeat"]:
        following = next_occurrence(
            engine_conditions(task["conditions"]), occurrence, done, task["anchor"], time_zone(context)
        )
        updated["occurrence"] = occurrence_to_dict(following)
    else:
        updated["state"] = "done"
    return updated, entry


def complete_task(
    account_id: str, task_id: str, body: CompletionIn, expected_version: int | None, now: datetime, by: str
) -> Task:
    require_files(account_id, body.attachment_ids, "body.attachment_ids")
    target = {} if body.occurrence is None else {"number": body.occurrence}
    # The entry names the body's files, or else the task's own (moved: the task changed).
    hold = Hold(account_id, "body.attachment_ids", body.attachment_ids, moved=TaskChanged)

    def step() -> Task:
        context = load_task(account_id, task_id, expected_version)
        task = context.task
        assert task is not None
        _target_occurrence(task, target)
        given = body.model_dump(include={"at", "odometer_km", "hours"})
        details = {
            "cost": body.cost.model_dump(mode="json") if body.cost else None,
            "comment": body.comment,
            "attachment_ids": body.attachment_ids,
            "completed_by": by,
        }
        updated, entry = completed(account_id, context, task, given, details, now)
        hold.need(entry["attachment_ids"])
        updated, part = put(account_id, context, updated, int(task["version"]), now)
        commit(
            account_id,
            context,
            replacing(context.tasks, updated, task_id),
            [part, tasks_repo.put_history(entry)],
            now,
        )
        return view(context, updated, now)

    completed_task = hold.run(lambda: guarded(step, expected_version))
    count("TasksCompleted")
    return completed_task


def undone(account_id: str, task: dict[str, Any], now: datetime) -> tuple[dict[str, Any], Any]:
    """The task as it was before its latest completion, and the transaction part deleting the
    history entry of that completion."""
    previous = task["previous"]
    updated = {**task, "version": int(task["version"]) + 1, "updated_at": to_iso(now)}
    for name in _UNDONE:
        if previous.get(name) is None:
            updated.pop(name, None)
        else:
            updated[name] = previous[name]
    updated.pop("previous", None)
    return updated, tasks_repo.delete_history(account_id, task["asset_id"], previous["history_sk"])


def reopen_task(account_id: str, task_id: str, expected_version: int | None, now: datetime) -> Task:
    """Undo the latest completion: the one this request first saw, never one made meanwhile."""
    target: dict[str, str] = {}
    dropped: list[str] = []

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
        updated, history = undone(account_id, task, now)
        updated, part = put(account_id, context, updated, int(task["version"]), now)
        commit(account_id, context, replacing(context.tasks, updated, task_id), [part, history], now)
        dropped.extend(previous.get("attachment_ids") or [])  # the entry deleted named them
        return view(context, updated, now)

    reopened = guarded(step, expected_version)
    unlink(account_id, counts(dropped))
    return reopened
