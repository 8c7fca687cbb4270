"""A reading as stored and as the code reads it (docs/data-model.md, R1).

Readings are most of the table, so their items hold nothing their keys already say (the asset
is in the partition key, the time in the sort key) under short names: ``km`` and ``h`` the
lifetime values, ``raw_km`` and ``raw_h`` the values sent only where they differ (after a meter
was replaced), ``rec`` the time it was recorded in microseconds since 1970, ``applied`` only
when false. ``stored`` makes an item of a record, ``record`` the record again; an item that
carries the attributes in full (as the first versions wrote them) reads the same.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.clock import from_iso, to_iso
from shared.data import keys

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_IMPLIED = ("entity", "asset_id", "time")
# record name -> stored name
_NAMES = {
    "odometer_km": "km",
    "hours": "h",
    "raw_odometer_km": "raw_km",
    "raw_hours": "raw_h",
    "recorded_at": "rec",
}
_RECORD_NAMES = {short: name for name, short in _NAMES.items()}
_METERS = ("odometer_km", "hours")


def stored(record: dict[str, Any]) -> dict[str, Any]:
    item = {name: value for name, value in record.items() if name not in _IMPLIED and value is not None}
    for name in _METERS:
        raw = item.get(f"raw_{name}")
        if raw is not None and item.get(name) is not None and float(raw) == float(item[name]):
            del item[f"raw_{name}"]
    if item.get("applied") is True:
        del item["applied"]
    if isinstance(item.get("recorded_at"), str):
        item["recorded_at"] = (from_iso(item["recorded_at"]) - _EPOCH) // timedelta(microseconds=1)
    return {_NAMES.get(name, name): value for name, value in item.items()}


def record(item: dict[str, Any]) -> dict[str, Any]:
    found = {_RECORD_NAMES.get(name, name): value for name, value in item.items()}
    found.setdefault("entity", "reading")
    found.setdefault("asset_id", keys.asset_of_readings_pk(item["PK"]))
    found.setdefault("time", item["SK"])
    found.setdefault("applied", True)
    for name in _METERS:
        if found.get(f"raw_{name}") is None and found.get(name) is not None:
            found[f"raw_{name}"] = found[name]
    if isinstance(found.get("recorded_at"), int):
        found["recorded_at"] = to_iso(_EPOCH + timedelta(microseconds=found["recorded_at"]))
    return found
