"""Meter readings through the local API: one at a time, in batches, and listed by time."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import Api

BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(days=10)


def iso(hours: float) -> str:
    return (BASE + timedelta(hours=hours)).isoformat().replace("+00:00", "Z")


def read(api: Api, asset: dict, **fields: object):  # type: ignore[no-untyped-def]
    return api.post(f"/assets/{asset['id']}/readings", fields)


@pytest.fixture
def truck(api: Api) -> dict:
    return api.create_asset(name="Truck", type="vehicle", meters=["odometer", "hours"])


def test_a_reading_moves_the_assets_current_meters(api: Api, truck: dict) -> None:
    response = read(api, truck, time=iso(1), odometer_km=1000.5, hours=20, source="telematics")
    assert response.status == 201
    reading = response.json()
    assert (reading["odometer_km"], reading["hours"], reading["applied"]) == (1000.5, 20.0, True)
    assert reading["source"] == "telematics"
    current = api.get(f"/assets/{truck['id']}").json()["current"]
    assert current == {"at": iso(1), "odometer_km": 1000.5, "hours": 20.0}


def test_a_reading_without_time_is_taken_now(api: Api, truck: dict) -> None:
    before = datetime.now(UTC)
    reading = read(api, truck, odometer_km=5).json()
    assert before <= datetime.fromisoformat(reading["time"]) <= datetime.now(UTC)


def test_a_lower_value_is_422_with_a_message_that_says_why(api: Api, truck: dict) -> None:
    read(api, truck, time=iso(1), odometer_km=1000)
    response = read(api, truck, time=iso(2), odometer_km=990)
    assert response.status == 422
    error = response.json()["error"]
    assert error["code"] == "meter_decreased"
    assert "only go up" in error["message"]
    assert error["details"][0]["field"] == "body.odometer_km"
    assert api.get(f"/assets/{truck['id']}").json()["current"]["odometer_km"] == 1000


def test_a_meter_replacement_records_an_offset_and_lifetime_values_continue(api: Api, truck: dict) -> None:
    read(api, truck, time=iso(1), odometer_km=300_000)
    replaced = read(api, truck, time=iso(2), odometer_km=5, meter_replaced=["odometer"]).json()
    assert (replaced["odometer_km"], replaced["raw"]["odometer_km"]) == (300_000, 5)
    later = read(api, truck, time=iso(3), odometer_km=105).json()
    assert later["odometer_km"] == 300_100
    asset = api.get(f"/assets/{truck['id']}").json()
    assert asset["meter_offsets"]["odometer_km"] == 299_995
    assert asset["current"]["odometer_km"] == 300_100


def test_an_older_reading_is_kept_as_history_without_moving_current(api: Api, truck: dict) -> None:
    read(api, truck, time=iso(5), odometer_km=500)
    response = read(api, truck, time=iso(2), odometer_km=200)
    assert response.status == 201
    assert response.json()["applied"] is False
    assert api.get(f"/assets/{truck['id']}").json()["current"]["odometer_km"] == 500
    times = [r["time"] for r in api.get(f"/assets/{truck['id']}/readings?order=asc").json()["items"]]
    assert times == [iso(2), iso(5)]


def test_a_meter_the_asset_does_not_have_is_422(api: Api) -> None:
    forklift = api.create_asset(type="machine")
    response = read(api, forklift, time=iso(1), odometer_km=10)
    assert response.status == 422
    assert response.json()["error"]["code"] == "meter_not_on_asset"
    assert response.json()["error"]["details"][0]["field"] == "body.odometer_km"


def test_resending_the_same_reading_is_a_harmless_duplicate_but_a_different_one_conflicts(
    api: Api, truck: dict
) -> None:
    first = read(api, truck, time=iso(1), odometer_km=10)
    again = read(api, truck, time=iso(1), odometer_km=10)
    assert (first.status, again.status) == (201, 200)
    assert again.json() == first.json()
    assert read(api, truck, time=iso(1), odometer_km=11).status == 409
    assert len(api.get(f"/assets/{truck['id']}/readings").json()["items"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body"),
        ({"odometer_km": -1}, "body.odometer_km"),
        ({"odometer_km": "many"}, "body.odometer_km"),
        ({"odometer_km": 1, "time": "yesterday"}, "body.time"),
        ({"odometer_km": 1, "time": "2026-01-01T10:00:00"}, "body.time"),
        ({"hours": 5, "meter_replaced": ["odometer"]}, "body.meter_replaced"),
    ],
)
def test_invalid_readings_are_422_naming_the_field(api: Api, truck: dict, body: dict, field: str) -> None:
    response = api.post(f"/assets/{truck['id']}/readings", body)
    assert response.status == 422
    assert field in [d["field"] for d in response.json()["error"]["details"]]


def test_a_reading_in_the_future_is_refused(api: Api, truck: dict) -> None:
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    assert read(api, truck, time=tomorrow, odometer_km=1).json()["error"]["code"] == "reading_in_future"


def test_readings_of_an_unknown_or_foreign_asset_are_404(api: Api, other_api: Api, truck: dict) -> None:
    assert other_api.post(f"/assets/{truck['id']}/readings", {"odometer_km": 1}).status == 404
    assert other_api.get(f"/assets/{truck['id']}/readings").status == 404
    assert api.get("/assets/ast_01JDQ8Z6W3K2M5X7Y9A1B3C5D7/readings").status == 404
    assert api.get(f"/assets/{truck['id']}").json()["current"]["odometer_km"] is None


def test_concurrent_readings_never_lose_the_newest(api: Api, truck: dict) -> None:
    with ThreadPoolExecutor(8) as pool:
        statuses = list(
            pool.map(lambda n: read(api, truck, time=iso(n), odometer_km=n * 10).status, range(1, 25))
        )
    assert set(statuses) == {201}
    asset = api.get(f"/assets/{truck['id']}").json()
    assert asset["current"] == {"at": iso(24), "odometer_km": 240.0, "hours": None}
    assert len(api.get(f"/assets/{truck['id']}/readings?limit=100").json()["items"]) == 24


def test_listing_by_time_range_order_and_pages(api: Api, truck: dict) -> None:
    for n in range(10):
        assert read(api, truck, time=iso(n), odometer_km=n * 100).status == 201
    path = f"/assets/{truck['id']}/readings"
    newest_first = [r["time"] for r in api.get(path).json()["items"]]
    assert newest_first == [iso(n) for n in range(9, -1, -1)]
    window = api.get(f"{path}?from={iso(2)}&to={iso(5)}&order=asc").json()["items"]
    assert [r["odometer_km"] for r in window] == [200, 300, 400, 500]
    seen, cursor = [], ""
    while True:
        page = api.get(f"{path}?limit=3{cursor}").json()
        seen += [r["time"] for r in page["items"]]
        if not page.get("next"):
            break
        cursor = f"&next={page['next']}"
    assert seen == newest_first
    assert api.get(f"{path}?from={iso(5)}&to={iso(2)}").status == 422


class TestBatch:
    def test_many_assets_in_one_request_with_per_item_results(self, api: Api) -> None:
        assets = [api.create_asset(name=f"T{n}", external_id=f"EXT-{n}") for n in range(5)]
        readings = []
        for step in range(120):  # 600 readings: 120 per asset, by id and by external id
            for n, asset in enumerate(assets):
                who = {"asset_id": asset["id"]} if n % 2 else {"external_id": f"EXT-{n}"}
                readings.append({**who, "time": iso(step), "odometer_km": step * 7.5})
        response = api.post("/readings", {"readings": readings})
        assert response.status == 200, response.body
        result = response.json()
        assert (result["accepted"], result["rejected"]) == (600, 0)
        assert [r["index"] for r in result["results"]] == list(range(600))
        for asset in assets:
            current = api.get(f"/assets/{asset['id']}").json()["current"]
            assert (current["at"], current["odometer_km"]) == (iso(119), 119 * 7.5)
        assert len(api.get(f"/assets/{assets[0]['id']}/readings?limit=200").json()["items"]) == 120

    def test_partial_success_is_reported_per_item(self, api: Api, other_api: Api) -> None:
        truck = api.create_asset(name="T")
        read(api, truck, time=iso(10), odometer_km=1000)
        foreign = other_api.create_asset(name="Theirs")
        response = api.post(
            "/readings",
            {
                "readings": [
                    {"asset_id": truck["id"], "time": iso(11), "odometer_km": 1100},
                    {"asset_id": truck["id"], "time": iso(12), "odometer_km": 900},
                    {"external_id": "NOPE", "odometer_km": 5},
                    {"asset_id": foreign["id"], "odometer_km": 5},
                    {"asset_id": truck["id"], "time": iso(3), "odometer_km": 300},
                    {"asset_id": truck["id"], "time": iso(11), "odometer_km": 1100},
                    {"asset_id": truck["id"], "time": iso(13), "hours": 4},
                ]
            },
        )
        assert response.status == 200
        result = response.json()
        outcomes = [(r["outcome"], r["status"]) for r in result["results"]]
        assert outcomes == [
            ("applied", 201),
            ("rejected", 422),
            ("rejected", 404),
            ("rejected", 404),
            ("history", 201),
            ("duplicate", 200),
            ("rejected", 422),
        ]
        assert result["results"][1]["error"]["code"] == "meter_decreased"
        assert (result["accepted"], result["rejected"]) == (3, 4)
        assert api.get(f"/assets/{truck['id']}").json()["current"]["odometer_km"] == 1100
        assert other_api.get(f"/assets/{foreign['id']}").json()["current"]["odometer_km"] is None

    @pytest.mark.parametrize(
        ("body", "field"),
        [
            ({"readings": []}, "body.readings"),
            ({"readings": [{"odometer_km": 1}]}, "body.readings.0"),
            ({"readings": [{"asset_id": "a", "external_id": "b", "odometer_km": 1}]}, "body.readings.0"),
            ({"readings": [{"asset_id": "a", "odometer_km": 1}] * 1001}, "body.readings"),
        ],
    )
    def test_invalid_batches_are_422(self, api: Api, body: dict, field: str) -> None:
        response = api.post("/readings", body)
        assert response.status == 422
        assert field in [d["field"] for d in response.json()["error"]["details"]]


def test_a_backfill_of_many_back_dated_readings_reads_the_history_once(api: Api, truck: dict) -> None:
    """Back-dated readings are checked against their neighbours from one read of the stored
    timeline around them, not two Queries each."""
    from shared.data.dynamo import client  # noqa: PLC0415

    read(api, truck, time=iso(200), odometer_km=50_000)
    stored = [
        {"asset_id": truck["id"], "time": iso(h), "odometer_km": 1_000 + h * 100} for h in range(0, 100, 2)
    ]
    assert api.post("/readings", {"readings": stored}).json()["rejected"] == 0
    queries: list[str] = []

    def count(params, **_kwargs) -> None:  # type: ignore[no-untyped-def]
        if "READINGS" in str(params.get("ExpressionAttributeValues", {}).get(":pk", "")):
            queries.append(params["KeyConditionExpression"])

    backfill = [
        {"asset_id": truck["id"], "time": iso(h), "odometer_km": 1_000 + h * 100} for h in range(1, 100, 2)
    ]
    backfill.append(
        {"asset_id": truck["id"], "time": iso(50.5), "odometer_km": 99_999}
    )  # above its neighbours
    client.meta.events.register("provide-client-params.dynamodb.Query", count)
    try:
        result = api.post("/readings", {"readings": backfill}).json()
    finally:
        client.meta.events.unregister("provide-client-params.dynamodb.Query", count)
    outcomes = [r["outcome"] for r in result["results"]]
    assert outcomes.count("history") == 50
    assert [r["error"]["code"] for r in result["results"] if r["error"]] == ["meter_out_of_order"]
    timeline_queries = [q for q in queries if "SK" in q and ">=" not in q]  # not the usage window
    assert len(timeline_queries) <= 3 + 100 // 10, timeline_queries  # before, span (paged by 10), after
