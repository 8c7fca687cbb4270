"""A stored task as the API shows it: the engine's evaluation turned into the Task model."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from shared.models.tasks import ConditionState, Task
from shared.services.task_engine import due_moment, evaluate_task, not_before


def _percent(fraction: float | None) -> float | None:
    return None if fraction is None else round(fraction * 100, 1)


def to_task(task: dict[str, Any], asset: dict[str, Any], tz: ZoneInfo, now: datetime) -> Task:
    evaluation, prediction = evaluate_task(task, asset, tz, now)
    occurrence = task["occurrence"]
    predicted = dict(prediction.per_condition) if prediction else {}
    done = task["state"] == "done"
    states = [
        ConditionState(
            kind=state.kind,
            status="done" if done else state.status,
            due=state.due,
            warn=state.warn,
            current=state.current,
            remaining=None if state.remaining is None else round(state.remaining, 3),
            used_percent=_percent(state.fraction),
            predicted_due_at=(
                predicted.get(state.kind)
                if state.status == "overdue"
                else not_before(predicted.get(state.kind), now, evaluation)
            ),
        )
        for state in evaluation.conditions
    ]
    return Task(
        id=task["id"],
        asset_id=task["asset_id"],
        name=task["name"],
        description=task.get("description"),
        status="done" if done else "inactive" if task["state"] == "inactive" else evaluation.status,
        occurrence=int(occurrence["number"]),
        conditions=task["conditions"],
        start=occurrence["start"],
        due={
            "odometer_km": occurrence.get("due_km"),
            "hours": occurrence.get("due_hours"),
            "date": occurrence.get("due_date"),
        },
        current={
            "at": asset.get("current_at"),
            "odometer_km": asset.get("odometer_km"),
            "hours": asset.get("hours"),
        },
        condition_states=states,
        wear_percent=_percent(evaluation.wear),
        predicted_due_at=not_before(prediction.predicted_at if prediction else None, now, evaluation),
        due_at=not_before(due_moment(evaluation, prediction), now, evaluation),
        repeat=task["repeat"],
        anchor=task["anchor"],
        unplanned=task["unplanned"],
        cost=task.get("cost"),
        comment=task.get("comment"),
        attachment_ids=task.get("attachment_ids") or [],
        recipients=task.get("recipients") or {},
        plan=task.get("plan"),
        completion=task.get("completion"),
        completed_at=task.get("completed_at"),
        version=task["version"],
        created_at=task["created_at"],
        updated_at=task["updated_at"],
    )
