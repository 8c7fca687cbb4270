"""What readings change beyond the meters: the asset's usage estimate, its service summary, and
the due-work keys of its tasks, written in the same transaction as the readings."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from shared.data import readings_repo, settings_repo, tasks_repo
from shared.data.asset_state import meter_fields, usage_fields
from shared.domain.meters import MeterState
from shared.domain.prediction import usage_from_readings
from shared.domain.service_status import ServiceSummary
from shared.services.reading_plan import Plan
from shared.services.task_engine import USAGE_WINDOW_DAYS, summary_of
from shared.services.task_index import index_fields, stored_fields

if TYPE_CHECKING:  # the stubs are a dev dependency, not in the Lambda layer
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef


class Derived:
    """What readings change beyond the meters: the usage estimate and the service summary."""

    def __init__(self, account_id: str, item: dict[str, Any], plan: Plan, now: datetime) -> None:
        self.item = item
        self.now = now
        since = now - timedelta(days=USAGE_WINDOW_DAYS)
        values = readings_repo.recent_values(account_id, item["id"], since)
        values += [
            (w.accepted.values.time, w.accepted.odometer_km, w.accepted.hours) for _, w, _ in plan.writes
        ]
        self.usage = usage_from_readings(values, now, USAGE_WINDOW_DAYS)
        self.tasks: list[dict[str, Any]] = []
        self.tz = ZoneInfo("UTC")
        if int(item.get("task_count", 0)) > 0:
            self.tasks = tasks_repo.asset_tasks(account_id, item["id"])
            self.tz = ZoneInfo(settings_repo.get_settings(account_id).time_zone)

    def _view(self, state: MeterState) -> dict[str, Any]:
        return {**self.item, **meter_fields(state), **usage_fields(self.usage)}

    @property
    def open_tasks(self) -> int:
        return sum(1 for task in self.tasks if task["state"] == "open")

    def summary_after(self, state: MeterState) -> ServiceSummary | None:
        """The service summary with the asset's meters at ``state`` (None: the asset has no tasks)."""
        if not self.tasks:
            return None
        return summary_of(self.tasks, self._view(state), self.tz, self.now)

    def task_updates(self, account_id: str, state: MeterState) -> list["TransactWriteItemTypeDef"]:
        """Index updates of the tasks whose due-work keys or meters change with ``state``.

        The tasks are taken as written once the caller's transaction has gone through.
        """
        view = self._view(state)
        updates = []
        for number, task in enumerate(self.tasks):
            fields = index_fields(account_id, task, view, self.tz, self.now)
            if fields != stored_fields(task):
                updates.append(tasks_repo.index_update(account_id, task["id"], fields))
                self.tasks[number] = {**task, **fields}
        return updates
