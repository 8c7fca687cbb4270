"""Stored tasks seen through the due engine: conditions, occurrences, status, prediction, summary.

The stored task keeps the client's conditions as sent and the current occurrence (start snapshot
and due points); everything time- or meter-dependent (status, remaining, wear, prediction) is
computed here on every read, from the asset's latest meters and the current time.
"""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.clock import from_iso, to_iso
from shared.domain.crossings import settle, watch_points
from shared.domain.due import (
    Condition,
    DateCondition,
    Evaluation,
    MeterCondition,
    Occurrence,
    Position,
    evaluate,
)
from shared.domain.prediction import Prediction, Usage, predict
from shared.domain.service_status import OpenTask, ServiceSummary, summarize

USAGE_WINDOW_DAYS = 30


def engine_conditions(conditions: dict[str, Any]) -> list[Condition]:
    """The engine's view of the conditions a client sent (as stored, JSON-shaped)."""
    out: list[Condition] = []
    if (distance := conditions.get("distance")) is not None:
        out.append(
            MeterCondition(
                "distance",
                float(distance["limit_km"]),
                _float(distance.get("notify_before_km")),
                _float(distance.get("notify_at_percent")),
                _float(distance.get("repeat_km")),
            )
        )
    if (hours := conditions.get("hours")) is not None:
        out.append(
            MeterCondition(
                "hours",
                float(hours["limit_h"]),
                _float(hours.get("notify_before_h")),
                _float(hours.get("notify_at_percent")),
                _float(hours.get("repeat_h")),
            )
        )
    if (when := conditions.get("date")) is not None:
        out.append(
            DateCondition(
                due=date.fromisoformat(when["due"]) if when.get("due") else None,
                every_days=when.get("every_days"),
                every_months=when.get("every_months"),
                notify_before_days=when.get("notify_before_days"),
                notify_at_percent=_float(when.get("notify_at_percent")),
                repeat_days=when.get("repeat_days"),
                repeat_months=when.get("repeat_months"),
            )
        )
    return out


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def position_to_dict(position: Position) -> dict[str, Any]:
    return {"at": to_iso(position.at), "odometer_km": position.odometer_km, "hours": position.hours}


def position_from_dict(data: dict[str, Any]) -> Position:
    return Position(from_iso(data["at"]), _float(data.get("odometer_km")), _float(data.get("hours")))


def occurrence_to_dict(occurrence: Occurrence) -> dict[str, Any]:
    return {
        "number": occurrence.number,
        "start": position_to_dict(occurrence.start),
        "due_km": occurrence.due_km,
        "due_hours": occurrence.due_hours,
        "due_date": occurrence.due_date.isoformat() if occurrence.due_date else None,
        "first_start_date": occurrence.first_start_date.isoformat() if occurrence.first_start_date else None,
        "reached": {point: to_iso(at) for point, at in occurrence.reached.items()} or None,
    }


def occurrence_from_dict(data: dict[str, Any]) -> Occurrence:
    return Occurrence(
        number=int(data["number"]),
        start=position_from_dict(data["start"]),
        due_km=_float(data.get("due_km")),
        due_hours=_float(data.get("due_hours")),
        due_date=date.fromisoformat(data["due_date"]) if data.get("due_date") else None,
        first_start_date=date.fromisoformat(data["first_start_date"])
        if data.get("first_start_date")
        else None,
        reached={point: from_iso(at) for point, at in (data.get("reached") or {}).items()},
    )


def current_position(asset: dict[str, Any], now: datetime) -> Position:
    """Where the asset stands now: its latest accepted meters (lifetime values)."""
    meters_at = asset.get("current_at")
    return Position(
        now,
        _float(asset.get("odometer_km")),
        _float(asset.get("hours")),
        from_iso(meters_at) if meters_at else None,
    )


def usage_of(asset: dict[str, Any]) -> Usage:
    return Usage(
        _float(asset.get("usage_km_per_day")),
        _float(asset.get("usage_hours_per_day")),
        USAGE_WINDOW_DAYS,
        int(asset.get("usage_readings", 0)),
    )


def evaluate_task(
    task: dict[str, Any], asset: dict[str, Any], tz: ZoneInfo, now: datetime
) -> tuple[Evaluation, Prediction | None]:
    """Status and prediction of an open task now; of a done task as it stood when completed."""
    conditions = engine_conditions(task["conditions"])
    occurrence = occurrence_from_dict(task["occurrence"])
    if task["state"] == "done":
        done = position_from_dict(task["completion"])
        return evaluate(conditions, occurrence, done, tz), None
    current = current_position(asset, now)
    evaluation = evaluate(conditions, occurrence, current, tz)
    return evaluation, predict(evaluation, usage_of(asset), now, current.meters_at)


def due_moment(evaluation: Evaluation, prediction: Prediction | None) -> datetime | None:
    """When the occurrence falls due, the order of "soonest due first": whichever comes first.

    The earliest over the conditions of what is known (a date's due instant, the time a reading
    reached a meter's due point) and what is predicted (a meter point not reached yet, at the
    asset's usage). It moves only with task writes and readings, not with time: the API shows a
    prediction that time has overtaken as now (``not_before``), the index keeps it as it is, and
    both orders agree.
    """
    if prediction is not None and prediction.predicted_at is not None:
        return prediction.predicted_at
    return evaluation.due_at


def not_before(moment: datetime | None, now: datetime, evaluation: Evaluation) -> datetime | None:
    """A prediction as shown: never earlier than now while the task is not yet due (its usage
    says it should have been reached, but no reading has said so)."""
    if moment is None or evaluation.status == "overdue" or moment >= now:
        return moment
    return now


def open_task(task: dict[str, Any], asset: dict[str, Any], tz: ZoneInfo, now: datetime) -> OpenTask:
    conditions = engine_conditions(task["conditions"])
    occurrence = occurrence_from_dict(task["occurrence"])
    current = current_position(asset, now)
    evaluation = evaluate(conditions, occurrence, current, tz)
    prediction = predict(evaluation, usage_of(asset), now, current.meters_at)
    watch = watch_points(conditions, occurrence, current)
    plan = task.get("plan") or {}
    return OpenTask(
        task["id"],
        task["name"],
        evaluation,
        prediction.predicted_at,
        watch,
        provider=plan.get("provider_account_id"),
        plan_id=plan.get("plan_id"),
    )


def summary_of(
    tasks: list[dict[str, Any]], asset: dict[str, Any], tz: ZoneInfo, now: datetime
) -> ServiceSummary:
    """The asset's service summary over its open tasks (``asset`` carries the meters to use)."""
    return summarize([open_task(task, asset, tz, now) for task in tasks if task["state"] == "open"])


def settled(task: dict[str, Any], asset: dict[str, Any], now: datetime) -> dict[str, Any]:
    """An open task whose occurrence records as reached the meter points its asset has already
    passed (by the latest reading), so its warning and due instants stay put as readings follow."""
    if task.get("state") != "open":
        return task
    occurrence = occurrence_from_dict(task["occurrence"])
    done = settle(engine_conditions(task["conditions"]), occurrence, current_position(asset, now))
    return task if done is occurrence else {**task, "occurrence": occurrence_to_dict(done)}
