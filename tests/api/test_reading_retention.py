"""Readings retention (docs/data-model.md, R6): raw readings expire a set time after they were
taken, the last reading of each UTC day stays, and what rests on readings stays right."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from shared.clock import from_iso, to_iso
from shared.data import dynamo, keys, reading_retention
from tests.conftest import Api

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def day_at(days_ago: int, hour: int) -> datetime:
    return NOW.replace(hour=hour) - timedelta(days=days_ago)


def stored(api: Api, asset: dict) -> dict[str, Any]:
    """The asset's stored readings by time (as the API writes it): their expiry (None: kept)."""
    items = dynamo.client.query(
        TableName=dynamo.TABLE_NAME,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": keys.readings_pk(api.account, asset["id"])}},
        ConsistentRead=True,
    )["Items"]
    return {
        iso(from_iso(item["SK"]["S"])): int(item["expires_at"]["N"]) if "expires_at" in item else None
        for item in items
    }


def sweep(api: Api, asset: dict) -> None:
    """What DynamoDB's TTL does in its own time: delete the readings whose expiry has passed."""
    for time, expires in stored(api, asset).items():
        if expires is not None and expires <= NOW.timestamp():
            sort_key = keys.reading_sk(to_iso(from_iso(time)))
            dynamo.client.delete_item(
                TableName=dynamo.TABLE_NAME,
                Key=dynamo.key(keys.readings_pk(api.account, asset["id"]), sort_key),
            )


def post(api: Api, asset: dict, moment: datetime, km: float) -> Any:
    response = api.post(f"/assets/{asset['id']}/readings", {"time": iso(moment), "odometer_km": km})
    assert response.status == 201, response.body
    return response


@pytest.fixture
def truck(api: Api) -> dict:
    return api.create_asset(name="Truck", type="vehicle", meters=["odometer"])


def test_a_reading_expires_its_retention_after_it_was_taken_unless_it_closed_its_day(
    api: Api, truck: dict
) -> None:
    post(api, truck, day_at(6, 8), 1_000)
    post(api, truck, day_at(6, 17), 1_100)
    assert stored(api, truck)[iso(day_at(6, 17))] == int((day_at(6, 17) + timedelta(days=396)).timestamp())
    post(api, truck, day_at(5, 9), 1_200)  # a later day: the 17:00 reading closed its day
    expiries = stored(api, truck)
    assert expiries[iso(day_at(6, 8))] is not None
    assert expiries[iso(day_at(6, 17))] is None
    assert expiries[iso(day_at(5, 9))] is not None
    # A batch over several days keeps the last of each day it closes.
    batch = [
        {"asset_id": truck["id"], "time": iso(day_at(days, hour)), "odometer_km": 2_000 - 100 * days + hour}
        for days in (4, 3)
        for hour in (1, 6)
    ]
    assert api.post("/readings", {"readings": batch}).json()["accepted"] == 4
    expiries = stored(api, truck)
    assert [moment for moment, expires in sorted(expiries.items()) if expires is None] == [
        iso(day_at(6, 17)),
        iso(day_at(5, 9)),
        iso(day_at(4, 6)),
    ]
    # The kept reading reads back as it was sent.
    listed = api.get(f"/assets/{truck['id']}/readings?order=asc&limit=10").json()["items"]
    closing = next(item for item in listed if item["time"] == iso(day_at(6, 17)))
    assert (closing["odometer_km"], closing["applied"]) == (1_100, True)


def test_beyond_the_retention_history_is_daily_and_still_checks_and_predicts(
    api: Api, truck: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading_retention, "RETENTION_DAYS", 31)
    # Fifty days of readings every six hours at 100 km a day, a day's readings a request.
    sent = []
    for days in range(50, 0, -1):
        day = [
            {
                "asset_id": truck["id"],
                "time": iso(day_at(days, hour)),
                "odometer_km": 10_000 - 100 * days + hour,
            }
            for hour in (0, 6, 12, 18)
        ]
        assert api.post("/readings", {"readings": day}).json()["accepted"] == 4
        sent += [reading["time"] for reading in day]
    sweep(api, truck)
    kept = sorted(stored(api, truck))
    cutoff = iso(NOW - timedelta(days=31))
    old = [moment for moment in kept if moment <= cutoff]
    assert all(moment.endswith("T18:00:00Z") for moment in old), old
    assert len(old) == len({moment[:10] for moment in old}) >= 18
    assert [moment for moment in kept if moment > cutoff] == sorted(m for m in sent if m > cutoff)
    # The estimate rests on the last 30 days, all there.
    usage = api.get(f"/assets/{truck['id']}").json()["usage"]["km_per_day"]
    assert usage == pytest.approx(100, rel=0.05)
    # A back-dated reading into the daily past is checked against the days around it.
    between = day_at(40, 3)
    low = api.post(f"/assets/{truck['id']}/readings", {"time": iso(between), "odometer_km": 5_000})
    assert low.status == 422 and low.json()["error"]["code"] == "meter_out_of_order"
    assert iso(day_at(41, 18)) in low.body  # the day before's last reading, kept
    fits = post(api, truck, between, 10_000 - 100 * 41 + 20)
    assert fits.json()["applied"] is False
    # Sent long after its retention, the newest of a request stays (it would go at once).
    assert stored(api, truck)[iso(between)] is None


def test_keeping_every_reading_sets_no_expiry(api: Api, truck: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading_retention, "RETENTION_DAYS", 0)
    post(api, truck, day_at(2, 8), 1_000)
    post(api, truck, day_at(2, 9), 1_010)
    assert set(stored(api, truck).values()) == {None}
