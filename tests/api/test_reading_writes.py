"""How a reading is written (docs/cost.md): the asset first, then the reading, so a function that
stops in between loses nothing; the time a reading reached a task's point is kept as later
readings arrive; the usage estimate is worked out again as its readings say, not on every one."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from shared.data import readings_repo
from tests.conftest import Api

BASE = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(days=20)
DUE_WORK = "/tasks?status=upcoming,overdue&sort=due"


def iso(hours: float) -> str:
    return (BASE + timedelta(hours=hours)).isoformat().replace("+00:00", "Z")


def read(api: Api, asset: dict, hours: float, km: float) -> Any:
    response = api.post(f"/assets/{asset['id']}/readings", {"time": iso(hours), "odometer_km": km})
    assert response.status == 201, response.body
    return response.json()


def listed(api: Api, asset: dict, query: str = "&order=asc") -> list[tuple[str, float]]:
    page = api.get(f"/assets/{asset['id']}/readings?limit=100{query}").json()
    return [(item["time"], item["odometer_km"]) for item in page["items"]]


@pytest.fixture
def truck(api: Api) -> dict:
    return api.create_asset(name="Truck", type="vehicle", meters=["odometer"])


class _Stop(Exception):
    """The function stopped (a timeout, a crash) between two of its calls."""


@pytest.fixture
def stop_before_the_reading_is_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next reading's put never happens: the asset is updated, then the function stops."""
    original = readings_repo.client.put_item
    stopped = []

    def put_item(**request: Any) -> Any:
        if not stopped and request["Item"]["PK"]["S"].startswith("R#"):
            stopped.append(request)
            raise _Stop()
        return original(**request)

    monkeypatch.setattr(readings_repo.client, "put_item", put_item)


def test_a_reading_whose_put_never_happened_is_listed_and_restored_by_the_next_write(
    api: Api, truck: dict, stop_before_the_reading_is_stored: None
) -> None:
    stopped = api.post(f"/assets/{truck['id']}/readings", {"time": iso(0), "odometer_km": 1_000})
    assert stopped.status == 500
    assert listed(api, truck) == [(iso(0), 1_000)]  # from the asset, which was written first
    again = api.post(f"/assets/{truck['id']}/readings", {"time": iso(0), "odometer_km": 1_000})
    assert again.status == 200  # the client's retry: a duplicate of what was recorded
    assert readings_repo.get_reading(api.account, truck["id"], BASE) is not None  # stored now


def test_a_stop_between_the_asset_and_the_reading_loses_no_reading(
    api: Api, truck: dict, stop_before_the_reading_is_stored: None
) -> None:
    api.post(f"/assets/{truck['id']}/readings", {"time": iso(0), "odometer_km": 900})  # stopped
    read(api, truck, 0.5, 1_000)
    stopped = api.post(f"/assets/{truck['id']}/readings", {"time": iso(1), "odometer_km": 1_100})
    assert stopped.status == 201  # only the first reading's put was stopped
    assert listed(api, truck) == [(iso(0), 900), (iso(0.5), 1_000), (iso(1), 1_100)]


def test_a_reading_kept_only_by_the_asset_is_shown_checked_against_and_stored_next_time(
    api: Api, truck: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    read(api, truck, 0, 1_000)
    monkeypatch.setattr(readings_repo.client, "put_item", _failing_reading_put(readings_repo.client.put_item))
    stopped = api.post(f"/assets/{truck['id']}/readings", {"time": iso(1), "odometer_km": 1_100})
    assert stopped.status == 500
    monkeypatch.undo()
    # The asset moved; its reading shows where it belongs though its own write never happened.
    assert api.get(f"/assets/{truck['id']}").json()["current"]["odometer_km"] == 1_100
    assert listed(api, truck) == [(iso(0), 1_000), (iso(1), 1_100)]
    assert listed(api, truck, "&order=desc") == [(iso(1), 1_100), (iso(0), 1_000)]
    assert listed(api, truck, f"&order=asc&to={iso(0)}") == [(iso(0), 1_000)]
    # A back-dated reading must still fit below it.
    refused = api.post(f"/assets/{truck['id']}/readings", {"time": iso(0.5), "odometer_km": 1_200})
    assert refused.status == 422, refused.body
    # The next reading stores it for good.
    read(api, truck, 2, 1_200)
    assert listed(api, truck, f"&from={iso(1)}&to={iso(1)}") == [(iso(1), 1_100)]  # stored
    assert listed(api, truck) == [(iso(0), 1_000), (iso(1), 1_100), (iso(2), 1_200)]


def test_pages_hold_the_reading_the_asset_keeps_exactly_once(
    api: Api, truck: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    for hour in range(3):
        read(api, truck, hour, 1_000 + hour)
    monkeypatch.setattr(readings_repo.client, "put_item", _failing_reading_put(readings_repo.client.put_item))
    assert api.post(f"/assets/{truck['id']}/readings", {"time": iso(3), "odometer_km": 1_003}).status == 500
    monkeypatch.undo()
    expected = [1_000.0, 1_001.0, 1_002.0, 1_003.0]
    for order, wanted in (("asc", expected), ("desc", expected[::-1])):
        for size in (2, 3, 4, 5):
            seen, cursor = [], None
            while True:
                query = f"/assets/{truck['id']}/readings?limit={size}&order={order}"
                page = api.get(query + (f"&next={cursor}" if cursor else "")).json()
                seen += [item["odometer_km"] for item in page["items"]]
                cursor = page["next"]
                if not cursor:
                    break
            assert seen == wanted, (order, size)


def _failing_reading_put(original: Any) -> Any:
    def put_item(**request: Any) -> Any:
        if request["Item"]["PK"]["S"].startswith("R#"):
            raise _Stop()
        return original(**request)

    return put_item


def km_task(api: Api, asset: dict, name: str, start_km: float) -> dict:
    conditions = {"distance": {"limit_km": 10_000, "notify_before_km": 1_000}}
    body = {
        "asset_id": asset["id"],
        "name": name,
        "conditions": conditions,
        "start": {"odometer_km": start_km},
    }
    response = api.post("/tasks", body)
    assert response.status == 201, response.body
    return response.json()


def test_an_overdue_task_stays_due_when_its_point_was_reached_as_readings_follow(
    api: Api, truck: dict
) -> None:
    read(api, truck, 0, 10_000)
    task = km_task(api, truck, "Oil", start_km=1_000)  # due at 11 000
    read(api, truck, 1, 10_500)
    read(api, truck, 2, 11_000)  # reaches the due point
    for hour in range(3, 8):
        read(api, truck, hour, 11_000 + hour * 50)
    shown = api.get(f"/tasks/{task['id']}").json()
    assert shown["status"] == "overdue"
    assert shown["due_at"] == iso(2)
    assert [item["due_at"] for item in api.get(DUE_WORK).json()["items"]] == [iso(2)]


def test_a_back_dated_reading_that_reached_the_point_earlier_moves_the_due_time_back(
    api: Api, truck: dict
) -> None:
    read(api, truck, 0, 10_000)
    task = km_task(api, truck, "Oil", start_km=1_000)
    read(api, truck, 5, 11_500)  # overdue since hour 5, as far as anyone knew
    assert api.get(f"/tasks/{task['id']}").json()["due_at"] == iso(5)
    read(api, truck, 3, 11_100)  # but a reading at hour 3 was already past it
    assert api.get(f"/tasks/{task['id']}").json()["due_at"] == iso(3)


def test_the_due_list_follows_predictions_that_move_by_days(api: Api) -> None:
    first, second = (api.create_asset(name=n, type="vehicle", meters=["odometer"]) for n in ("A", "B"))
    for hour in range(0, 241, 24):  # ten days of 100 km a day on both
        read(api, first, hour, 9_000 + hour * 100 / 24)
        read(api, second, hour, 9_000 + hour * 100 / 24)
    km_task(api, first, "A service", start_km=500)  # due at 10 500: five days ahead
    km_task(api, second, "B service", start_km=800)  # due at 10 800: eight days ahead
    assert [item["name"] for item in api.get(DUE_WORK).json()["items"]] == ["A service", "B service"]
    # A is parked for a week (its usage falls), B goes on: its point is a day away, A's many.
    for day in range(11, 18):
        read(api, first, day * 24, 10_000)
        read(api, second, day * 24, 10_000 + (day - 10) * 100)
    names = [item["name"] for item in api.get(DUE_WORK).json()["items"]]
    assert names == ["B service", "A service"]


def test_the_usage_estimate_is_worked_out_again_once_a_day_of_readings(api: Api, truck: dict) -> None:
    for hour in range(10):  # ten hourly readings at 10 km/h: 240 km a day
        read(api, truck, hour, 1_000 + hour * 10)
    usage = api.get(f"/assets/{truck['id']}").json()["usage"]["km_per_day"]
    assert usage == pytest.approx(240)
    # The truck goes four times as fast: within a day of the last estimate (at hour 9), it stands.
    for hour in range(10, 33):
        read(api, truck, hour, 1_090 + (hour - 9) * 40)
    assert api.get(f"/assets/{truck['id']}").json()["usage"]["km_per_day"] == usage
    read(api, truck, 33, 1_090 + 24 * 40)  # a day on: worked out again
    assert api.get(f"/assets/{truck['id']}").json()["usage"]["km_per_day"] > 3 * usage


@pytest.fixture
def lagging_asset_reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Eventually consistent reads of assets answer what ``lag`` says: a stored copy taken
    earlier (``stale``), or nothing yet (``missing``); consistent reads answer what is stored."""
    from shared.data import dynamo  # noqa: PLC0415

    lag: dict[str, Any] = {"stale": None, "missing": False, "consistent_reads": 0}
    get_item, batch_get_item = dynamo.client.get_item, dynamo.client.batch_get_item

    def lagging(key: dict[str, Any], found: dict[str, Any] | None) -> dict[str, Any] | None:
        if not key["SK"]["S"].startswith("ASSET#"):
            return found
        return None if lag["missing"] else (lag["stale"] or found)

    def get(**request: Any) -> Any:
        response = get_item(**request)
        if request.get("ConsistentRead"):
            lag["consistent_reads"] += 1
            return response
        item = lagging(request["Key"], response.get("Item"))
        return {"Item": item} if item else {}

    def batch_get(**request: Any) -> Any:
        response = batch_get_item(**request)
        [(table, wanted)] = request["RequestItems"].items()
        if wanted.get("ConsistentRead"):
            lag["consistent_reads"] += 1
            return response
        items = [lagging({"SK": item["SK"]}, item) for item in response["Responses"][table]]
        return {**response, "Responses": {table: [item for item in items if item]}}

    monkeypatch.setattr(dynamo.client, "get_item", get)
    monkeypatch.setattr(dynamo.client, "batch_get_item", batch_get)
    return lag


def _stored_asset(api: Api, asset: dict) -> dict[str, Any]:
    from shared.data import dynamo, keys  # noqa: PLC0415

    key = dynamo.key(keys.account_pk(api.account), keys.asset_sk(asset["id"]))
    return dynamo.client.get_item(TableName=dynamo.TABLE_NAME, Key=key, ConsistentRead=True)["Item"]


def test_a_reading_on_an_asset_read_a_moment_old_is_written_on_the_asset_as_stored(
    api: Api, truck: dict, lagging_asset_reads: dict[str, Any]
) -> None:
    # Readings read the asset at half the price, eventually consistent: a copy from before the
    # last reading fails the write's condition, and the asset is read again, consistently.
    read(api, truck, 0, 1_000)
    lagging_asset_reads["stale"] = _stored_asset(api, truck)
    read(api, truck, 1, 1_010)
    read(api, truck, 2, 1_020)
    assert lagging_asset_reads["consistent_reads"] > 0
    assert listed(api, truck) == [(iso(0), 1_000), (iso(1), 1_010), (iso(2), 1_020)]
    assert api.get(f"/assets/{truck['id']}").json()["current"]["odometer_km"] == 1_020
    # The same in a batch, where the assets are read together.
    batch = [{"asset_id": truck["id"], "time": iso(3), "odometer_km": 1_030}]
    assert api.post("/readings", {"readings": batch}).json()["accepted"] == 1
    assert listed(api, truck)[-1] == (iso(3), 1_030)


def test_an_asset_not_yet_seen_by_an_eventually_consistent_read_still_takes_readings(
    api: Api, truck: dict, lagging_asset_reads: dict[str, Any]
) -> None:
    lagging_asset_reads["missing"] = True
    read(api, truck, 0, 1_000)
    batch = [{"asset_id": truck["id"], "time": iso(1), "odometer_km": 1_010}]
    assert api.post("/readings", {"readings": batch}).json()["accepted"] == 1
    assert listed(api, truck) == [(iso(0), 1_000), (iso(1), 1_010)]
    due = api.get("/assets?limit=10").json()["items"]
    assert [asset["id"] for asset in due] == [truck["id"]]


def test_an_external_id_moved_a_moment_ago_puts_readings_on_the_asset_that_has_it_now(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shared.data import dynamo  # noqa: PLC0415

    old = api.create_asset(name="Old truck", type="vehicle", meters=["odometer"], external_id="trk-1")
    assert api.patch(f"/assets/{old['id']}", {"external_id": "trk-9"}).status == 200
    new = api.create_asset(name="New truck", type="vehicle", meters=["odometer"], external_id="trk-1")
    # An eventually consistent read still answers what the id named before it moved.
    batch_get_item = dynamo.client.batch_get_item

    def lagging(**request: Any) -> Any:
        response = batch_get_item(**request)
        [(table, wanted)] = request["RequestItems"].items()
        if wanted.get("ConsistentRead"):
            return response
        items = [
            {**item, "asset_id": {"S": old["id"]}} if item["SK"]["S"] == "EXTID#trk-1" else item
            for item in response["Responses"][table]
        ]
        return {**response, "Responses": {table: items}}

    monkeypatch.setattr(dynamo.client, "batch_get_item", lagging)
    batch = [{"external_id": "trk-1", "time": iso(0), "odometer_km": 500}]
    [result] = api.post("/readings", {"readings": batch}).json()["results"]
    assert result["reading"]["asset_id"] == new["id"]
    assert listed(api, new) == [(iso(0), 500)]
    assert listed(api, old) == []


@pytest.fixture
def between_asset_and_readings(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Requests to send after the next asset update of a reading write and before its puts."""
    original = readings_repo.client.update_item
    queued: list[Any] = []

    def update_item(**request: Any) -> Any:
        response = original(**request)
        if queued and "last_reading" in request["UpdateExpression"].replace("#", ""):
            send = queued.pop(0)
            send()
        return response

    monkeypatch.setattr(readings_repo.client, "update_item", update_item)
    return queued


def test_a_back_dated_reading_stored_meanwhile_is_not_overwritten_by_an_older_write(
    api: Api, truck: dict, between_asset_and_readings: list[Any]
) -> None:
    read(api, truck, 0, 100)
    between_asset_and_readings.append(lambda: read(api, truck, 1, 105))
    batch = [
        {"asset_id": truck["id"], "time": iso(1), "odometer_km": 150},
        {"asset_id": truck["id"], "time": iso(2), "odometer_km": 200},
    ]
    results = api.post("/readings", {"readings": batch}).json()["results"]
    assert [(r["status"], (r.get("error") or {}).get("code")) for r in results] == [
        (409, "reading_exists"),
        (201, None),
    ]
    assert listed(api, truck) == [(iso(0), 100), (iso(1), 105), (iso(2), 200)]


def test_a_reading_kept_for_its_day_meanwhile_stays_kept(
    api: Api, truck: dict, between_asset_and_readings: list[Any]
) -> None:
    from tests.api.test_reading_retention import stored  # noqa: PLC0415

    midnight = 24 - BASE.hour  # hours from BASE to the next midnight UTC
    read(api, truck, midnight + 1, 100)
    # While the 20:00 reading is being written, a reading of the next day closes its day.
    between_asset_and_readings.append(lambda: read(api, truck, midnight + 30, 300))
    read(api, truck, midnight + 20, 200)
    assert stored(api, truck)[iso(midnight + 20)] is None


def test_a_day_closes_by_the_utc_day_whatever_offset_a_reading_was_sent_with(api: Api, truck: dict) -> None:
    from tests.api.test_reading_retention import stored  # noqa: PLC0415

    midnight = 24 - BASE.hour  # hours from BASE to the next midnight UTC
    read(api, truck, midnight + 20, 100)  # 20:00 UTC
    # 04:00 UTC the next day, sent as 23:00 the day before at UTC-5.
    later = (BASE + timedelta(hours=midnight + 28)).astimezone(timezone(timedelta(hours=-5))).isoformat()
    assert api.post(f"/assets/{truck['id']}/readings", {"time": later, "odometer_km": 110}).status == 201
    assert stored(api, truck)[iso(midnight + 20)] is None


def test_readings_by_an_external_id_moved_meanwhile_are_not_put_on_the_asset_it_left(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shared.data import dynamo  # noqa: PLC0415

    old = api.create_asset(name="Old truck", type="vehicle", meters=["odometer"], external_id="trk-1")
    before = _stored_asset(api, old)
    assert api.patch(f"/assets/{old['id']}", {"external_id": "trk-9"}).status == 200
    api.create_asset(name="New truck", type="vehicle", meters=["odometer"], external_id="trk-1")
    batch_get_item = dynamo.client.batch_get_item

    def lagging(**request: Any) -> Any:  # both the id and the asset answered from before the move
        response = batch_get_item(**request)
        [(table, wanted)] = request["RequestItems"].items()
        if wanted.get("ConsistentRead"):
            return response
        items = [
            {**item, "asset_id": {"S": old["id"]}}
            if item["SK"]["S"] == "EXTID#trk-1"
            else before
            if item["SK"]["S"] == before["SK"]["S"]
            else item
            for item in response["Responses"][table]
        ]
        if not any(item["SK"]["S"] == before["SK"]["S"] for item in items) and any(
            key["SK"]["S"] == before["SK"]["S"] for key in wanted["Keys"]
        ):
            items.append(before)
        return {**response, "Responses": {table: items}}

    monkeypatch.setattr(dynamo.client, "batch_get_item", lagging)
    batch = [{"external_id": "trk-1", "time": iso(0), "odometer_km": 500}]
    [result] = api.post("/readings", {"readings": batch}).json()["results"]
    assert result["status"] == 404 and result["error"]["details"][0]["field"] == "body.readings.0.external_id"
    assert listed(api, old) == []
