"""Creating, reading, changing and deleting work orders.

A new order takes the account's next number only once its body has been checked, and keeps it
when its transaction has to run again (a task changed meanwhile), so numbers are distinct and
consecutive; a gap appears only when a create dies between the two. Tasks an order does are
marked with the order in the same transaction, so a task is in at most one open order.
"""

from datetime import datetime
from typing import Any

from shared.clock import to_iso
from shared.data import keys, work_orders_repo
from shared.faults import invalid
from shared.ids import new_id
from shared.models.work_orders import OrderCreate, OrderFields, OrderUpdate, WorkOrder
from shared.services import file_links
from shared.services import work_order_state as state
from shared.services.work_order_catalogue import require_site, require_type

MAX_ASSETS = 10
_PLAIN = ("title", "description", "priority", "service_codes")
_TIMES = ("planned_start", "planned_end", "actual_start", "actual_end")


def _site(account_id: str, site_id: str | None, kind: str) -> dict[str, Any] | None:
    if site_id is None:
        return None
    field = "body.site_id" if kind == "customer" else "body.depot_id"
    site = require_site(account_id, site_id, field)
    if site.get("kind") != kind:
        raise invalid(field, f"the site is a {site.get('kind')} site, not a {kind} site", "wrong_site_kind")
    return site


def _assignees(body: OrderFields) -> list[dict[str, Any]]:
    people = [a.model_dump(exclude_none=True) for a in body.assignees or []]
    if people and not any(person["primary"] for person in people):
        people[0]["primary"] = True
    return people


def _apply(
    account_id: str, body: OrderFields, given: set[str], order: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The order with the body's fields applied; and the tasks it names now, as read."""
    after = dict(order)
    for name in _PLAIN:
        if name in given:
            after[name] = getattr(body, name)
    after["service_codes"] = after.get("service_codes") or []
    for name in _TIMES:
        if name in given:
            value = getattr(body, name)
            after[name] = to_iso(value) if value is not None else None
    if "type" in given:
        after["type"] = require_type(account_id, body.type, "body.type")["key"] if body.type else "install"
    if "customer" in given:
        after["customer"] = body.customer.model_dump(exclude_none=True) if body.customer else None
    if "site_id" in given:
        after["site"] = _site(account_id, body.site_id, "customer")
    if "depot_id" in given:
        after["depot"] = _site(account_id, body.depot_id, "depot")
    if "assignees" in given:
        after["assignees"] = _assignees(body)
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if after.get(start) and after.get(end) and after[end] < after[start]:
            raise invalid(f"body.{end}", f"{end} is before {start}", "ends_before_start")
    tasks = _coverage(account_id, body, given, order, after)
    return after, tasks


def _coverage(
    account_id: str, body: OrderFields, given: set[str], order: dict[str, Any], after: dict[str, Any]
) -> list[dict[str, Any]]:
    """Set the assets and tasks the order covers from the body; the tasks it names, as read."""
    if not given & {"asset_ids", "task_ids"}:
        after.setdefault("tasks", [])
        return []
    task_ids = (body.task_ids or []) if "task_ids" in given else None
    asset_ids = (body.asset_ids or []) if "asset_ids" in given else list(order.get("asset_ids") or [])
    kept_assets = [
        task["asset_id"] for task in order.get("tasks") or [] if task_ids is None or task["id"] in task_ids
    ]
    assets, tasks = state.references(
        account_id, [*asset_ids, *kept_assets], task_ids if task_ids is not None else [], order.get("id")
    )
    if len(assets) > MAX_ASSETS:
        field = "body.task_ids" if task_ids else "body.asset_ids"
        raise invalid(
            field, f"an order covers at most {MAX_ASSETS} assets, its tasks' included", "too_many_assets"
        )
    after["asset_ids"] = [asset["id"] for asset in assets]
    after["assets"] = [{"id": asset["id"], "name": asset["name"]} for asset in assets]
    if task_ids is not None:
        by_id = {task["id"]: task for task in order.get("tasks") or []}
        after["tasks"] = [by_id.get(task["id"]) or state.covered(task) for task in tasks]
    return tasks


def _task_links(
    account_id: str,
    order_id: str,
    before: list[dict[str, Any]],
    tasks: list[dict[str, Any]],
    after: list[dict[str, Any]],
) -> list[Any]:
    """Mark the tasks the order now does; release the ones it no longer does."""
    wanted = {task["id"] for task in after}
    read = {task["id"]: task for task in tasks}
    links = [
        work_orders_repo.task_link(account_id, task, order_id, int(task["version"]))
        for task in tasks
        if task.get("work_order") != order_id
    ]
    released = [task["id"] for task in before if task["id"] not in wanted]
    if released:
        found = work_orders_repo.account_items(account_id, [keys.task_sk(task_id) for task_id in released])
        links += [
            work_orders_repo.task_link(account_id, task, None, int(task["version"]))
            for task in found.values()
            if task.get("work_order") == order_id and task["id"] not in read
        ]
    return links


def create_order(account_id: str, body: OrderCreate, now: datetime, by: str) -> WorkOrder:
    statuses = state.statuses(account_id)
    open_ones = sorted((s for s in statuses if s.category == "open"), key=lambda s: s.position)
    status = state.status_of(statuses, body.status) if body.status else (open_ones[0] if open_ones else None)
    if status is None or status.category != "open":
        raise invalid("body.status", "name an open status of /work-order-statuses", "unknown_status")
    given = set(body.model_fields_set) | {"type", "priority"}
    taken: dict[str, Any] = {"id": new_id("wo")}

    def step() -> WorkOrder:
        blank = {"id": taken["id"], "state": "open", "status": status.key, "priority": "normal", "tasks": []}
        order, tasks = _apply(account_id, body, given, blank)
        order["priority"] = order.get("priority") or "normal"
        if status.starts_work and not order.get("actual_start"):
            order["actual_start"] = to_iso(now)
        if "number" not in taken:  # once: a second round keeps it
            taken["number"] = work_orders_repo.next_number(account_id)
        order.update(number=taken["number"], created_at=to_iso(now), created_by=by or None, version=0)
        after, event = state.changed(account_id, order, by, now, {"type": "created", "to": status.key})
        links = _task_links(account_id, order["id"], [], tasks, after["tasks"])
        state.commit(account_id, None, after, [event, *links])
        return state.view(after)

    return state.guarded(step, None)


def get_order(account_id: str, order_id: str) -> WorkOrder:
    return state.view(state.load(account_id, order_id))


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    shown = (*_PLAIN, *_TIMES, "type", "customer", "site", "depot", "assignees", "asset_ids", "tasks")
    return {
        name: {"from": before.get(name), "to": after.get(name)}
        for name in shown
        if before.get(name) != after.get(name)
    }


def update_order(
    account_id: str, order_id: str, body: OrderUpdate, expected_version: int | None, now: datetime, by: str
) -> WorkOrder:
    def step() -> WorkOrder:
        order = state.load(account_id, order_id, expected_version)
        state.require_open(order)
        updated, tasks = _apply(account_id, body, set(body.model_fields_set), order)
        changes = _changes(order, updated)
        if not changes:
            return state.view(order)
        after, event = state.changed(account_id, updated, by, now, {"type": "updated", "changes": changes})
        links = _task_links(account_id, order_id, order.get("tasks") or [], tasks, after["tasks"])
        state.commit(account_id, order, after, [event, *links])
        return state.view(after)

    return state.guarded(step, expected_version)


def delete_order(account_id: str, order_id: str, expected_version: int | None) -> None:
    """Delete an open order (a closed one is the record of work done: 409); its tasks are free."""

    def step() -> None:
        order = state.load(account_id, order_id, expected_version)
        state.require_open(order)
        links = _task_links(account_id, order_id, order.get("tasks") or [], [], [])
        state.commit(account_id, order, None, links)

    state.guarded(step, expected_version)
    # The rest of its partition, with the marks of the files declared for it: their links go.
    file_links.order_deleted(account_id, work_orders_repo.delete_partition(account_id, order_id))
