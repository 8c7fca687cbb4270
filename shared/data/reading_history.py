"""Reading an asset's readings back: pages by time, the window of the usage estimate, the
timeline around back-dated readings, and the meters at a past time (R3-R6 in data-model.md)."""

from datetime import datetime
from typing import Any

from shared.clock import from_iso, to_iso
from shared.data import keys, reading_items
from shared.data.dynamo import TABLE_NAME, client, from_item, to_values
from shared.data.pages import PageResult, encode_cursor, query_all, query_page
from shared.domain.meters import METER_FIELDS, Mark

# The usage estimate reads at most this many of the newest readings in its window.
MAX_USAGE_READINGS = 500


def list_readings(
    account_id: str,
    asset_id: str,
    start: datetime | None,
    end: datetime | None,
    newest_first: bool,
    limit: int,
    cursor: str | None,
    latest: dict[str, Any] | None = None,
) -> PageResult:
    """A page of the asset's readings in a time range. ``latest`` is the asset's latest reading
    as the asset keeps it (``latest_record``): shown where it belongs while its own write is
    still under way (or restored by the next one)."""
    pk = keys.readings_pk(account_id, asset_id)
    low = keys.reading_sk(to_iso(start)) if start else keys.READINGS_LOW
    high = keys.reading_sk(to_iso(end)) if end else keys.READINGS_HIGH
    page = query_page(
        key_condition="PK = :pk AND SK BETWEEN :low AND :high",
        values=to_values({":pk": pk, ":low": low, ":high": high}),
        partition={"PK": pk},
        limit=limit,
        cursor=cursor,
        forward=not newest_first,
    )
    page = PageResult([reading_items.record(item) for item in page.items], page.next)
    if latest is None or not low <= latest["SK"] <= high or any(i["SK"] == latest["SK"] for i in page.items):
        return page
    return _with_latest(page, latest, newest_first, limit, first=cursor is None)


def _with_latest(
    page: PageResult, latest: dict[str, Any], newest_first: bool, limit: int, first: bool
) -> PageResult:
    """The page with the asset's latest reading where it belongs: no stored reading is newer,
    so it leads the first page newest first, and ends the last page oldest first."""
    if newest_first:
        if not first:
            return page
        items = [latest, *page.items]
        if len(items) > limit:
            return PageResult(items[:limit], encode_cursor(items[limit - 1], None))
        return PageResult(items, page.next)
    if page.next is not None:
        return page
    if len(page.items) < limit:
        return PageResult([*page.items, latest], None)
    # A full last page: the latest reading is the next page (its query finds nothing more).
    return PageResult(page.items, encode_cursor(page.items[-1], None))


def recent_values(
    account_id: str, asset_id: str, since: datetime
) -> list[tuple[datetime, float | None, float | None]]:
    """(time, lifetime km, lifetime hours) of the readings since ``since``, for the usage estimate."""
    pk = keys.readings_pk(account_id, asset_id)
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "KeyConditionExpression": "PK = :pk AND SK >= :since",
        "ExpressionAttributeValues": to_values({":pk": pk, ":since": keys.reading_sk(to_iso(since))}),
        "ProjectionExpression": "PK, SK, km, h",
        "ScanIndexForward": False,
        "Limit": MAX_USAGE_READINGS,
        # Eventually consistent, at half the price: the readings being written are added by
        # the caller, and one written a moment before by another request moves a median little.
        "ConsistentRead": False,
    }
    response = client.query(**request)
    found = [reading_items.record(from_item(raw)) for raw in response.get("Items", [])]
    return [(from_iso(r["time"]), r.get("odometer_km"), r.get("hours")) for r in found]


_NEIGHBOUR_PAGE = 10


def _marks_of(item: dict[str, Any]) -> dict[str, Mark]:
    """A stored reading's meters: time, lifetime value, and the offset then (lifetime minus raw)."""
    marks = {}
    for meter, name in METER_FIELDS.items():
        if item.get(name) is not None:
            lifetime = float(item[name])
            raw = item.get(f"raw_{name}")
            offset = round(lifetime - float(raw), 3) if raw is not None else 0.0
            marks[meter] = Mark(from_iso(item["time"]), lifetime, offset)
    return marks


def _readings(account_id: str, asset_id: str, condition: str, bounds: dict[str, str], forward: bool) -> Any:
    """The asset's readings in ``condition`` on the sort key, as (time, marks), in pages of 10."""
    # The readings partition holds nothing but readings, so a plain range on the sort key will do.
    values = {":pk": keys.readings_pk(account_id, asset_id), **bounds}
    request: dict[str, Any] = {
        "TableName": TABLE_NAME,
        "KeyConditionExpression": f"PK = :pk AND {condition}",
        "ExpressionAttributeValues": to_values(values),
        "ScanIndexForward": forward,
        "ConsistentRead": True,
        "Limit": _NEIGHBOUR_PAGE,
    }
    for item in query_all(request):
        marks = _marks_of(reading_items.record(item))
        yield next(iter(marks.values())).at if marks else None, marks


def _nearest(
    account_id: str, asset_id: str, at: datetime, meters: set[str], side: str
) -> list[tuple[datetime, dict[str, Mark]]]:
    """The stored readings on ``side`` of ``at`` (``<``, ``<=`` or ``>``), nearest first, up to the
    first that has each of ``meters``."""
    found: list[tuple[datetime, dict[str, Mark]]] = []
    seen: set[str] = set()
    bound = {":at": keys.reading_sk(to_iso(at))}
    for moment, marks in _readings(account_id, asset_id, f"SK {side} :at", bound, side == ">"):
        if moment is not None:
            found.append((moment, marks))
            seen |= marks.keys()
        if seen >= meters:
            break
    return found


def readings_around(
    account_id: str,
    asset_id: str,
    start: datetime,
    end: datetime,
    meters: set[str],
    latest: dict[str, Any] | None = None,
) -> list[tuple[datetime, dict[str, Mark]]]:
    """What back-dated readings from ``start`` to ``end`` must fit between, in time order: the
    stored readings in that span, and the nearest before and after it with each of ``meters``;
    with the asset's ``latest`` reading (``latest_record``), whose write may still be under way.
    One to three Queries for a whole batch, however many back-dated readings it holds."""
    timeline = _nearest(account_id, asset_id, start, meters, "<")[::-1]
    if start < end:
        bounds = {":start": keys.reading_sk(to_iso(start)), ":end": keys.reading_sk(to_iso(end))}
        span = _readings(account_id, asset_id, "SK BETWEEN :start AND :end", bounds, True)
        timeline += [(moment, marks) for moment, marks in span if moment is not None]
    timeline += _nearest(account_id, asset_id, end, meters, ">")
    if latest is not None:
        at = from_iso(latest["time"])
        if at >= start and all(moment != at for moment, _ in timeline):
            timeline.append((at, _marks_of(latest)))
            timeline.sort(key=lambda entry: entry[0])
    return timeline


def meters_at(account_id: str, asset_id: str, at: datetime, meters: set[str]) -> dict[str, float]:
    """The lifetime value of each of ``meters`` at ``at``: its latest reading at or before then."""
    values: dict[str, float] = {}
    for _, marks in _nearest(account_id, asset_id, at, meters, "<="):
        values.update({m: mark.value for m, mark in marks.items() if m in meters and m not in values})
    return values
