"""What a task write must respect beyond its own fields: the asset's meters, the readings that
tell where the asset stood at a past time, and the room for open tasks.

Errors name the field in the request (``where`` is the path of the task's fields in the body:
``body`` for one task, ``body.task`` in a batch).
"""

from datetime import datetime
from typing import Any

from shared.clock import from_iso
from shared.domain.condition_rules import check_conditions, check_first_span
from shared.domain.due import Occurrence, Position
from shared.domain.meters import CLOCK_SKEW
from shared.faults import FieldIssue, Invalid, conflict
from shared.services.task_engine import engine_conditions

# Open tasks per asset: a reading rewrites the index keys of the asset's open tasks in its own
# transaction (100 items), next to the asset, its providers' links and at least 44 readings.
MAX_OPEN_TASKS = 50


class _Need:
    """What a meter condition needs the asset to measure, and how the API speaks of it."""

    def __init__(self, meter: str, field: str, code: str, device: str, condition: str) -> None:
        self.meter, self.field, self.code = meter, field, code
        self.device, self.condition = device, condition


NEEDS = {
    "distance": _Need("odometer", "odometer_km", "asset_has_no_odometer", "odometer", "a distance condition"),
    "hours": _Need(
        "hours", "hours", "asset_has_no_hours_meter", "operating-hours meter", "an hours condition"
    ),
}


def _invalid(issues: list[FieldIssue]) -> Invalid:
    summary = "; ".join(f"{issue.field}: {issue.reason}" for issue in issues[:3])
    return Invalid("invalid_conditions", f"The conditions do not work together: {summary}", issues)


def check_conditions_fit(conditions: dict[str, Any], asset: dict[str, Any], where: str) -> None:
    """The conditions' own rules (a lead below its interval), then the asset's meters."""
    prefix = f"{where}.conditions"
    issues = [
        FieldIssue(f"{prefix}.{path}" if path else prefix, reason)
        for path, reason in check_conditions(engine_conditions(conditions))
    ]
    if issues:
        raise _invalid(issues)
    for kind, need in NEEDS.items():
        if kind in conditions and need.meter not in asset.get("meters", []):
            reason = (
                f"the asset has no {need.device}, so {need.condition} cannot be tracked; "
                "add the meter to the asset first"
            )
            raise Invalid(need.code, reason, [FieldIssue(f"{prefix}.{kind}", reason)])


def check_span(conditions: dict[str, Any], occurrence: Occurrence, where: str) -> None:
    """A date lead shorter than the first span, the rule km and hours leads follow too."""
    issues = [
        FieldIssue(f"{where}.conditions.{path}", reason)
        for path, reason in check_first_span(engine_conditions(conditions), occurrence)
    ]
    if issues:
        raise _invalid(issues)


def check_room(tasks: list[dict[str, Any]], field: str) -> None:
    if sum(1 for task in tasks if task["state"] == "open") >= MAX_OPEN_TASKS:
        reason = f"the asset has {MAX_OPEN_TASKS} open tasks, the most it can have; complete or delete some"
        raise Invalid("too_many_tasks", reason, [FieldIssue(field, reason)])


def in_future(at: datetime, now: datetime, field: str) -> None:
    if at > now + CLOCK_SKEW:
        reason = "this time is in the future"
        raise Invalid("in_future", reason, [FieldIssue(field, reason)])


def snapshot(
    given: dict[str, Any],
    asset: dict[str, Any],
    conditions: dict[str, Any],
    now: datetime,
    where: str,
    meters_then: dict[str, float] | None,
    blame: str | None = None,
) -> Position:
    """A start or completion snapshot: what the client gave, else the meters at that time.

    ``meters_then`` are the asset's meters at a time before its latest reading (from the
    readings then); None means "now", the asset's current meters. A meter a condition counts on
    that is known neither way must be given (422 naming it; or naming the condition,
    ``blame``.<kind>, when the client cannot give it, as in a change of conditions).
    """
    at = given.get("at") or now
    in_future(at, now, f"{where}.at")
    values: dict[str, float | None] = {}
    for kind, need in NEEDS.items():
        value = given.get(need.field)
        if value is None:
            value = asset.get(need.field) if meters_then is None else meters_then.get(need.meter)
        if value is None and kind in conditions:
            field = f"{blame}.{kind}" if blame else f"{where}.{need.field}"
            reason = (
                f"no {need.meter} reading of the asset is known at the occurrence's start; it cannot count "
                f"{need.condition} from there"
                if blame
                else f"no {need.meter} reading of the asset is known at that time; give {field}"
            )
            raise Invalid("meter_unknown", reason, [FieldIssue(field, reason)])
        values[need.field] = None if value is None else float(value)
    return Position(at, values["odometer_km"], values["hours"])


def is_past_reading(asset: dict[str, Any], at: datetime | None) -> bool:
    """Whether the asset's meters at ``at`` are older readings rather than its current ones."""
    latest = asset.get("current_at")
    return at is not None and latest is not None and at < from_iso(latest)


def check_meters_in_use(tasks: list[dict[str, Any]], meters: list[str]) -> None:
    """A meter that open tasks count on cannot be taken from the asset: they could never fall due."""
    for task in tasks:
        needed = [
            kind for kind, need in NEEDS.items() if kind in task["conditions"] and need.meter not in meters
        ]
        if task["state"] == "open" and needed:
            reason = f"task '{task['name']}' has {NEEDS[needed[0]].condition}; change or delete it first"
            raise conflict(reason, "body.meters", "meter_in_use")
