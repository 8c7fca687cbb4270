"""The account's work-order catalogues as the order code uses them: the statuses of its workflow,
and the type, close reason, hourly rate and sites an order names, checked and copied.

The routes that keep the catalogues are in order_statuses, order_types, order_reasons,
hourly_rates and sites; what they share is here.
"""

import re
from dataclasses import dataclass
from typing import Any

from shared.data import catalogue_repo, keys
from shared.domain.order_catalogue import (
    SEEDED_REASONS,
    SEEDED_TYPES,
    OrderReason,
    OrderType,
    in_position_order,
    merged,
)
from shared.domain.work_orders import SEEDED_STATUSES, OrderStatus
from shared.faults import FieldIssue, NotFound, invalid, not_found
from shared.ids import KEY_PATTERN, is_valid_id

_KEY = re.compile(KEY_PATTERN)


# What every catalogue change shares.


def path_key(value: str, what: str) -> str:
    """A key from the path; one that cannot be a key does not exist (404)."""
    if not _KEY.match(value):
        raise not_found(what)
    return value


def version_of(item: dict[str, Any] | None) -> int | None:
    """The stored version (None: nothing stored), what a write is conditioned on."""
    return int(item["version"]) if item else None


# Statuses (C1).


@dataclass(frozen=True)
class StatusBook:
    """The account's statuses as read: what is stored per key (tombstones too), and the statuses
    that apply, in position order."""

    stored: dict[str, dict[str, Any]]
    statuses: list[OrderStatus]

    def find(self, key: str) -> OrderStatus | None:
        return next((status for status in self.statuses if status.key == key), None)


def status_of(item: dict[str, Any]) -> OrderStatus | None:
    """A stored status (None for a tombstone)."""
    if item.get("deleted"):
        return None
    transitions = item.get("transitions")
    return OrderStatus(
        key=item["key"],
        name=item["name"],
        position=int(item["position"]),
        category=item.get("category", "open"),
        starts_work=bool(item.get("starts_work", False)),
        transitions=tuple(transitions) if transitions is not None else None,
    )


def read_statuses(account_id: str) -> StatusBook:
    stored = {item["key"]: item for item in catalogue_repo.entries(account_id, catalogue_repo.STATUSES)}
    overrides = {key: status_of(item) for key, item in stored.items()}
    statuses = merged(SEEDED_STATUSES, overrides, key=lambda status: status.key)
    return StatusBook(stored, in_position_order(statuses))


def order_statuses(account_id: str) -> list[OrderStatus]:
    """The account's statuses in position order: the seeded ones as the account changed them (or
    deleted them), and its own. One Query."""
    return read_statuses(account_id).statuses


# Types (C3), reasons (C5), rates (C7), sites (C9): what an order names.


def type_of(item: dict[str, Any], seeded: OrderType | None) -> OrderType:
    return OrderType(item["key"], item["name"], seeded.code if seeded else None)


def find_type(account_id: str, key: str) -> tuple[OrderType | None, dict[str, Any] | None]:
    """The type and its stored entry (an account type, or a built-in one renamed)."""
    seeded = next((kind for kind in SEEDED_TYPES if kind.key == key), None)
    item = catalogue_repo.get(account_id, keys.order_type_sk(key)) if _KEY.match(key) else None
    return (type_of(item, seeded) if item else seeded), item


def require_type(account_id: str, key: str, field: str) -> dict[str, Any]:
    """The type an order names, as {key, name, code}; 422 ``unknown_type`` naming ``field``."""
    kind, _ = find_type(account_id, key)
    if kind is None:
        raise invalid(field, "not a work-order type of this account (see /work-order-types)", "unknown_type")
    return {"key": kind.key, "name": kind.name, "code": kind.code}


def reason_of(item: dict[str, Any]) -> OrderReason | None:
    if item.get("deleted"):
        return None
    return OrderReason(item["code"], item["outcome"], item["name"])


def require_reason(account_id: str, outcome: str, code: str, field: str) -> dict[str, Any]:
    """A close reason for ``outcome`` as {code, name, outcome}; 422 ``unknown_reason`` naming
    ``field`` when the account has none with that code for that outcome."""
    found: OrderReason | None = next(
        (r for r in SEEDED_REASONS if r.code == code and r.outcome == outcome), None
    )
    if _KEY.match(code):
        item = catalogue_repo.get(account_id, keys.order_reason_sk(outcome, code))
        found = reason_of(item) if item else found
    if found is None:
        raise invalid(
            field, f"not a reason for closing {outcome} (see /work-order-reasons)", "unknown_reason"
        )
    return {"code": found.code, "name": found.name, "outcome": found.outcome}


def _missing(what: str, field: str) -> NotFound:
    return NotFound("not_found", f"{what} not found", [FieldIssue(field, f"no such {what.lower()}")])


def require_rate(account_id: str, rate_id: str, field: str) -> dict[str, Any]:
    """An hourly rate as {id, name, code, price_per_hour, currency}: 404 naming ``field`` when the
    account has no such rate, 422 ``rate_inactive`` when it is retired."""
    item = (
        catalogue_repo.get(account_id, keys.hourly_rate_sk(rate_id)) if is_valid_id(rate_id, "rate") else None
    )
    if item is None:
        raise _missing("Hourly rate", field)
    if not item.get("active", True):
        raise invalid(field, "the hourly rate is not active", "rate_inactive")
    return {
        "id": item["id"],
        "name": item["name"],
        "code": item.get("code"),
        "price_per_hour": float(item["price_per_hour"]),
        "currency": item["currency"],
    }


def require_site(account_id: str, site_id: str, field: str) -> dict[str, Any]:
    """A site as an order copies it: {id, name, number, kind, address}; 404 naming ``field``."""
    item = catalogue_repo.get(account_id, keys.site_sk(site_id)) if is_valid_id(site_id, "sit") else None
    if item is None:
        raise _missing("Site", field)
    return {
        "id": item["id"],
        "name": item["name"],
        "number": item.get("number"),
        "kind": item["kind"],
        "address": item.get("address"),
    }
