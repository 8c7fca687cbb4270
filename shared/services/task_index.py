"""Where a task stands in the due-work indexes, kept right by every write that can move it.

"What is due across my fleet" (open tasks upcoming or overdue, soonest due first) reads one
index page per page of results (docs/data-model.md, T7 and T8):

- GSI3, due work: open tasks that were upcoming or overdue when last written, keyed by
  ``due_moment`` (a time that moves only with writes). A page renders with its assets' current
  meters, read in one BatchGetItem: the items do not carry them, so readings, far more frequent
  than reads of due work, do not rewrite them (docs/cost.md).
- GSI4, watch: open tasks not yet in their warning range whose warning instant is known ahead
  (a date condition). When that instant passes the task belongs in GSI3 without any write
  having happened; the list read finds such tasks with one Query (instant up to now), shows
  them and promotes them.

Meters move a task only through readings, and a reading that moves a task between statuses
rewrites its keys in the reading's own transaction; a prediction that only drifts is re-keyed
once it has moved by more than ``REKEY_TOLERANCE`` (``needs_rekey``). Time moves a task only at
a known warning instant (GSI4); reaching the due point keeps it in GSI3. Task writes set the
keys of the task they write.
"""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.data import task_items
from shared.services.notice import notice_fields
from shared.services.task_engine import due_moment, evaluate_task, settled


def index_fields(
    account_id: str,
    task: dict[str, Any],
    asset: dict[str, Any],
    tz: ZoneInfo,
    now: datetime,
    cause: str = "change",
) -> dict[str, Any]:
    """The task's index and notice attributes at ``now`` with ``asset``'s meters, for a write
    caused by ``cause``; None: attribute absent."""
    if task.get("state") != "open":
        return task_items.index_attributes(account_id, task["id"]) | notice_fields(task, None, now, cause)
    evaluation, prediction = evaluate_task(task, asset, tz, now)
    notices = notice_fields(task, evaluation, now, cause)
    if evaluation.status != "planned":
        due = due_moment(evaluation, prediction)
        return task_items.index_attributes(account_id, task["id"], due_at=due, in_due_work=True) | notices
    # planned: watched while a known warning instant is still ahead
    return task_items.index_attributes(account_id, task["id"], watch_at=evaluation.warn_at) | notices


def indexed(
    account_id: str, task: dict[str, Any], asset: dict[str, Any], tz: ZoneInfo, now: datetime
) -> dict[str, Any]:
    """The task item with its index and notice attributes as of ``now`` (absent ones dropped),
    and the meter points its asset has passed recorded as reached."""
    task = settled(task, asset, now)
    fields = index_fields(account_id, task, asset, tz, now)
    kept = {name: value for name, value in task.items() if name not in fields}
    return kept | {name: value for name, value in fields.items() if value is not None}


def stored_fields(task: dict[str, Any]) -> dict[str, Any]:
    return {name: task.get(name) for name in task_items.INDEX_ATTRIBUTES}
