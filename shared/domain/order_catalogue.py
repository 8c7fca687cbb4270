"""An account's work-order catalogues, as pure rules (issue 14): the built-in types and reasons,
how an account's own entries combine with the seeded ones, and what a status change may not do.

Statuses, types and reasons are seeded: every account has them without anything stored. An
entry the account stores under a seeded key overrides it (a renamed status); a tombstone hides it
(a deleted seeded status). The workflow rules themselves are in ``work_orders``.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from shared.domain.work_orders import SEEDED_STATUSES, OrderStatus

Outcome = Literal["complete", "incomplete"]
OUTCOMES: tuple[Outcome, ...] = ("complete", "incomplete")
# Lists of these answer whole, so an account keeps a bounded number of each.
MAX_STATUSES = 50
MAX_TYPES = 100
MAX_REASONS = 100


@dataclass(frozen=True)
class OrderType:
    key: str
    name: str
    code: int | None = None  # the built-in types' numeric codes (seed 003); None for the account's


@dataclass(frozen=True)
class OrderReason:
    code: str
    outcome: Outcome  # the close it explains: complete or incomplete
    name: str


# Seed 003's work-order type categories, with their codes; install is the default type.
SEEDED_TYPES: tuple[OrderType, ...] = (
    OrderType("install", "Install", 1001),
    OrderType("inspection", "Inspection", 1002),
    OrderType("maintenance", "Maintenance", 1003),
    OrderType("de_install", "De-install", 1004),
    OrderType("repair", "Repair", 1005),
    OrderType("demo", "Demo", 1006),
    OrderType("training", "Training", 1007),
)
DEFAULT_TYPE = "install"

SEEDED_REASONS: tuple[OrderReason, ...] = (
    OrderReason("done", "complete", "Done"),
    OrderReason("no_access", "incomplete", "No access"),
    OrderReason("parts_missing", "incomplete", "Parts missing"),
    OrderReason("other", "incomplete", "Other"),
)

T = TypeVar("T")


def merged(seeded: Iterable[T], stored: Mapping[str, T | None], key: Callable[[T], str]) -> list[T]:
    """The seeded entries as the account changed them: ``stored`` maps a key to the account's
    entry, or to None for a tombstone. Seeded ones first (overridden in place), then the
    account's own in key order."""
    seeded_list = list(seeded)
    seeded_keys = {key(entry) for entry in seeded_list}
    result: list[T] = []
    for entry in seeded_list:
        own = stored.get(key(entry), entry)
        if own is not None:
            result.append(own)
    result.extend(entry for k, entry in sorted(stored.items()) if entry is not None and k not in seeded_keys)
    return result


def in_position_order(statuses: Iterable[OrderStatus]) -> list[OrderStatus]:
    return sorted(statuses, key=lambda status: (status.position, status.key))


def is_seeded_status(key: str) -> bool:
    return any(status.key == key for status in SEEDED_STATUSES)


TransitionProblem = Literal["unknown_status", "closed_status"]


def transition_problems(
    statuses: Sequence[OrderStatus], transitions: Sequence[str], own_key: str
) -> list[tuple[int, TransitionProblem]]:
    """Where a status's ``transitions`` name something it cannot move to: a status the account
    does not have, or a closed one (reached only by closing the order). ``own_key`` is the status
    they belong to (named in its own list: harmless, it never moves to itself)."""
    by_key = {status.key: status for status in statuses}
    problems: list[tuple[int, TransitionProblem]] = []
    for index, target in enumerate(transitions):
        status = by_key.get(target)
        if status is None and target != own_key:
            problems.append((index, "unknown_status"))
        elif status is not None and status.category == "closed":
            problems.append((index, "closed_status"))
    return problems


DeleteRefusal = Literal["system_status", "status_referenced", "last_open_status"]


def refuse_delete(statuses: Sequence[OrderStatus], key: str) -> tuple[DeleteRefusal, list[str]] | None:
    """Why status ``key`` may not be deleted (with the statuses that name it), None if it may.
    Whether an order is in it is for the caller to find out."""
    by_key = {status.key: status for status in statuses}
    if by_key[key].category == "closed":
        return "system_status", []
    naming = [s.key for s in statuses if s.key != key and s.transitions and key in s.transitions]
    if naming:
        return "status_referenced", naming
    if not [s for s in statuses if s.category == "open" and s.key != key]:
        return "last_open_status", []
    return None


# What of a closed (system) status may change: the rest is what makes it closed.
CLOSED_CHANGEABLE = frozenset({"name", "position"})


def refuse_change(status: OrderStatus, fields: Iterable[str]) -> list[str]:
    """The fields of a change that a status may not take (a closed status: all but name and
    position)."""
    if status.category != "closed":
        return []
    return sorted(set(fields) - CLOSED_CHANGEABLE)
