"""What readings change beyond the meters: the asset's usage estimate, its service summary, and
the place of its tasks in the due-work indexes; and what of that a write must read first.

Most readings change none of it, and then read nothing but the asset (docs/cost.md):

- the usage estimate (a median over 30 days of readings) is worked out again only while it
  rests on few readings, once the newest reading is ``USAGE_REFRESH`` past the one it was
  worked out at, and for back-dated readings or a replaced meter;
- the asset's tasks are read only when a reading reaches one of their meter points (the asset
  keeps the lowest ones still ahead, ``service_watch``), when the usage estimate was worked
  out again (the predictions move), and for back-dated readings or a replaced meter.

A task whose status a reading changes is rewritten in the same request: the time its point was
reached recorded, its due-work keys moved. A prediction that only drifts is re-keyed once it
has moved by more than ``rekey_tolerance``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from shared.clock import from_iso, to_iso
from shared.data import reading_history, settings_repo, tasks_repo
from shared.data.asset_state import meter_fields, summary_from_item, usage_fields
from shared.data.task_items import NOTICE_ATTRIBUTES
from shared.domain.crossings import MeterReading, record_reached
from shared.domain.meters import AcceptedReading, MeterState
from shared.domain.prediction import usage_from_readings
from shared.domain.service_status import ServiceSummary
from shared.services.reading_plan import Plan
from shared.services.task_engine import (
    USAGE_WINDOW_DAYS,
    engine_conditions,
    occurrence_from_dict,
    occurrence_to_dict,
    summary_of,
    usage_of,
)
from shared.services.task_index import index_fields, stored_fields

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef

USAGE_REFRESH = timedelta(days=1)  # a median of daily usage over 30 days moves slowly
USAGE_SETTLED_READINGS = 10  # below this many readings the estimate is worked out every time
REKEY_FLOOR = timedelta(hours=1)
REKEY_SHARE = 0.05


def rekey_tolerance(key_at: datetime, now: datetime) -> timedelta:
    """How far a predicted due time may drift before its due-work key is moved: an hour, or a
    twentieth of the time left until it, whichever is more."""
    return max(REKEY_FLOOR, abs(key_at - now) * REKEY_SHARE)


def _meter_readings(accepted: list[AcceptedReading]) -> list[MeterReading]:
    return [(a.values.time, a.odometer_km, a.hours) for a in accepted]


def _key_time(sort_key: str | None) -> datetime | None:
    """The instant a due-work sort key (``<instant or ~>#<task id>``) starts with."""
    head = (sort_key or "").partition("#")[0]
    try:
        return from_iso(head) if head and head[0].isdigit() else None
    except ValueError:
        return None


@dataclass
class TaskChanges:
    """What readings change on the asset's tasks: the updates to write, the tasks after them."""

    updates: list["TransactWriteItemTypeDef"]
    tasks: list[dict[str, Any]]


class Derived:
    """The usage estimate, tasks and summary that go with readings of one asset."""

    def __init__(self, account_id: str, item: dict[str, Any], plan: Plan, now: datetime) -> None:
        self.item = item
        self.now = now
        accepted = [write.accepted for _, write, _ in plan.writes]
        self.forward = all(a.applied for a in accepted)
        self.replaced = replaced = any(a.values.meter_replaced for a in accepted)
        newest = max(a.values.time for a in accepted)
        self.usage = usage_of(item)
        self.usage_at: str | None = None
        if not self.forward or replaced or self._usage_due(newest):
            since = now - timedelta(days=USAGE_WINDOW_DAYS)
            values = reading_history.recent_values(account_id, item["id"], since)
            values += _meter_readings(accepted)
            self.usage = usage_from_readings(values, now, USAGE_WINDOW_DAYS)
            self.usage_at = to_iso(newest)
        self.tasks: list[dict[str, Any]] = []
        self.tz = ZoneInfo("UTC")
        has_tasks = int(item.get("task_count", 0)) > 0
        if has_tasks and (self.usage_at or not self.forward or replaced or self._reach_a_point(accepted)):
            self.tasks = tasks_repo.asset_tasks(account_id, item["id"])
            self.tz = ZoneInfo(settings_repo.get_settings(account_id).time_zone)

    def _usage_due(self, newest: datetime) -> bool:
        last = self.item.get("usage_at")
        if int(self.item.get("usage_readings", 0)) < USAGE_SETTLED_READINGS or not last:
            return True
        return newest >= from_iso(last) + USAGE_REFRESH

    def _reach_a_point(self, accepted: list[AcceptedReading]) -> bool:
        watch = summary_from_item(self.item).watch
        if watch is None:
            return True
        km, hours = watch.get("distance"), watch.get("hours")
        return any(
            (km is not None and a.odometer_km is not None and a.odometer_km >= km)
            or (hours is not None and a.hours is not None and a.hours >= hours)
            for a in accepted
        )

    @property
    def usage_changed(self) -> bool:
        return self.usage_at is not None

    def _view(self, state: MeterState) -> dict[str, Any]:
        return {**self.item, **meter_fields(state), **usage_fields(self.usage)}

    @property
    def open_tasks(self) -> int:
        return sum(1 for task in self.tasks if task["state"] == "open")

    def summary_after(
        self, state: MeterState, tasks: list[dict[str, Any]] | None = None
    ) -> ServiceSummary | None:
        """The service summary with the asset's meters at ``state``, over ``tasks`` (default:
        the tasks as read or last advanced); None: unchanged, the tasks were not read, or the
        asset has none."""
        tasks = self.tasks if tasks is None else tasks
        if not tasks:
            return None
        return summary_of(tasks, self._view(state), self.tz, self.now)

    def task_changes(
        self, account_id: str, state: MeterState, accepted: list[AcceptedReading]
    ) -> TaskChanges:
        """The updates of the tasks whose reached points or due-work keys ``accepted`` (the
        readings up to ``state``) change; nothing is changed here until ``advance``."""
        view = self._view(state)
        readings = _meter_readings(accepted)
        updates, after = [], []
        for task in self.tasks:
            if task["state"] != "open":
                after.append(task)
                continue
            occurrence = occurrence_from_dict(task["occurrence"])
            conditions = engine_conditions(task["conditions"])
            moved = record_reached(conditions, occurrence, readings)
            changed = task if moved is occurrence else {**task, "occurrence": occurrence_to_dict(moved)}
            fields = index_fields(account_id, changed, view, self.tz, self.now, "reading")
            if moved is occurrence and not self._moved(fields, stored_fields(task)):
                after.append(task)
                continue
            reached = changed["occurrence"].get("reached") if moved is not occurrence else None
            updates.append(
                tasks_repo.index_update(account_id, task["id"], fields, int(task["version"]), reached=reached)
            )
            after.append({**changed, **fields})
        return TaskChanges(updates, after)

    def _moved(self, fields: dict[str, Any], stored: dict[str, Any]) -> bool:
        """Whether new index fields differ from the stored ones by more than a drifting
        prediction within its tolerance."""
        if fields == stored:
            return False
        if any(fields.get(name) != stored.get(name) for name in NOTICE_ATTRIBUTES):
            return True
        if fields.get("GSI3PK") is None or fields.get("GSI3PK") != stored.get("GSI3PK"):
            return True
        new, old = _key_time(fields.get("GSI3SK")), _key_time(stored.get("GSI3SK"))
        if new is None or old is None:
            return True
        return abs(new - old) > rekey_tolerance(old, self.now)

    def advance(self, changes: TaskChanges) -> None:
        """The tasks as written, once the caller's write has gone through."""
        self.tasks = changes.tasks
