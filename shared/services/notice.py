"""What a task keeps of its notifications, and the evaluator's decision on it (docs/notifications.md).

Every write that evaluates a task (task writes, readings that move it, promotion) keeps its
notice attributes right with ``notice_fields``: it never notifies, but when the task's status is
above the highest one notified it leaves a ``pending_notice`` and puts the task in the
evaluator's index (GSI5) at once; when a date condition will raise the status later, the task
waits in that index until the instant it does. The evaluator reads those index entries alone
(their projection holds all it needs) and ``decide`` tells it what to do with each.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from shared.clock import from_iso, to_iso
from shared.data import task_items
from shared.domain.due import ConditionState, Evaluation
from shared.domain.notices import RANK, Notice, Status, current_notice, wake_at
from shared.domain.notices import decide as decide_notice


def notice_of(item: dict[str, Any]) -> Notice | None:
    stored = item.get("notice")
    if not stored:
        return None
    return Notice(int(stored["occurrence"]), int(stored["round"]), cast(Status, stored["status"]))


def notice_dict(notice: Notice, at: datetime | None) -> dict[str, Any]:
    return {
        "occurrence": notice.occurrence,
        "round": notice.round,
        "status": notice.status,
        "at": to_iso(at) if at else None,
    }


def _fact(state: ConditionState) -> dict[str, Any]:
    def plain(value: float | datetime | None) -> float | str | None:
        return to_iso(value) if isinstance(value, datetime) else value

    return {
        "kind": state.kind,
        "status": state.status,
        "due": plain(state.due),
        "current": plain(state.current),
    }


def facts_of(evaluation: Evaluation) -> list[dict[str, Any]]:
    """The conditions that make the status: each past planned, with its due point and current value."""
    return [_fact(state) for state in evaluation.conditions if state.status != "planned"]


def date_instants(evaluation: Evaluation) -> tuple[datetime | None, datetime | None]:
    """The warning and due instants of the task's date condition, if it has one."""
    for state in evaluation.conditions:
        if state.kind == "date":
            return state.warn_at, state.due_at
    return None, None


def notice_fields(
    task: dict[str, Any], evaluation: Evaluation | None, now: datetime, cause: str
) -> dict[str, Any]:
    """The task's notice attributes after a write that found it at ``evaluation`` (None: the task
    is not open), caused by ``cause`` (``change``, ``reading`` or ``date``)."""
    if evaluation is None:
        return task_items.notice_attributes(task["id"])
    occurrence = int(task["occurrence"]["number"])
    stored = notice_of(task)
    decision = decide_notice(evaluation.status, occurrence, stored)
    pending = None
    kept = current_notice(stored, occurrence)
    if decision.notify is not None:
        old = task.get("pending_notice")
        pending = old if old and old.get("status") == decision.notify else None
        pending = pending or {
            "status": decision.notify,
            "at": to_iso(now),
            "cause": cause,
            "facts": facts_of(evaluation),
        }
    elif decision.notice is not None:
        kept = decision.notice  # lowered (a new round) or a new occurrence
    notice = task.get("notice") if kept == stored else notice_dict(kept, None)
    warn_at, due_at = date_instants(evaluation)
    wake = from_iso(pending["at"]) if pending else wake_at(kept.status, warn_at, due_at)
    return task_items.notice_attributes(
        task["id"], notice=notice, pending=pending, date_warn_at=warn_at, date_due_at=due_at, wake_at=wake
    )


@dataclass(frozen=True)
class Verdict:
    """What the evaluator does with a task found due in its index: tell ``status`` (None: tell
    nothing) with ``notice`` the task keeps afterwards, and wait in the index until ``wake``
    (None: leave it)."""

    status: Status | None
    previous: Status
    notice: Notice
    cause: str
    facts: list[dict[str, Any]]
    wake: datetime | None


def _date_status(item: dict[str, Any], now: datetime) -> Status:
    due, warn = item.get("date_due_at"), item.get("date_warn_at")
    if due and from_iso(due) <= now:
        return "overdue"
    if warn and from_iso(warn) <= now:
        return "upcoming"
    return "planned"


def decide(item: dict[str, Any], now: datetime) -> Verdict:
    """The decision on a task's entry in the evaluator's index at ``now``.

    The status to tell is the higher of what a write left pending and what its date condition
    says now; it is told when above the notice (only the highest, so planned to overdue within
    one period tells overdue alone). The evaluator never lowers a notice: only writes, which see
    every condition, do that.
    """
    stored = notice_of(item) or Notice(0)
    pending = item.get("pending_notice") or None
    by_date = _date_status(item, now)
    told: Status = by_date
    if pending and RANK[cast(Status, pending["status"])] >= RANK[by_date]:
        told = cast(Status, pending["status"])
    decision = decide_notice(told, stored.occurrence, stored)
    warn, due = item.get("date_warn_at"), item.get("date_due_at")
    notice = decision.notice if decision.notify is not None and decision.notice else stored
    wake = wake_at(notice.status, from_iso(warn) if warn else None, from_iso(due) if due else None)
    if pending and told == pending["status"]:
        cause, facts = str(pending.get("cause") or "change"), list(pending.get("facts") or [])
    else:
        cause = "date"
        facts = [{"kind": "date", "status": told, "due": due, "current": to_iso(now)}]
    return Verdict(decision.notify, stored.status, notice, cause, facts, wake)
