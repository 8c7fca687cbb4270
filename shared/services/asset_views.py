"""A stored asset as the API shows it, its service status worked out for now."""

from datetime import datetime
from typing import Any

from shared.data.asset_state import summary_from_item
from shared.domain.service_status import status_at
from shared.models.assets import Asset


def to_asset(item: dict[str, Any], now: datetime) -> Asset:
    summary = summary_from_item(item)
    status = status_at(summary, now)
    next_due = summary.next_due_at
    if next_due is not None and status != "overdue" and next_due < now:
        next_due = now  # a prediction time has overtaken, while no reading says it is reached
    return Asset(
        id=item["id"],
        name=item["name"],
        type=item["type"],
        brand=item.get("brand"),
        model=item.get("model"),
        serial_number=item.get("serial_number"),
        production_year=item.get("production_year"),
        external_id=item.get("external_id"),
        meters=item.get("meters", []),
        current={
            "at": item.get("current_at"),
            "odometer_km": item.get("odometer_km"),
            "hours": item.get("hours"),
        },
        meter_offsets={
            "odometer_km": item.get("odometer_offset") or 0.0,
            "hours": item.get("hours_offset") or 0.0,
        },
        usage={"km_per_day": item.get("usage_km_per_day"), "hours_per_day": item.get("usage_hours_per_day")},
        service={
            "status": status,
            "open_tasks": summary.open_tasks,
            "next_task_id": summary.next_task_id,
            "next_task_name": summary.next_task_name,
            "next_due_at": next_due,
        },
        version=item["version"],
        created_at=item["created_at"],
        updated_at=item["updated_at"],
    )
