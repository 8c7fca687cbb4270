"""Closing a work order and reopening it (moving it between open statuses:
shared/services/work_order_status.py).

Closing an order complete completes every task it does in the same transaction as the order,
each through the task's own completion (shared/services/task_completion.py) and conditioned on
the task as read: a task completed elsewhere meanwhile, or at another occurrence, is skipped,
never completed twice. Closing incomplete leaves the tasks open and free for another order.
Reopening undoes the completions this order made, unless a task was completed again since.
"""

from collections import Counter
from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import keys, tasks_repo, work_orders_repo
from shared.data.asset_state import summary_parts
from shared.data.work_orders_repo import PartChanged
from shared.faults import FieldIssue, Invalid, conflict, invalid
from shared.models.work_orders import OrderClose, OrderReopen, WorkOrder
from shared.services import work_order_state as state
from shared.services.file_links import Hold, unlink
from shared.services.task_completion import completed, undone
from shared.services.task_engine import summary_of
from shared.services.task_transactions import put, replacing, time_zone
from shared.services.work_order_catalogue import require_reason
from shared.services.work_order_history import history_entries


def _meters(order: dict[str, Any], body: OrderClose) -> dict[str, dict[str, Any]]:
    """The meters the close names, per asset of the order (422 for an asset it does not cover)."""
    found = {}
    for index, meters in enumerate(body.meters):
        if meters.asset_id not in (order.get("asset_ids") or []):
            field = f"body.meters.{index}.asset_id"
            raise invalid(field, "the work order does not cover this asset", "asset_not_in_order")
        found[meters.asset_id] = {"odometer_km": meters.odometer_km, "hours": meters.hours}
    return found


def _asset_completions(
    account_id: str,
    order: dict[str, Any],
    asset_id: str,
    covered: list[dict[str, Any]],
    given: dict[str, Any],
    by: str,
    now: datetime,
    files: Counter[str],
) -> tuple[list[Any], list[dict[str, Any]]]:
    """Complete the covered tasks of one asset: the transaction parts (the asset's summary last)
    and each covered task with its result; ``files`` counts what the history entries name."""
    context = tasks_repo.load(account_id, asset_id)
    if context.asset is None:
        return [], [{**task, "result": "skipped"} for task in covered]
    context.tasks = tasks_repo.asset_tasks(account_id, asset_id)
    tasks = list(context.tasks)
    parts: list[Any] = []
    results = []
    for entry in covered:
        task = next((t for t in tasks if t["id"] == entry["id"]), None)
        current = task is not None and task["state"] == "open" and task.get("work_order") == order["id"]
        if task is None or not current or int(task["occurrence"]["number"]) != entry["occurrence"]:
            results.append({**entry, "result": "skipped"})
            continue
        details = {"comment": given.get("comment"), "completed_by": by, "work_order_id": order["id"]}
        meters = {"at": given.get("at"), **given.get("meters", {})}
        updated, history = completed(account_id, context, task, meters, details, now)
        files.update(set(history["attachment_ids"]))
        updated, part = put(account_id, context, updated, int(task["version"]), now)
        tasks = replacing(tasks, updated, task["id"])
        parts += [part, tasks_repo.put_history(history)]
        results.append({**entry, "result": "completed", "history_sk": history["SK"]})
    if parts:
        assert context.asset is not None
        summary = summary_of(tasks, context.asset, time_zone(context), now)
        parts += summary_parts(account_id, context.asset, summary)
    return parts, results


def close_order(
    account_id: str, order_id: str, body: OrderClose, expected_version: int | None, now: datetime, by: str
) -> WorkOrder:
    if body.outcome == "incomplete" and body.reason_code is None:
        raise Invalid(
            "reason_required", "say why the work is incomplete", [FieldIssue("body.reason_code", "required")]
        )
    if body.at is not None and body.at > now:
        raise invalid("body.at", "the work cannot end in the future", "in_future")

    # The history entries name their tasks' files: a link each, taken before the commit.
    hold = Hold(account_id, moved=lambda: PartChanged(0))

    def step() -> WorkOrder:
        order = state.load(account_id, order_id, expected_version)
        state.require_open(order)
        if body.reason_code is not None:
            require_reason(account_id, body.outcome, body.reason_code, "body.reason_code")
        meters = _meters(order, body)
        at = body.at or now
        parts: list[Any] = []
        results: list[dict[str, Any]] = []
        covered = order.get("tasks") or []
        files: Counter[str] = Counter()
        if body.outcome == "complete":
            for asset_id in dict.fromkeys(task["asset_id"] for task in covered):
                given = {"at": body.at, "comment": body.comment, "meters": meters.get(asset_id, {})}
                mine = [task for task in covered if task["asset_id"] == asset_id]
                asset_parts, asset_results = _asset_completions(
                    account_id, order, asset_id, mine, given, by, now, files
                )
                parts += asset_parts
                results += asset_results
        else:
            found = work_orders_repo.account_items(account_id, [keys.task_sk(task["id"]) for task in covered])
            for task in found.values():
                if task.get("work_order") == order_id:
                    parts.append(work_orders_repo.task_link(account_id, task, None, int(task["version"])))
            results = [{**task, "result": "released"} for task in covered]
        closed_as = {
            "outcome": body.outcome,
            "reason_code": body.reason_code,
            "comment": body.comment,
            "at": to_iso(at),
            "by": by or None,
        }
        status = "closed_complete" if body.outcome == "complete" else "closed_incomplete"
        closing = {
            **order,
            "state": "closed",
            "status": status,
            "closed": closed_as,
            "tasks": results,
            "reopen_to": order["status"],
            "actual_end": order.get("actual_end") or to_iso(at),
        }
        event = {
            "type": "closed",
            "from": order["status"],
            "to": status,
            "comment": body.comment,
            "changes": {"tasks": {"from": None, "to": [[t["id"], t["result"]] for t in results]}},
        }
        after, part = state.changed(account_id, closing, by, now, event)
        hold.need_all(files)
        state.commit(account_id, order, after, [part, *parts, *history_entries(account_id, after)])
        return state.view(after)

    return hold.run(lambda: state.guarded(step, expected_version))


def reopen_order(
    account_id: str, order_id: str, body: OrderReopen, expected_version: int | None, now: datetime, by: str
) -> WorkOrder:
    dropped: Counter[str] = Counter()

    def step() -> WorkOrder:
        order = state.load(account_id, order_id, expected_version)
        if order["state"] != "closed":
            raise conflict("the work order is open", None, "order_open")
        statuses = state.statuses(account_id)
        target = state.status_of(statuses, body.status or order.get("reopen_to") or "new")
        if target is None or target.category != "open":
            raise invalid("body.status", "name an open status of /work-order-statuses", "unknown_status")
        parts: list[Any] = []
        tasks: list[dict[str, Any]] = []
        covered = order.get("tasks") or []
        files: Counter[str] = Counter()
        for asset_id in dict.fromkeys(task["asset_id"] for task in covered):
            mine = [task for task in covered if task["asset_id"] == asset_id]
            asset_parts, asset_tasks = _asset_undo(account_id, order_id, asset_id, mine, now, files)
            parts += asset_parts
            tasks += asset_tasks
        closed_at = order["closed"]["at"]
        parts += [
            work_orders_repo.delete_item(
                keys.history_pk(account_id, asset_id), keys.asset_order_history_sk(closed_at, order_id)
            )
            for asset_id in order.get("asset_ids") or []
        ]
        reopened = {
            **order,
            "state": "open",
            "status": target.key,
            "closed": None,
            "tasks": tasks,
            "reopen_to": None,
            "actual_end": None,
        }
        event = {"type": "reopened", "from": order["status"], "to": target.key, "comment": body.comment}
        after, part = state.changed(account_id, reopened, by, now, event)
        state.commit(account_id, order, after, [part, *parts])
        dropped.update(files)  # the history entries deleted named them
        return state.view(after)

    done = state.guarded(step, expected_version)
    unlink(account_id, dropped)
    return done


def _asset_undo(
    account_id: str,
    order_id: str,
    asset_id: str,
    covered: list[dict[str, Any]],
    now: datetime,
    files: Counter[str],
) -> tuple[list[Any], list[dict[str, Any]]]:
    """Undo this order's completions on one asset and take back its free tasks: the transaction
    parts and the tasks the reopened order does (a task in another order since is dropped);
    ``files`` counts what the history entries it deletes name."""
    context = tasks_repo.load(account_id, asset_id)
    if context.asset is None:
        return [], []
    context.tasks = tasks_repo.asset_tasks(account_id, asset_id)
    tasks = list(context.tasks)
    parts: list[Any] = []
    kept = []
    undid = False
    for entry in covered:
        task = next((t for t in tasks if t["id"] == entry["id"]), None)
        if task is None:
            continue
        made_here = (task.get("previous") or {}).get("history_sk") == entry.get("history_sk")
        if entry["result"] == "completed" and made_here:
            files.update(set(task["previous"].get("attachment_ids") or []))
            updated, history = undone(account_id, task, now)
            updated["work_order"] = order_id
            updated, part = put(account_id, context, updated, int(task["version"]), now)
            tasks = replacing(tasks, updated, task["id"])
            parts += [part, history]
            kept.append({**state.covered(updated), "occurrence": entry["occurrence"]})
            undid = True
        elif entry["result"] == "released" and task["state"] == "open" and not task.get("work_order"):
            parts.append(work_orders_repo.task_link(account_id, task, order_id, int(task["version"])))
            kept.append(state.covered(task))
    if undid:
        assert context.asset is not None
        summary = summary_of(tasks, context.asset, time_zone(context), now)
        parts += summary_parts(account_id, context.asset, summary)
    return parts, kept
