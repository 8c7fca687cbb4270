"""Which status change of a task is told to its recipients, and when to look again (issue 13).

Pure: no clock, no AWS. A task remembers the highest status it has notified for its current
occurrence (``Notice``). A status above it is a transition to notify; planned to overdue at
once notifies only ``overdue``. A status below it (a date moved later, a condition changed)
notifies nothing, but lowers the notice and starts a new round, so that reaching the higher
status again is told again. A new occurrence (after a completion) starts at planned, round 0.

Date conditions change status with time alone: ``wake_at`` is the next instant at which a date
would raise the status above the notice, which the evaluator's index is keyed by; meter
conditions change status only with readings, whose writes mark the transition themselves.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

Status = Literal["planned", "upcoming", "overdue"]
RANK: dict[Status, int] = {"planned": 0, "upcoming": 1, "overdue": 2}


@dataclass(frozen=True)
class Notice:
    """The highest status notified for an occurrence, in its round."""

    occurrence: int
    round: int = 0
    status: Status = "planned"


@dataclass(frozen=True)
class Decision:
    """What to do about a task now: ``notify`` names the status to tell (None: nothing to
    send), ``notice`` is what the task remembers afterwards (None: unchanged)."""

    notify: Status | None
    notice: Notice | None


NOTHING = Decision(None, None)


def current_notice(stored: Notice | None, occurrence: int) -> Notice:
    """The notice that holds for ``occurrence``: the stored one, or a fresh one at planned when
    none is stored or it belongs to an earlier occurrence."""
    if stored is None or stored.occurrence != occurrence:
        return Notice(occurrence)
    return stored


def decide(status: Status, occurrence: int, stored: Notice | None) -> Decision:
    """The decision for a task whose current occurrence ``occurrence`` has status ``status``."""
    notice = current_notice(stored, occurrence)
    changed = notice != stored
    if RANK[status] > RANK[notice.status]:
        return Decision(status, replace(notice, status=status))
    if RANK[status] < RANK[notice.status]:
        return Decision(None, replace(notice, status=status, round=notice.round + 1))
    return Decision(None, notice if changed else None)


def wake_at(notice_status: Status, warn_at: datetime | None, due_at: datetime | None) -> datetime | None:
    """The next instant at which a date condition raises the status above ``notice_status``:
    its warning instant while nothing past planned was told, else its due instant while overdue
    was not told; None when no date can raise it (told overdue, or no date condition)."""
    if RANK[notice_status] < RANK["upcoming"] and warn_at is not None:
        return warn_at
    if RANK[notice_status] < RANK["overdue"] and due_at is not None:
        return due_at
    return None
