"""A reading as stored and as the code reads it (docs/data-model.md, R1).

Readings are most of the table, so their items hold nothing their keys already say: the asset
is in the partition key, the time in the sort key; a raw meter value is stored only when it
differs from the lifetime one (after a meter was replaced), and the time it was recorded as
microseconds since 1970. ``stored`` makes an item of a record, ``record`` the record again;
items written in the fuller form of earlier versions read the same.
"""

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.clock import from_iso, to_iso
from shared.data import keys

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_METERS = ("odometer_km", "hours")
_IMPLIED = ("entity", "asset_id", "time")


def stored(record: dict[str, Any]) -> dict[str, Any]:
    item = {name: value for name, value in record.items() if name not in _IMPLIED}
    for name in _METERS:
        raw = item.get(f"raw_{name}")
        if raw is not None and item.get(name) is not None and float(raw) == float(item[name]):
            del item[f"raw_{name}"]
    if isinstance(item.get("recorded_at"), str):
        item["recorded_at"] = (from_iso(item["recorded_at"]) - _EPOCH) // timedelta(microseconds=1)
    return item


def record(item: dict[str, Any]) -> dict[str, Any]:
    found = dict(item)
    found.setdefault("entity", "reading")
    found.setdefault("asset_id", keys.asset_of_readings_pk(item["PK"]))
    found.setdefault("time", item["SK"].removeprefix(keys.READING_PREFIX))
    for name in _METERS:
        if found.get(f"raw_{name}") is None and found.get(name) is not None:
            found[f"raw_{name}"] = found[name]
    if isinstance(found.get("recorded_at"), int):
        found["recorded_at"] = to_iso(_EPOCH + timedelta(microseconds=found["recorded_at"]))
    return found
