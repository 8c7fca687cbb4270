"""Service-task use cases: create, change, delete, complete (with repeat) and reopen.

Each write reads the asset, the account settings and the asset's tasks, builds the new task
item, and commits it in one transaction with the asset's recomputed service summary. If the
asset's meters or tasks moved meanwhile, the transaction is refused and the whole step is
retried on fresh data, so concurrent writers never lose an update.
"""

import random
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from shared.clock import to_iso
from shared.data import keys, tasks_repo
from shared.data.asset_state import state_update
from shared.data.tasks_repo import AssetChanged, Context, TaskChanged
from shared.domain.due import Position, check_conditions, first_occurrence, next_occurrence
from shared.domain.meters import CLOCK_SKEW
from shared.errors import ApiError, FieldIssue, conflict, not_found, precondition_failed, validation_failed
from shared.ids import is_valid_id, new_child_id, parent_of
from shared.services.task_engine import (
    engine_conditions,
    occurrence_from_dict,
    occurrence_to_dict,
    position_to_dict,
    summary_of,
)
from shared.services.task_index import indexed

if TYPE_CHECKING:  # annotations only: deleting or reading tasks needs no request models
    from shared.models.task_changes import CompletionIn, TaskFields

MAX_ATTEMPTS = 10
# Open tasks per asset: a reading rewrites the index keys of the asset's open tasks in its own
# transaction (100 items), next to the asset and at least 49 readings.
MAX_OPEN_TASKS = 50
T = TypeVar("T")
# What a condition kind needs the asset to measure, and how the API names the problem.
_NEEDS = {
    "distance": ("odometer", "odometer_km", "asset_has_no_odometer", "an odometer"),
    "hours": ("hours", "hours", "asset_has_no_hours_meter", "an operating-hours meter"),
}


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


def _check_conditions_fit(conditions: dict[str, Any], asset: dict[str, Any]) -> None:
    issues = [
        FieldIssue(f"conditions.{path}" if path else "conditions", reason)
        for path, reason in check_conditions(engine_conditions(conditions))
    ]
    if issues:
        raise validation_failed(issues)
    for kind, (meter, _, code, what) in _NEEDS.items():
        if kind in conditions and meter not in asset.get("meters", []):
            reason = (
                f"the asset has no {what}, so a {kind} condition cannot be tracked; "
                "add the meter to the asset first"
            )
            raise ApiError(422, code, reason, [FieldIssue(f"conditions.{kind}", reason)])


def _snapshot(
    given: dict[str, Any] | None, asset: dict[str, Any], conditions: dict[str, Any], now: datetime, where: str
) -> Position:
    """A start or completion snapshot: what the client gave, else now and the asset's meters."""
    given = given or {}
    at = given.get("at") or now
    if at > now + CLOCK_SKEW:
        raise ApiError(
            422, "in_future", "this time is in the future", [FieldIssue(f"{where}.at", "in the future")]
        )
    values: dict[str, float | None] = {}
    for kind, (_, field, _, what) in _NEEDS.items():
        value = given.get(field)
        if value is None:
            value = asset.get(field)
        if value is None and kind in conditions:
            reason = f"the asset has no {what} reading yet; give {where}.{field}"
            raise ApiError(422, "meter_unknown", reason, [FieldIssue(f"{where}.{field}", reason)])
        values[field] = None if value is None else float(value)
    return Position(at, values["odometer_km"], values["hours"])


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


def _check_room(context: Context) -> None:
    if sum(1 for task in context.tasks if task["state"] == "open") >= MAX_OPEN_TASKS:
        reason = f"the asset has {MAX_OPEN_TASKS} open tasks, the most it can have; complete or delete some"
        raise ApiError(422, "too_many_tasks", reason, [FieldIssue("asset_id", reason)])


def _load_asset(account_id: str, asset_id: str) -> Context:
    if not is_valid_id(asset_id, "ast"):
        raise ApiError(404, "not_found", "Asset not found", [FieldIssue("asset_id", "no such asset")])
    context = tasks_repo.load(account_id, asset_id)
    if context.asset is None:
        raise ApiError(404, "not_found", "Asset not found", [FieldIssue("asset_id", "no such asset")])
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
    account_id: str, asset_id: str, fields: "TaskFields", now: datetime
) -> tuple[dict[str, Any], Context]:
    def step() -> tuple[dict[str, Any], Context]:
        context = _load_asset(account_id, asset_id)
        assert context.asset is not None
        _check_room(context)
        data = fields.model_dump(mode="json", exclude_none=True)
        conditions = data["conditions"]
        _check_conditions_fit(conditions, context.asset)
        start = _snapshot(
            fields.start.model_dump() if fields.start else None, context.asset, conditions, now, "start"
        )
        occurrence = first_occurrence(engine_conditions(conditions), start, time_zone(context))
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


def update_task(
    account_id: str, task_id: str, changes: dict[str, Any], expected_version: int | None, now: datetime
) -> tuple[dict[str, Any], Context]:
    def step() -> tuple[dict[str, Any], Context]:
        context = _load_task(account_id, task_id, expected_version)
        task, asset = context.task, context.asset
        assert task is not None and asset is not None
        updated = {**task, **changes, "version": int(task["version"]) + 1, "updated_at": to_iso(now)}
        for name, value in changes.items():
            if value is None:
                updated.pop(name, None)
        if "name" in changes:
            updated["name_f"] = changes["name"].casefold()
        if "conditions" in changes:
            # New conditions apply to the current occurrence, from its start snapshot.
            _check_conditions_fit(changes["conditions"], asset)
            current = occurrence_from_dict(task["occurrence"])
            given = {
                "at": current.start.at,
                "odometer_km": current.start.odometer_km,
                "hours": current.start.hours,
            }
            start = _snapshot(given, asset, changes["conditions"], now, "start")
            fresh = first_occurrence(engine_conditions(changes["conditions"]), start, time_zone(context))
            updated["occurrence"] = occurrence_to_dict(replace(fresh, number=current.number))
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


def complete_task(
    account_id: str, task_id: str, body: "CompletionIn", expected_version: int | None, now: datetime, by: str
) -> tuple[dict[str, Any], Context]:
    def step() -> tuple[dict[str, Any], Context]:
        context = _load_task(account_id, task_id, expected_version)
        task, asset = context.task, context.asset
        assert task is not None and asset is not None
        if task["state"] == "done":
            raise conflict("the task is done already; reopen it to change its completion", None, "task_done")
        occurrence = occurrence_from_dict(task["occurrence"])
        given = body.model_dump(include={"at", "odometer_km", "hours"})
        if body.at is not None and (body.odometer_km is None or body.hours is None):
            given = _meters_at(account_id, asset, body.at) | {k: v for k, v in given.items() if v is not None}
        done = _snapshot(given, asset, task["conditions"], now, "completion")
        if done.at < occurrence.start.at:
            reason = "the completion cannot be before the occurrence started"
            raise ApiError(422, "before_start", reason, [FieldIssue("completion.at", reason)])
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


def _meters_at(account_id: str, asset: dict[str, Any], at: datetime) -> dict[str, Any]:
    """The asset's lifetime meters as of ``at``: its latest reading at or before then."""
    from shared.data import readings_repo  # noqa: PLC0415

    reading = readings_repo.latest_reading_before(account_id, asset["id"], at)
    if reading is None:
        return {}
    return {"odometer_km": reading.odometer_km, "hours": reading.hours}


def reopen_task(
    account_id: str, task_id: str, expected_version: int | None, now: datetime
) -> tuple[dict[str, Any], Context]:
    def step() -> tuple[dict[str, Any], Context]:
        context = _load_task(account_id, task_id, expected_version)
        task = context.task
        assert task is not None
        previous = task.get("previous")
        if not previous:
            raise conflict("the task has no completion to undo", None, "nothing_to_reopen")
        if task["state"] == "done":
            _check_room(context)
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
    for task in tasks_repo.asset_tasks(account_id, asset_id):
        needed = [
            kind for kind, (meter, *_) in _NEEDS.items() if kind in task["conditions"] and meter not in meters
        ]
        if task["state"] == "open" and needed:
            reason = f"task '{task['name']}' has a {needed[0]} condition; change or delete it first"
            raise conflict(reason, "meters", "meter_in_use")
