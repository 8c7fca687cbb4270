"""An asset's service status: the summary of its open tasks, kept on the asset item.

The summary stores instants, not statuses, so the status stays right as time passes without
any write: an asset is overdue once ``due_at`` has passed, upcoming once ``warn_at`` has. Meter
conditions get their instants when a reading reaches their warning or due point (the reading
write refreshes the summary), date conditions have them from the start.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # reading a stored summary needs no due engine (asset reads stay light)
    from shared.domain.due import Evaluation

ServiceStatus = Literal["planned", "upcoming", "overdue"]


@dataclass(frozen=True)
class OpenTask:
    task_id: str
    name: str
    evaluation: "Evaluation"
    predicted_at: datetime | None


@dataclass(frozen=True)
class ServiceSummary:
    open_tasks: int = 0
    warn_at: datetime | None = None
    due_at: datetime | None = None
    next_task_id: str | None = None
    next_task_name: str | None = None
    next_due_at: datetime | None = None


def _earliest(values: Sequence[datetime | None]) -> datetime | None:
    known = [value for value in values if value is not None]
    return min(known) if known else None


def _next_due(task: OpenTask) -> datetime | None:
    """When the task falls due: the prediction (which counts dates and reached points as they are)."""
    return task.predicted_at or task.evaluation.due_at


def _soonest_first(task: OpenTask) -> tuple[bool, float, str]:
    """Tasks due soonest first; those without any known or predicted time last, by name."""
    due = _next_due(task)
    return (due is None, due.timestamp() if due else 0.0, task.name)


def summarize(tasks: Sequence[OpenTask]) -> ServiceSummary:
    if not tasks:
        return ServiceSummary()
    following = min(tasks, key=_soonest_first)
    return ServiceSummary(
        open_tasks=len(tasks),
        warn_at=_earliest([t.evaluation.warn_at for t in tasks]),
        due_at=_earliest([t.evaluation.due_at for t in tasks]),
        next_task_id=following.task_id,
        next_task_name=following.name,
        next_due_at=_next_due(following),
    )


def status_at(summary: ServiceSummary, now: datetime) -> ServiceStatus | None:
    """The worst status of the open tasks at ``now``; None for an asset without open tasks."""
    if summary.open_tasks == 0:
        return None
    if summary.due_at is not None and summary.due_at <= now:
        return "overdue"
    if summary.warn_at is not None and summary.warn_at <= now:
        return "upcoming"
    return "planned"
