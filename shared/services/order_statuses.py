"""An account's work-order statuses (C1, C2, C4 in docs/data-model.md): list, add, change, delete.

The seeded statuses apply without being stored; changing one stores the account's version of it,
deleting one stores a tombstone. The two closed statuses are the system's: they keep their
category and cannot be deleted.
"""

from dataclasses import replace
from datetime import datetime
from typing import Any

from shared.data import catalogue_repo, keys
from shared.domain.order_catalogue import (
    MAX_STATUSES,
    is_seeded_status,
    refuse_change,
    refuse_delete,
    transition_problems,
)
from shared.domain.work_orders import OrderStatus
from shared.faults import FieldIssue, Invalid, conflict, not_found
from shared.models.work_order_catalogue import OrderStatus as StatusView
from shared.models.work_order_catalogue import (
    OrderStatusCreate,
    OrderStatusList,
    OrderStatusUpdate,
)
from shared.services.versioned import check_version, retried
from shared.services.work_order_catalogue import (
    StatusBook,
    path_key,
    read_statuses,
    version_of,
)

WHAT = "Work-order status"
_PROBLEMS = {
    "unknown_status": "no such status in this account",
    "closed_status": "a closed status is reached by closing the order, not by a move",
}


def _view(status: OrderStatus, item: dict[str, Any] | None) -> StatusView:
    return StatusView(
        key=status.key,
        name=status.name,
        position=status.position,
        category=status.category,
        starts_work=status.starts_work,
        transitions=list(status.transitions) if status.transitions is not None else None,
        seeded=is_seeded_status(status.key),
        version=version_of(item) or 0,
        updated_at=item.get("updated_at") if item else None,
    )


def list_statuses(account_id: str) -> OrderStatusList:
    book = read_statuses(account_id)
    return OrderStatusList(items=[_view(status, book.stored.get(status.key)) for status in book.statuses])


def _transitions(book: StatusBook, transitions: list[str] | None, own_key: str) -> tuple[str, ...] | None:
    """The transitions as stored (each once, in the order sent); 422 on each that names no open
    status of the account."""
    if transitions is None:
        return None
    unique = tuple(dict.fromkeys(transitions))
    problems = transition_problems(book.statuses, transitions, own_key)
    if problems:
        issues = [FieldIssue(f"body.transitions.{index}", _PROBLEMS[kind]) for index, kind in problems]
        summary = "; ".join(f"{issue.field}: {issue.reason}" for issue in issues[:3])
        raise Invalid(
            problems[0][1], f"The transitions name statuses an order cannot move to: {summary}", issues
        )
    return unique


def _fields(status: OrderStatus) -> dict[str, Any]:
    return {
        "entity": "order_status",
        "key": status.key,
        "name": status.name,
        "position": status.position,
        "category": status.category,
        "starts_work": status.starts_work,
        "transitions": list(status.transitions) if status.transitions is not None else None,
    }


def _write(account_id: str, book: StatusBook, status: OrderStatus, now: datetime) -> StatusView:
    seen = version_of(book.stored.get(status.key))
    item = catalogue_repo.put(account_id, keys.order_status_sk(status.key), _fields(status), seen, now)
    return _view(status, item)


def create_status(account_id: str, body: OrderStatusCreate, now: datetime) -> StatusView:
    def attempt() -> StatusView:
        book = read_statuses(account_id)
        if book.find(body.key) is not None:
            raise conflict(f"the account has a status '{body.key}' already", "body.key", "key_taken")
        if len(book.statuses) >= MAX_STATUSES:
            raise conflict(f"an account has at most {MAX_STATUSES} statuses", None, "too_many_statuses")
        status = OrderStatus(
            key=body.key,
            name=body.name,
            position=body.position,
            category=body.category,
            starts_work=body.starts_work,
            transitions=_transitions(book, body.transitions, body.key),
        )
        return _write(account_id, book, status, now)

    return retried(attempt)


def update_status(
    account_id: str, key: str, body: OrderStatusUpdate, expected_version: int | None, now: datetime
) -> StatusView:
    path_key(key, WHAT)
    changes = {name: getattr(body, name) for name in body.model_fields_set}

    def attempt() -> StatusView:
        book = read_statuses(account_id)
        status = book.find(key)
        if status is None:
            raise not_found(WHAT)
        check_version(expected_version, version_of(book.stored.get(key)) or 0)
        refused = refuse_change(status, changes)
        if refused:
            raise conflict(
                "a closed status is the system's: it takes a new name and position only",
                f"body.{refused[0]}",
                "system_status",
            )
        fields = dict(changes)
        if "transitions" in fields:
            fields["transitions"] = _transitions(book, fields["transitions"], key)
        return _write(account_id, book, replace(status, **fields), now)

    return retried(attempt)


def _refuse_delete(book: StatusBook, key: str) -> None:
    refusal = refuse_delete(book.statuses, key)
    if refusal is None:
        return
    reason, naming = refusal
    if reason == "system_status":
        raise conflict("the closed statuses are the system's and cannot be deleted", None, reason)
    if reason == "status_referenced":
        listed = ", ".join(naming)
        raise conflict(f"the transitions of {listed} name this status; change them first", None, reason)
    raise conflict("an account keeps at least one open status", None, reason)


def delete_status(account_id: str, key: str, expected_version: int | None, now: datetime) -> None:
    """Delete a status no order is in and no other status moves to (a seeded one: a tombstone)."""
    path_key(key, WHAT)

    def attempt() -> None:
        book = read_statuses(account_id)
        if book.find(key) is None:
            raise not_found(WHAT)
        item = book.stored.get(key)
        check_version(expected_version, version_of(item) or 0)
        _refuse_delete(book, key)
        if catalogue_repo.status_in_use(account_id, key):
            raise conflict("orders are in this status; move them on first", None, "status_in_use")
        sk = keys.order_status_sk(key)
        if is_seeded_status(key):
            tombstone = {"entity": "order_status", "key": key, "deleted": True}
            catalogue_repo.put(account_id, sk, tombstone, version_of(item), now)
        else:
            assert item is not None  # an account status is stored
            catalogue_repo.delete(account_id, sk, int(item["version"]))

    retried(attempt)
