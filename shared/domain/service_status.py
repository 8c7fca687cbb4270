"""An asset's service status: the summary of its open tasks, kept on the asset item.

The summary stores instants, not statuses, so the status stays right as time passes without
any write: an asset is overdue once ``due_at`` has passed, upcoming once ``warn_at`` has. Meter
conditions get their instants when a reading reaches their warning or due point (the reading
write refreshes the summary), date conditions have them from the start.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:  # reading a stored summary needs no due engine (asset reads stay light)
    from shared.domain.due import Evaluation

ServiceStatus = Literal["planned", "upcoming", "overdue"]


@dataclass(frozen=True)
class OpenTask:
    task_id: str
    name: str
    evaluation: "Evaluation"
    predicted_at: datetime | None
    # Per meter kind, the lowest value at which the task changes status (crossings.watch_points).
    watch: Mapping[str, float] = field(default_factory=dict)
    # A plan task's provider and plan (docs/plans.md): the provider's own summary counts it.
    provider: str | None = None
    plan_id: str | None = None


@dataclass(frozen=True)
class ProvidedSummary:
    """What one provider's open tasks on an asset add up to: the provider's view of the asset."""

    open_tasks: int
    warn_at: datetime | None
    due_at: datetime | None
    plan_ids: tuple[str, ...]


@dataclass(frozen=True)
class ServiceSummary:
    open_tasks: int = 0
    warn_at: datetime | None = None
    due_at: datetime | None = None
    next_task_id: str | None = None
    next_task_name: str | None = None
    next_due_at: datetime | None = None
    # Per meter kind, the lowest value at which any open task changes status: a reading below
    # them all changes no status. None: not known (not stored yet), so a reading must look.
    watch: Mapping[str, float] | None = None
    # Per provider of plan tasks on the asset, its own tasks' summary.
    provided: Mapping[str, ProvidedSummary] = field(default_factory=dict)


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
        watch=_lowest([task.watch for task in tasks]),
        provided=_by_provider(tasks),
    )


def _by_provider(tasks: Sequence[OpenTask]) -> dict[str, ProvidedSummary]:
    providers = sorted({task.provider for task in tasks if task.provider})
    provided = {}
    for provider in providers:
        own = [task for task in tasks if task.provider == provider]
        provided[provider] = ProvidedSummary(
            open_tasks=len(own),
            warn_at=_earliest([t.evaluation.warn_at for t in own]),
            due_at=_earliest([t.evaluation.due_at for t in own]),
            plan_ids=tuple(sorted({t.plan_id for t in own if t.plan_id})),
        )
    return provided


def _lowest(points: Sequence[Mapping[str, float]]) -> dict[str, float]:
    lowest: dict[str, float] = {}
    for each in points:
        for kind, value in each.items():
            if kind not in lowest or value < lowest[kind]:
                lowest[kind] = value
    return lowest


class Bound(NamedTuple):
    """One side of a status: a summary instant reached by now, or not (absent or later)."""

    instant: Literal["warn_at", "due_at"]
    reached: bool


# When an asset with open tasks has each status, told by its summary's instants alone (so a
# stored summary answers for any "now"; the asset list filters by these very rules).
STATUS_RULES: dict[ServiceStatus, tuple[Bound, ...]] = {
    "overdue": (Bound("due_at", reached=True),),
    "upcoming": (Bound("warn_at", reached=True), Bound("due_at", reached=False)),
    "planned": (Bound("warn_at", reached=False),),
}


def _holds(bound: Bound, summary: "ServiceSummary | ProvidedSummary", now: datetime) -> bool:
    moment = summary.due_at if bound.instant == "due_at" else summary.warn_at
    return (moment is not None and moment <= now) == bound.reached


def status_at(summary: "ServiceSummary | ProvidedSummary", now: datetime) -> ServiceStatus | None:
    """The worst status of the open tasks at ``now``; None for an asset without open tasks."""
    if summary.open_tasks == 0:
        return None
    return next(
        status for status, bounds in STATUS_RULES.items() if all(_holds(b, summary, now) for b in bounds)
    )
