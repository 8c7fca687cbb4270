"""What every work-order change shares: reading the order, its references and statuses, the view,
the event a change records, and the commit that retries while others write.

A change reads the order, decides, and commits the order (conditioned on the version read), its
list copies, the event numbered by the new version, and whatever else it touches, in one
transaction. Someone else's change in between is a 412 for a client that sent If-Match and
another round for one that did not; a task changed meanwhile is another round either way.
"""

import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from shared.clock import to_iso
from shared.data import keys, work_orders_repo
from shared.data.work_orders_repo import OrderChanged, PartChanged
from shared.domain.work_orders import OrderStatus, order_number
from shared.faults import FieldIssue, NotFound, conflict, not_found, version_mismatch
from shared.ids import is_valid_id, parent_of
from shared.models.work_orders import WorkOrder
from shared.services.work_order_catalogue import order_statuses

MAX_ATTEMPTS = 10
SEARCH_CHARS = 4000  # of an order's text that ``q`` looks in
T = TypeVar("T")


def load(account_id: str, order_id: str, expected_version: int | None = None) -> dict[str, Any]:
    """The order as stored; 404 for an id that is none of this account's, 412 on a stale If-Match."""
    order = work_orders_repo.get_order(account_id, order_id) if is_valid_id(order_id, "wo") else None
    if order is None:
        raise not_found("Work order")
    if expected_version is not None and int(order["version"]) != expected_version:
        raise version_mismatch(int(order["version"]))
    return order


def require_open(order: dict[str, Any]) -> None:
    if order["state"] == "closed":
        raise conflict("the work order is closed; reopen it to change it", None, "order_closed")


def view(order: dict[str, Any]) -> WorkOrder:
    return WorkOrder.model_validate({**order, "display_number": order_number(int(order["number"]))})


def status_of(statuses: list[OrderStatus], key: str) -> OrderStatus | None:
    return next((status for status in statuses if status.key == key), None)


def statuses(account_id: str) -> list[OrderStatus]:
    return order_statuses(account_id)


def changed(
    account_id: str, order: dict[str, Any], by: str, now: datetime, event: dict[str, Any]
) -> tuple[dict[str, Any], Any]:
    """The order one version on, and the transaction part writing the event of that version."""
    version = int(order.get("version", 0)) + 1
    after = {**order, "version": version, "updated_at": to_iso(now)}
    record = {"seq": version, "at": to_iso(now), "by": by or None, **event}
    return after, work_orders_repo.put_new(work_orders_repo.event_item(account_id, order["id"], record))


def filter_fields(order: dict[str, Any]) -> dict[str, Any]:
    """What list filters read, case-folded: ``q`` looks in the number, title, customer, sites,
    assets and notes; ``customer`` in the customer's fields."""
    customer = " ".join(str(value) for value in (order.get("customer") or {}).values())
    parts = [order_number(int(order["number"])), order["title"], customer]
    for copied in (order.get("site"), order.get("depot")):
        if copied:
            parts += [copied.get("name", ""), (copied.get("address") or {}).get("city", "")]
    parts += [asset["name"] for asset in order.get("assets") or []]
    parts.append(order.get("notes_text", ""))
    return {
        "search_f": " ".join(str(part) for part in parts if part).casefold()[:SEARCH_CHARS],
        "customer_f": customer.casefold() or None,
        "assignee_ids": [str(person["id"]) for person in order.get("assignees") or []] or None,
    }


def commit(
    account_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None, more: list[Any]
) -> None:
    """Write the order (keys as its state says), its copies and ``more`` in one transaction."""
    keyed = work_orders_repo.with_keys(account_id, {**after, **filter_fields(after)}) if after else None
    work_orders_repo.commit([*work_orders_repo.order_writes(account_id, before, keyed), *more])


def guarded(step: Callable[[], T], expected_version: int | None) -> T:
    """Run a read-decide-commit step again while others change what it read."""
    for attempt in range(MAX_ATTEMPTS):
        try:
            return step()
        except OrderChanged:
            if expected_version is not None:
                raise version_mismatch(expected_version + 1) from None
        except PartChanged:
            pass
        time.sleep(random.uniform(0, min(0.2, 0.01 * 2**attempt)))  # noqa: S311 - jitter
    raise conflict("the work order kept changing while it was written; send the request again")


def task_reference(task_id: str, field: str) -> str:
    """The asset a task id names; an id that is no task id is a 404 naming the field."""
    asset_id = parent_of(task_id, "tsk", "ast")
    if asset_id is None:
        raise NotFound("not_found", "Task not found", [FieldIssue(field, "no such task")])
    return asset_id


def references(
    account_id: str, asset_ids: list[str], task_ids: list[str], order_id: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The assets and open tasks a body names, in one read: 404 naming the field of an unknown
    one, 409 for a task that is done or in another open order. The tasks' assets come along."""
    task_assets = [task_reference(task_id, f"body.task_ids.{i}") for i, task_id in enumerate(task_ids)]
    for index, asset_id in enumerate(asset_ids):
        if not is_valid_id(asset_id, "ast"):
            raise NotFound(
                "not_found", "Asset not found", [FieldIssue(f"body.asset_ids.{index}", "no such asset")]
            )
    wanted = [keys.asset_sk(a) for a in [*asset_ids, *task_assets]] + [keys.task_sk(t) for t in task_ids]
    found = work_orders_repo.account_items(account_id, wanted)
    for index, asset_id in enumerate(asset_ids):
        if keys.asset_sk(asset_id) not in found:
            raise NotFound(
                "not_found", "Asset not found", [FieldIssue(f"body.asset_ids.{index}", "no such asset")]
            )
    tasks = []
    for index, task_id in enumerate(task_ids):
        field = f"body.task_ids.{index}"
        task = found.get(keys.task_sk(task_id))
        if task is None or keys.asset_sk(task["asset_id"]) not in found:
            raise NotFound("not_found", "Task not found", [FieldIssue(field, "no such task")])
        if task["state"] == "done":
            raise conflict("the task is done; reopen it or pick an open one", field, "task_done")
        holder = task.get("work_order")
        if holder not in (None, order_id) and _still_does(account_id, holder, task["id"]):
            raise conflict(f"the task is in work order {holder} already", field, "task_covered")
        tasks.append(task)
    named = dict.fromkeys([*asset_ids, *task_assets])
    assets = [found[keys.asset_sk(asset_id)] for asset_id in named]
    return assets, tasks


def _still_does(account_id: str, order_id: str, task_id: str) -> bool:
    """Whether an order a task names still does it: open, with the task in it. A task's own reopen
    puts back the mark of the order that completed it, which may be closed by then."""
    order = work_orders_repo.get_order(account_id, order_id)
    return bool(
        order
        and order["state"] == "open"
        and any(entry["id"] == task_id for entry in order.get("tasks") or [])
    )


def covered(task: dict[str, Any], result: str = "open") -> dict[str, Any]:
    """How an order records a task it does: the occurrence it does and what became of it."""
    return {
        "id": task["id"],
        "asset_id": task["asset_id"],
        "name": task["name"],
        "occurrence": int(task["occurrence"]["number"]),
        "result": result,
    }
