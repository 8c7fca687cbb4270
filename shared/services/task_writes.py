"""Creating and changing service tasks, one or many (T6 in docs/data-model.md)."""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from shared.clock import to_iso
from shared.data import task_items
from shared.data.tasks_repo import Context
from shared.domain.due import first_occurrence
from shared.faults import Fault, Invalid
from shared.ids import new_child_id
from shared.models.reasons import field_issues
from shared.models.task_changes import TaskBatchCreate, TaskBatchResult, TaskCreate, TaskFields, TaskResult
from shared.models.tasks import Task
from shared.observability import count
from shared.services.file_links import Hold, counts, unlink
from shared.services.files import require_files
from shared.services.task_deletes import PARALLEL_ASSETS, failed
from shared.services.task_engine import engine_conditions, occurrence_from_dict, occurrence_to_dict
from shared.services.task_rules import check_conditions_fit, check_room, check_span, snapshot
from shared.services.task_transactions import (
    commit,
    guarded,
    load_asset,
    load_task,
    meters_then,
    put,
    replacing,
    retrying,
    time_zone,
    view,
)

# The fields a client sets on a task (what PATCH merges into).
USER_FIELDS = tuple(name for name in TaskFields.model_fields if name != "start")


def _create(
    account_id: str, asset_id: str, fields: TaskFields, now: datetime, where: str, asset_field: str
) -> tuple[dict[str, Any], Context]:
    """A new task on one asset. ``where`` is the path of its fields in the request, ``asset_field``
    the path that names the asset (a batch names them differently)."""

    def step() -> tuple[dict[str, Any], Context]:
        context = load_asset(account_id, asset_id, asset_field)
        asset = context.asset
        assert asset is not None
        check_room(context.tasks, asset_field)
        data = fields.model_dump(mode="json", exclude_none=True, exclude={"start"})
        conditions = data["conditions"]
        check_conditions_fit(conditions, asset, where)
        given = fields.start.model_dump() if fields.start else {}
        then = meters_then(account_id, asset, given.get("at"))
        start = snapshot(given, asset, conditions, now, f"{where}.start", then)
        occurrence = first_occurrence(engine_conditions(conditions), start, time_zone(context))
        check_span(conditions, occurrence, where)
        task_id = new_child_id("tsk", asset_id)
        task = task_items.new_task_item(
            account_id, task_id, asset_id, data, occurrence_to_dict(occurrence), now
        )
        task, part = put(account_id, context, task, None, now)
        commit(account_id, context, [*context.tasks, task], [part], now, task_count_delta=1)
        return task, context

    return retrying(step)


def create_task(account_id: str, body: TaskCreate, now: datetime) -> Task:
    require_files(account_id, body.attachment_ids, "body.attachment_ids")
    hold = Hold(account_id, "body.attachment_ids", body.attachment_ids)

    def write() -> tuple[dict[str, Any], Context]:
        hold.need(body.attachment_ids)  # once, before the rounds: they all name the same files
        return _create(account_id, body.asset_id, body, now, "body", "body.asset_id")

    task, context = hold.run(write)
    count("TasksCreated")
    return view(context, task, now)


def create_tasks(account_id: str, body: TaskBatchCreate, now: datetime) -> TaskBatchResult:
    """The same task for many assets, each asset on its own (atomic per asset)."""
    require_files(account_id, body.task.attachment_ids, "body.task.attachment_ids")
    files = body.task.attachment_ids
    hold = Hold(account_id, "body.task.attachment_ids", files)

    def create(index: int, asset_id: str) -> TaskResult:
        try:
            task, context = _create(
                account_id, asset_id, body.task, now, "body.task", f"body.asset_ids.{index}"
            )
        except Fault as fault:
            return failed(index, fault, asset_id=asset_id)
        created = view(context, task, now)
        return TaskResult(index=index, asset_id=asset_id, task_id=created.id, status=201, task=created)

    def write() -> list[TaskResult]:
        hold.need(files, len(body.asset_ids))  # a link per task, taken once for all of them
        with ThreadPoolExecutor(max_workers=PARALLEL_ASSETS) as pool:
            results = list(pool.map(create, range(len(body.asset_ids)), body.asset_ids))
        hold.need(files, sum(1 for result in results if result.status == 201))  # the tasks made
        return results

    results = hold.run(write)
    succeeded = sum(1 for result in results if result.status == 201)
    count("TasksCreated", succeeded)
    return TaskBatchResult(succeeded=succeeded, failed=len(results) - succeeded, results=results)


def _merged(task: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """The task's fields with the merge patch applied, checked as a whole like a new task's."""
    from shared.models.task_patches import merge_patch  # noqa: PLC0415 - patch models: updates only

    merged = merge_patch({name: task[name] for name in USER_FIELDS if name in task}, patch)
    try:
        fields = TaskFields.model_validate(merged)
    except ValidationError as error:
        issues, _ = field_issues(error, "body")
        summary = "; ".join(f"{issue.field}: {issue.reason}" for issue in issues[:3])
        message = f"The task would not be valid after this change: {summary}"
        raise Invalid("invalid_merge", message, issues) from None
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
    then = meters_then(account_id, asset, current.start.at)
    start = snapshot(given, asset, conditions, now, "body.conditions", then, blame="body.conditions")
    fresh = first_occurrence(engine_conditions(conditions), start, time_zone(context))
    check_span(conditions, fresh, "body")
    return occurrence_to_dict(replace(fresh, number=current.number))


def update_task(
    account_id: str, task_id: str, patch: dict[str, Any], expected_version: int | None, now: datetime
) -> Task:
    """Apply a JSON merge patch (RFC 7396) to a task's fields."""
    require_files(account_id, patch.get("attachment_ids"), "body.attachment_ids")
    hold = Hold(account_id, "body.attachment_ids", patch.get("attachment_ids"))
    dropped: Counter[str] = Counter()

    def step() -> Task:
        context = load_task(account_id, task_id, expected_version)
        task = context.task
        assert task is not None
        data = _merged(task, patch)
        updated = {name: value for name, value in task.items() if name not in USER_FIELDS}
        updated.update(data, name_f=data["name"].casefold(), version=int(task["version"]) + 1)
        updated["updated_at"] = to_iso(now)
        if data["conditions"] != task["conditions"]:
            updated["occurrence"] = _restarted(account_id, context, task, data["conditions"], now)
        before, after = counts(task.get("attachment_ids") or []), counts(data.get("attachment_ids") or [])
        hold.need_all(after - before)
        updated, part = put(account_id, context, updated, int(task["version"]), now)
        commit(account_id, context, replacing(context.tasks, updated, task_id), [part], now)
        dropped.update(before - after)  # what the committed round no longer names
        return view(context, updated, now)

    changed = hold.run(lambda: guarded(step, expected_version))
    unlink(account_id, dropped)
    return changed
