"""A stored reading as the API shows it."""

from typing import Any

from shared.models.readings import Reading


def to_reading(item: dict[str, Any]) -> Reading:
    return Reading(
        asset_id=item["asset_id"],
        time=item["time"],
        odometer_km=item.get("odometer_km"),
        hours=item.get("hours"),
        raw={"odometer_km": item.get("raw_odometer_km"), "hours": item.get("raw_hours")},
        meter_replaced=item.get("meter_replaced") or [],
        source=item.get("source"),
        applied=item["applied"],
        recorded_at=item["recorded_at"],
    )
