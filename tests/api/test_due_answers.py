"""Due answers that agree with each other (#10, items 11-16): meters at a past time, one due
instant for sorting and filtering, predictions that are never in the past, merge-patch updates,
done conditions."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import Api

NOW = datetime.now(UTC).replace(microsecond=0)


def ago(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat().replace("+00:00", "Z")


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def created(api: Api, body: dict) -> dict:
    response = api.post("/tasks", body)
    assert response.status == 201, response.body
    return response.json()


@pytest.fixture
def driven(api: Api) -> dict:
    """A truck read daily for 30 days at 100 km a day, up to 13,000 km yesterday."""
    truck = api.create_asset(name="Truck", type="vehicle", meters=["odometer", "hours"])
    readings = [
        {"asset_id": truck["id"], "time": ago(day), "odometer_km": 13_000 - (day - 1) * 100}
        for day in range(30, 0, -1)
    ]
    assert api.post("/readings", {"readings": readings}).json()["rejected"] == 0
    return truck


# --- 11. Meters at a past time are the readings then ----------------------------------------------


def test_item11_a_completion_before_the_first_reading_needs_its_meters(api: Api) -> None:
    truck = api.create_asset(name="Truck", type="vehicle")
    api.post(f"/assets/{truck['id']}/readings", {"time": ago(10), "odometer_km": 129_004.5})
    task = created(
        api,
        {
            "asset_id": truck["id"],
            "name": "Oil",
            "repeat": True,
            "start": {"at": ago(40), "odometer_km": 110_000},
            "conditions": {"distance": {"limit_km": 15_000}},
        },
    )
    refused = api.post(f"/tasks/{task['id']}/complete", {"at": ago(20)})
    assert refused.status == 422
    error = refused.json()["error"]
    assert (error["code"], error["details"][0]["field"]) == ("meter_unknown", "body.odometer_km")
    done = api.post(f"/tasks/{task['id']}/complete", {"at": ago(20), "odometer_km": 120_000})
    assert done.status == 200
    assert done.json()["start"]["odometer_km"] == 120_000
    assert done.json()["due"]["odometer_km"] == 135_000


def test_item11_a_completion_in_the_past_takes_the_reading_then(api: Api, driven: dict) -> None:
    task = created(
        api,
        {
            "asset_id": driven["id"],
            "name": "Oil",
            "repeat": True,
            "start": {"at": ago(25), "odometer_km": 10_000},
            "conditions": {"distance": {"limit_km": 5_000}},
        },
    )
    done = api.post(f"/tasks/{task['id']}/complete", {"at": ago(10.5)}).json()
    assert done["start"]["odometer_km"] == 12_000  # the reading 11 days ago, not yesterday's 13,000
    assert done["due"]["odometer_km"] == 17_000


def test_item11_a_start_in_the_past_takes_the_reading_then(api: Api, driven: dict) -> None:
    task = created(
        api,
        {
            "asset_id": driven["id"],
            "name": "Tyres",
            "start": {"at": ago(20)},
            "conditions": {"distance": {"limit_km": 5_000}},
        },
    )
    assert task["start"]["odometer_km"] == 11_100  # the reading 20 days ago
    assert task["due"]["odometer_km"] == 16_100
    unknown = api.post(
        "/tasks",
        {
            "asset_id": driven["id"],
            "name": "H",
            "start": {"at": ago(20)},
            "conditions": {"hours": {"limit_h": 9}},
        },
    )
    assert unknown.json()["error"]["details"][0]["field"] == "body.start.hours"


# --- 12-14. One due instant: whichever comes first, never a prediction in the past ----------------


def test_item12_and_13_due_at_is_the_earliest_of_facts_and_predictions(api: Api, driven: dict) -> None:
    in_days = lambda days: (NOW + timedelta(days=days)).date().isoformat()  # noqa: E731
    worn = created(
        api,
        {
            "asset_id": driven["id"],
            "name": "Oil at 98 %",
            "start": {"odometer_km": 12_020},
            "conditions": {"distance": {"limit_km": 1_000}, "date": {"due": in_days(365)}},
        },
    )
    soon = created(
        api, {"asset_id": driven["id"], "name": "Inspection", "conditions": {"date": {"due": in_days(21)}}}
    )
    later = created(
        api, {"asset_id": driven["id"], "name": "Licence", "conditions": {"date": {"due": in_days(400)}}}
    )
    assert worn["wear_percent"] == 98.0
    assert when(worn["due_at"]) < when(soon["due_at"]) < when(later["due_at"])
    assert worn["due_at"] == worn["predicted_due_at"] == worn["condition_states"][0]["predicted_due_at"]
    ordered = api.get(f"/tasks?asset_id={driven['id']}&sort=due").json()["items"]
    assert [task["name"] for task in ordered] == ["Oil at 98 %", "Inspection", "Licence"]
    before = (NOW + timedelta(days=60)).isoformat().replace("+00:00", "Z")
    filtered = api.get(f"/tasks?asset_id={driven['id']}&due_before={before}").json()["items"]
    assert [task["name"] for task in filtered] == ["Oil at 98 %", "Inspection"]
    assert all(when(task["due_at"]) < when(before) for task in filtered)
    after = api.get(f"/tasks?asset_id={driven['id']}&due_after={before}").json()["items"]
    assert [task["name"] for task in after] == ["Licence"]


def test_item14_a_prediction_is_never_before_now_while_the_task_is_not_due(api: Api) -> None:
    truck = api.create_asset(name="Truck", type="vehicle")
    readings = [
        {"asset_id": truck["id"], "time": ago(day), "odometer_km": 10_000 - day * 100}
        for day in range(20, 5, -1)
    ]
    api.post("/readings", {"readings": readings})  # the last one 6 days ago, at 9,400 km
    task = created(
        api,
        {
            "asset_id": truck["id"],
            "name": "Due by usage 4 days ago",
            "start": {"odometer_km": 9_000},
            "conditions": {"distance": {"limit_km": 600}},
        },
    )
    assert task["status"] != "overdue"
    requested = datetime.now(UTC)
    read = api.get(f"/tasks/{task['id']}").json()
    for moment in (read["predicted_due_at"], read["due_at"], read["condition_states"][0]["predicted_due_at"]):
        assert when(moment) >= requested - timedelta(seconds=1)
        assert when(moment) > when(ago(6))
    summary = api.get(f"/assets/{truck['id']}").json()["service"]
    assert when(summary["next_due_at"]) >= requested - timedelta(seconds=1)


# --- 15. PATCH is a JSON merge patch ----------------------------------------------------------------


def test_item15_patching_one_condition_keeps_the_others(api: Api, driven: dict) -> None:
    task = created(
        api,
        {
            "asset_id": driven["id"],
            "name": "Service",
            "start": {"odometer_km": 12_000, "hours": 100},
            "conditions": {
                "distance": {"limit_km": 10_000, "notify_before_km": 1_000},
                "hours": {"limit_h": 500},
                "date": {"every_months": 12, "notify_before_days": 30},
            },
            "cost": {"amount": 250, "currency": "EUR"},
            "recipients": {"sms": ["+4915112345678"], "emails": ["fleet@example.com"]},
        },
    )
    path = f"/tasks/{task['id']}"
    lead = api.patch(path, {"conditions": {"distance": {"notify_before_km": 500}}}).json()
    assert lead["conditions"]["distance"]["limit_km"] == 10_000
    assert lead["conditions"]["distance"]["notify_before_km"] == 500
    assert lead["conditions"]["hours"]["limit_h"] == 500 and lead["conditions"]["date"]["every_months"] == 12
    assert lead["due"]["odometer_km"] == 22_000
    no_date = api.patch(path, {"conditions": {"date": None}}).json()
    assert no_date["conditions"]["date"] is None and no_date["conditions"]["hours"] is not None
    money = api.patch(path, {"cost": {"amount": 99}, "recipients": {"emails": []}}).json()
    assert money["cost"] == {"amount": 99, "currency": "EUR"}
    assert money["recipients"]["sms"] == ["+4915112345678"] and money["recipients"]["emails"] == []
    empty = api.patch(path, {"conditions": {"distance": None, "hours": None}})
    assert empty.status == 422
    error = empty.json()["error"]
    assert (error["code"], error["details"][0]["field"]) == ("invalid_merge", "body.conditions")
    switch = api.patch(path, {"conditions": {"date": {"every_days": 90}}}).json()
    assert switch["conditions"]["date"]["every_days"] == 90
    assert api.get(path).json()["version"] == switch["version"] == 5


# --- 16. A done task says done; one rule for leads ----------------------------------------------------


def test_item16_a_done_tasks_conditions_say_done(api: Api, driven: dict) -> None:
    task = created(
        api,
        {
            "asset_id": driven["id"],
            "name": "Once",
            "conditions": {"distance": {"limit_km": 1_000}, "date": {"every_days": 30}},
        },
    )
    done = api.post(f"/tasks/{task['id']}/complete", {}).json()
    assert done["status"] == "done"
    assert [state["status"] for state in done["condition_states"]] == ["done", "done"]


@pytest.mark.parametrize(
    "conditions",
    [
        {"distance": {"limit_km": 1000, "notify_before_km": 1000}},
        {"hours": {"limit_h": 100, "notify_before_h": 100}},
        {"date": {"every_days": 30, "notify_before_days": 30}},
    ],
)
def test_item16_a_lead_as_long_as_the_interval_is_refused_for_every_kind(
    api: Api, driven: dict, conditions: dict
) -> None:
    response = api.post(
        "/tasks",
        {"asset_id": driven["id"], "name": "X", "start": {"hours": 10}, "conditions": conditions},
    )
    assert response.status == 422
    assert response.json()["error"]["code"] == "invalid_conditions"
