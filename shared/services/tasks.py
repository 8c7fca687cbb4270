"""Service-task use cases: create, change, delete, complete (with repeat) and reopen.

Each write reads the asset, the account settings and the asset's tasks, builds the new task
item, and commits it in one transaction with the asset's recomputed service summary. If the
asset's meters or tasks moved meanwhile, the transaction is refused and the whole step is
retried on fresh data, so concurrent writers never lose an update. What a retry must not do is
change its target: a completion completes the occurrence it first saw, a reopen undoes the
completion it first saw; if another writer got there first the answer is a 409 naming it.
"""

import random
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from shared.clock import to_iso
from shared.data import keys, readings_repo, tasks_repo
from shared.data.asset_state import state_update
from shared.data.tasks_repo import AssetChanged, Context, TaskChanged
from shared.domain.due import first_occurrence, next_occurrence
from shared.errors import ApiError, FieldIssue, conflict, not_found, precondition_failed
from shared.ids import is_valid_id, new_child_id, parent_of
from shared.services.task_engine import (
    engine_conditions,
    occurrence_from_dict,
    occurrence_to_dict,
    position_to_dict,
    summary_of,
)
from shared.services.task_index import indexed
from shared.services.task_rules import (
    check_conditions_fit,
    check_room,
    check_span,
    is_past_reading,
    snapshot,
)
from shared.services.task_rules import (
    check_meters_in_use as meters_needed_by_open_tasks,
)

if TYPE_CHECKING:  # annotations only: deleting or reading tasks needs no request models
    from shared.models.task_changes import CompletionIn, TaskFields

MAX_ATTEMPTS = 10
T = TypeVar("T")
# The fields a client sets on a task (what PATCH merges into).
USER_FIELDS = (
    "name",
    "description",
    "conditions",
    "repeat",
    "anchor",
    "unplanned",
    "cost",
    "comment",
    "attachment_ids",
    "recipients",
)


def time_zone(context: Context) -> ZoneInfo:
    return ZoneInfo(context.settings.time_zone)


def asset_of_task(task_id: str) -> str:
    """The asset a task id belongs to; a string that is no task id cannot exist (404)."""
    asset_id = parent_of(task_id, "tsk", "ast")
    if asset_id is None:
        raise not_found("Task")
    return asset_id


def retrying(step: Callable[[], T]) -> T:
    """Run a read-decide-commit step again while the asset keeps changing underneath it."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            return step()
        except AssetChanged:
            time.sleep(random.uniform(0, min(0.2, 0.01 * 2**attempt)))  # noqa: S311 - jitter
    raise conflict("the asset kept changing while the task was written; send the request again")


def _meters_then(account_id: str, asset: dict[str, Any], at: datetime | None) -> dict[str, float] | None:
    """The asset's meters at ``at`` when that is before its latest reading; None: use the current."""
    if not is_past_reading(asset, at):
        return None
    assert at is not None
    return readings_repo.meters_at(account_id, asset["id"], at, set(asset.get("meters", [])))


def _commit(
    account_id: str,
    context: Context,
    tasks_after: list[dict[str, Any]],
    actions: list[Any],
    now: datetime,
    task_count_delta: int = 0,
) -> None:
    assert context.asset is not None
    summary = summary_of(tasks_after, context.asset, time_zone(context), now)
    actions.append(
        state_update(account_id, context.asset, summary=summary, task_count_delta=task_count_delta)
    )
    tasks_repo.commit(actions)


def _put(
    account_id: str, context: Context, task: dict[str, Any], expected_version: int | None, now: datetime
) -> tuple[dict[str, Any], Any]:
    """The task with its due-work index keys as of now, and the transaction part that writes it."""
    assert context.asset is not None
    task = indexed(account_id, task, context.asset, time_zone(context), now)
    return task, tasks_repo.put_task(task, expected_version)


def _load_asset(account_id: str, asset_id: str, field: str) -> Context:
    missing = ApiError(404, "not_found", "Asset not found", [FieldIssue(field, "no such asset")])
    if not is_valid_id(asset_id, "ast"):
        raise missing
    context = tasks_repo.load(account_id, asset_id)
    if context.asset is None:
        raise missing
    if int(context.asset.get("task_count", 0)) > 0:
        context.tasks = tasks_repo.asset_tasks(account_id, asset_id)
    return context


def _load_task(account_id: str, task_id: str, expected_version: int | None) -> Context:
    asset_id = asset_of_task(task_id)
    context = tasks_repo.load(account_id, asset_id, task_id)
    if context.task is None or context.asset is None:
        raise not_found("Task")
    if expected_version is not None and int(context.task["version"]) != expected_version:
        raise precondition_failed(int(context.task["version"]))
    context.tasks = tasks_repo.asset_tasks(account_id, asset_id)
    return context


def _replacing(
    tasks: list[dict[str, Any]], task: dict[str, Any] | None, task_id: str
) -> list[dict[str, Any]]:
    kept = [t for t in tasks if t["id"] != task_id]
    return [*kept, task] if task is not None else kept


def create_task(
    account_id: str,
    asset_id: str,
    fields: "TaskFields",
    now: datetime,
    where: str = "body",
    asset_field: str = "body.asset_id",
) -> tuple[dict[str, Any], Context]:
    """A new task on one asset. ``where`` is the path of its fields in the request, ``asset_field``
    the path that names the asset (a batch names them differently)."""

    def step() -> tuple[dict[str, Any], Context]:
        context = _load_asset(account_id, asset_id, asset_field)
        asset = context.asset
        assert asset is not None
        check_room(context.tasks, asset_field)
        data = fields.model_dump(mode="json", exclude_none=True)
        conditions = data["conditions"]
        check_conditions_fit(conditions, asset, where)
        given = fields.start.model_dump() if fields.start else {}
        meters_then = _meters_then(account_id, asset, given.get("at"))
        start = snapshot(given, asset, conditions, now, f"{where}.start", meters_then)
        occurrence = first_occurrence(engine_conditions(conditions), start, time_zone(context))
        check_span(conditions, occurrence, where)
        task_id = new_child_id("tsk", asset_id)
        stamp = to_iso(now)
        task = {
            "PK": keys.account_pk(account_id),
            "SK": keys.task_sk(task_id),
            "entity": "task",
            "id": task_id,
            "asset_id": asset_id,
            **{k: v for k, v in data.items() if k != "start"},
            "name_f": fields.name.casefold(),
            "state": "open",
            "occurrence": occurrence_to_dict(occurrence),
            "version": 1,
            "created_at": stamp,
            "updated_at": stamp,
        }
        task, put = _put(account_id, context, task, None, now)
        _commit(account_id, context, [*context.tasks, task], [put], now, task_count_delta=1)
        return task, context

    return retrying(step)


def _merged(task: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The task's fields with the merge patch applied, checked as a whole like a new task's."""
    from pydantic import ValidationError  # noqa: PLC0415 - request models: only updates need them

    from shared.models.reasons import field_issues  # noqa: PLC0415
    from shared.models.task_changes import TaskFields  # noqa: PLC0415
    from shared.models.task_patches import merge_patch  # noqa: PLC0415

    merged = merge_patch({name: task[name] for name in USER_FIELDS if name in task}, patch)
    try:
        fields = TaskFields.model_validate(merged)
    except ValidationError as error:
        issues, _ = field_issues(error, "body")
        summary = "; ".join(f"{issue.field}: {issue.reason}" for issue in issues[:3])
        message = f"The task would not be valid after this change: {summary}"
        raise ApiError(422, "invalid_merge", message, issues) from None
    return fields.model_dump(mode="json", exclude_none=True, exclude={"start"})


def _restarted(
    account_id: str, context: Context, task: dict[str, Any], conditions: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """The current occurrence with new conditions, counted from its start snapshot."""
    asset = context.asset
    assert asset is not None
    check_conditions_fit(conditions, asset, "body")
    current = occurrence_from_dict(task["occurrence"])
    given = {"at": current.start.at, "odometer_km": current.start.odometer_km, "hours": current.start.hours}
    meters_then = _meters_then(account_id, asset, current.start.at)
    start = snapshot(given, asset, conditions, now, "body.conditions", meters_then, blame="body.conditions")
    fresh = first_occurrence(engine_conditions(conditions), start, time_zone(context))
    check_span(conditions, fresh, "body")
    return occurrence_to_dict(replace(fresh, number=current.number))


def update_task(
    account_id: str, task_id: str, patch: dict[str, Any], expected_version: int | None, now: datetime
) -> tuple[dict[str, Any], Context]:
    """Apply a JSON merge patch (RFC 7396) to a task's fields."""

    def step() -> tuple[dict[str, Any], Context]:
        context = _load_task(account_id, task_id, expected_version)
        task = context.task
        assert task is not None
        data = _merged(task, patch)
        updated = {name: value for name, value in task.items() if name not in USER_FIELDS}
        updated.update(data, name_f=data["name"].casefold(), version=int(task["version"]) + 1)
        updated["updated_at"] = to_iso(now)
        if data["conditions"] != task["conditions"]:
            updated["occurrence"] = _restarted(account_id, context, task, data["conditions"], now)
        updated, put = _put(account_id, context, updated, int(task["version"]), now)
        _commit(account_id, context, _replacing(context.tasks, updated, task_id), [put], now)
        return updated, context

    return _guarded(step, expected_version)


def _guarded(step: Callable[[], T], expected_version: int | None) -> T:
    """Retry a task write; a task changed by someone else is 412 for a client that sent If-Match."""

    def attempt() -> T:
        try:
            return step()
        except TaskChanged:
            if expected_version is not None:
                raise precondition_failed(expected_version + 1) from None
            raise AssetChanged from None

    return retrying(attempt)


def delete_task(account_id: str, task_id: str, expected_version: int | None, now: datetime) -> None:
    def step() -> None:
        context = _load_task(account_id, task_id, expected_version)
        assert context.task is not None
        actions = [tasks_repo.delete_task(account_id, context.task)]
        _commit(
            account_id, context, _replacing(context.tasks, None, task_id), actions, now, task_count_delta=-1
        )

    _guarded(step, expected_version)


def _target_occurrence(task: dict[str, Any], target: dict[str, int]) -> int:
    """The occurrence this completion is for: the one the client named, else the one first seen.

    A retry (or the request of a racing client) that finds another one current gets a 409
    naming both, rather than completing an occurrence nobody meant.
    """
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
    account_id: str, task_id: str, body: "CompletionIn", expected_version: int | None, now: datetime, by: str
) -> tuple[dict[str, Any], Context]:
    target = {} if body.occurrence is None else {"number": body.occurrence}

    def step() -> tuple[dict[str, Any], Context]:
        context = _load_task(account_id, task_id, expected_version)
        task, asset = context.task, context.asset
        assert task is not None and asset is not None
        _target_occurrence(task, target)
        occurrence = occurrence_from_dict(task["occurrence"])
        if body.at is not None and body.at < occurrence.start.at:
            reason = "the completion cannot be before the occurrence started"
            raise ApiError(422, "before_start", reason, [FieldIssue("body.at", reason)])
        given = body.model_dump(include={"at", "odometer_km", "hours"})
        meters_then = _meters_then(account_id, asset, body.at)
        done = snapshot(given, asset, task["conditions"], now, "body", meters_then)
        stamp = to_iso(done.at)
        history_sk = keys.history_sk(stamp, task_id, occurrence.number)
        entry = {
            "PK": keys.history_pk(account_id, task["asset_id"]),
            "SK": history_sk,
            "entity": "history",
            "task_id": task_id,
            "asset_id": task["asset_id"],
            "occurrence": occurrence.number,
            "name": task["name"],
            "unplanned": task["unplanned"],
            "completed_at": stamp,
            "odometer_km": done.odometer_km,
            "hours": done.hours,
            "cost": body.cost.model_dump(mode="json") if body.cost else task.get("cost"),
            "comment": body.comment if body.comment is not None else task.get("comment"),
            "attachment_ids": body.attachment_ids or task.get("attachment_ids") or [],
            "completed_by": by or None,
        }
        undo = {name: task.get(name) for name in ("occurrence", "completion", "completed_at", "state")}
        updated = {
            **task,
            "completion": position_to_dict(done),
            "completed_at": stamp,
            "previous": {**undo, "history_sk": history_sk},
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
        updated, put = _put(account_id, context, updated, int(task["version"]), now)
        actions = [put, tasks_repo.put_history(entry)]
        _commit(account_id, context, _replacing(context.tasks, updated, task_id), actions, now)
        return updated, context

    return _guarded(step, expected_version)


def reopen_task(
    account_id: str, task_id: str, expected_version: int | None, now: datetime
) -> tuple[dict[str, Any], Context]:
    """Undo the latest completion: the one this request first saw, never one made meanwhile."""
    target: dict[str, str] = {}

    def step() -> tuple[dict[str, Any], Context]:
        context = _load_task(account_id, task_id, expected_version)
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
        for name in ("occurrence", "completion", "completed_at", "state"):
            if previous.get(name) is None:
                updated.pop(name, None)
            else:
                updated[name] = previous[name]
        updated.pop("previous", None)
        history = tasks_repo.delete_history(
            keys.history_pk(account_id, task["asset_id"]), previous["history_sk"]
        )
        updated, put = _put(account_id, context, updated, int(task["version"]), now)
        actions = [put, history]
        _commit(account_id, context, _replacing(context.tasks, updated, task_id), actions, now)
        return updated, context

    return _guarded(step, expected_version)


def check_meters_in_use(account_id: str, asset_id: str, meters: list[str]) -> None:
    """A meter that open tasks count on cannot be taken from the asset: they could never fall due."""
    meters_needed_by_open_tasks(tasks_repo.asset_tasks(account_id, asset_id), meters)
