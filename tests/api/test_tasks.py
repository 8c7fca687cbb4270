"""Service tasks through the API: conditions, status from readings and time, completion, repeat."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Api
from tests.uploads import uploaded_file

NOW = datetime.now(UTC).replace(microsecond=0)


def ago(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def truck(api: Api) -> dict:
    asset = api.create_asset(name="Truck", type="vehicle", meters=["odometer", "hours"])
    assert (
        api.post(
            f"/assets/{asset['id']}/readings", {"time": ago(2), "odometer_km": 45_000, "hours": 1200}
        ).status
        == 201
    )
    return asset


def new_task(api: Api, asset: dict, **fields: object) -> dict:
    body = {
        "name": "Oil change",
        "conditions": {"distance": {"limit_km": 15_000, "notify_before_km": 1_000}},
        "asset_id": asset["id"],
        **fields,
    }
    response = api.post("/tasks", body)
    assert response.status == 201, response.body
    return response.json()


def read_meters(api: Api, asset: dict, days_ago: float, **meters: float) -> None:
    response = api.post(f"/assets/{asset['id']}/readings", {"time": ago(days_ago), **meters})
    assert response.status == 201, response.body


def state(api: Api, task: dict) -> dict:
    return api.get(f"/tasks/{task['id']}").json()


def test_a_task_starts_from_the_assets_meters_and_says_where_it_is_due(api: Api, truck: dict) -> None:
    response = api.post(
        "/tasks",
        {
            "asset_id": truck["id"],
            "name": "Oil change",
            "conditions": {
                "distance": {"limit_km": 15_000, "notify_before_km": 1_000},
                "hours": {"limit_h": 500, "notify_at_percent": 90},
            },
        },
    )
    assert response.status == 201
    task = response.json()
    assert response.headers["Location"] == f"/tasks/{task['id']}"
    assert (task["status"], task["occurrence"], task["version"]) == ("planned", 1, 1)
    assert (task["start"]["odometer_km"], task["start"]["hours"]) == (45_000, 1200)
    assert (task["due"]["odometer_km"], task["due"]["hours"]) == (60_000, 1700)
    distance, hours = task["condition_states"]
    assert (distance["kind"], distance["warn"], distance["remaining"]) == ("distance", 59_000, 15_000)
    assert (hours["kind"], hours["warn"]) == ("hours", 1650)
    assert task["wear_percent"] == 0
    assert api.get(f"/tasks/{task['id']}").json()["due"] == task["due"]


def test_an_explicit_start_snapshot_counts_from_the_last_service(api: Api, truck: dict) -> None:
    task = new_task(api, truck, start={"at": "2026-03-01T08:00:00Z", "odometer_km": 40_000})
    assert task["due"]["odometer_km"] == 55_000
    assert task["condition_states"][0]["used_percent"] == pytest.approx(33.3, abs=0.1)


def test_an_hours_condition_on_an_asset_without_an_hours_meter_is_refused_clearly(api: Api) -> None:
    van = api.create_asset(name="Van", type="vehicle")
    response = api.post(
        "/tasks", {"asset_id": van["id"], "name": "Service", "conditions": {"hours": {"limit_h": 250}}}
    )
    assert response.status == 422
    error = response.json()["error"]
    assert error["code"] == "asset_has_no_hours_meter"
    assert error["details"][0]["field"] == "body.conditions.hours"
    assert error["message"] == (
        "the asset has no operating-hours meter, so an hours condition cannot be tracked; "
        "add the meter to the asset first"
    )


def test_a_meter_condition_needs_a_known_start_value(api: Api) -> None:
    van = api.create_asset(name="New van", type="vehicle")
    body = {"asset_id": van["id"], "name": "First service", "conditions": {"distance": {"limit_km": 1000}}}
    refused = api.post("/tasks", body)
    assert refused.status == 422
    assert refused.json()["error"]["details"][0]["field"] == "body.start.odometer_km"
    assert api.post("/tasks", {**body, "start": {"odometer_km": 0}}).status == 201


@pytest.mark.parametrize(
    ("conditions", "field", "code"),
    [
        ({}, "body.conditions", "validation_error"),
        (
            {"distance": {"limit_km": 1000, "notify_before_km": 1000}},
            "body.conditions.distance.notify_before_km",
            "invalid_conditions",
        ),
        (
            {"date": {"every_days": 30, "notify_before_days": 30}},
            "body.conditions.date.notify_before_days",
            "invalid_conditions",
        ),
        (
            {"date": {"every_months": 1, "notify_before_days": 40}},
            "body.conditions.date.notify_before_days",
            "invalid_conditions",
        ),
        (
            {"distance": {"limit_km": 1000, "notify_before_km": 10, "notify_at_percent": 90}},
            "body.conditions.distance",
            "validation_error",
        ),
        ({"date": {"every_days": 30, "every_months": 1}}, "body.conditions.date", "validation_error"),
        ({"date": {"notify_before_days": 3}}, "body.conditions.date", "validation_error"),
        ({"distance": {"limit_km": -5}}, "body.conditions.distance.limit_km", "validation_error"),
        ({"distance": {"limit_km": 5e-324}}, "body.conditions.distance.limit_km", "validation_error"),
    ],
)
def test_invalid_conditions_are_422_naming_the_field(
    api: Api, truck: dict, conditions: dict, field: str, code: str
) -> None:
    """validation_error: the document says no; invalid_conditions: a rule it cannot state."""
    response = api.post("/tasks", {"asset_id": truck["id"], "name": "X", "conditions": conditions})
    assert response.status == 422, response.body
    error = response.json()["error"]
    assert field in [d["field"] for d in error["details"]]
    assert error["code"] == code


@pytest.mark.parametrize(
    ("recipients", "field"),
    [
        ({"sms": ["+12"]}, "body.recipients.sms.0"),
        ({"sms": ["4915112345678"]}, "body.recipients.sms.0"),
        ({"sms": ["+4915112345678", "+1 202 555 0123x"]}, "body.recipients.sms.1"),
        ({"emails": ["fleet@example"]}, "body.recipients.emails.0"),
    ],
)
def test_recipients_are_validated_strictly(api: Api, truck: dict, recipients: dict, field: str) -> None:
    body = {
        "asset_id": truck["id"],
        "name": "X",
        "conditions": {"distance": {"limit_km": 10}},
        "recipients": recipients,
    }
    response = api.post("/tasks", body)
    assert response.status == 422
    assert field in [d["field"] for d in response.json()["error"]["details"]]


def test_recipients_costs_and_attachments_are_kept(api: Api, truck: dict) -> None:
    photo = uploaded_file(api)
    task = new_task(
        api,
        truck,
        recipients={"sms": ["+4915112345678"], "emails": ["Fleet@Example.com"], "push": True},
        cost={"amount": 189.5, "currency": "EUR"},
        attachment_ids=[photo["id"]],
        unplanned=True,
        description="Engine oil 5W-30",
        comment="Bring filter",
    )
    assert task["recipients"]["sms"] == ["+4915112345678"]
    assert task["recipients"]["push"] is True
    assert task["cost"] == {"amount": 189.5, "currency": "EUR"}
    assert (task["attachment_ids"], task["unplanned"]) == ([photo["id"]], True)


def test_a_reading_across_the_warning_point_makes_the_task_upcoming_at_once(api: Api, truck: dict) -> None:
    task = new_task(api, truck)
    read_meters(api, truck, 1, odometer_km=58_999)
    assert state(api, task)["status"] == "planned"
    read_meters(api, truck, 0.5, odometer_km=59_000)
    assert state(api, task)["status"] == "upcoming"
    asset = api.get(f"/assets/{truck['id']}").json()
    assert asset["service"]["status"] == "upcoming"
    assert asset["service"]["next_task_id"] == task["id"]
    read_meters(api, truck, 0.1, odometer_km=60_000)
    assert state(api, task)["status"] == "overdue"
    assert api.get(f"/assets/{truck['id']}").json()["service"]["status"] == "overdue"


def test_whichever_condition_comes_first_decides(api: Api, truck: dict) -> None:
    task = new_task(
        api,
        truck,
        conditions={
            "distance": {"limit_km": 15_000},
            "date": {"due": (NOW - timedelta(days=1)).date().isoformat()},
        },
    )
    current = state(api, task)
    assert current["status"] == "overdue"
    assert [s["status"] for s in current["condition_states"]] == ["planned", "overdue"]


def test_date_conditions_fall_due_at_midnight_in_the_account_time_zone(api: Api, truck: dict) -> None:
    # Kiritimati is 26 hours ahead of Etc/GMT+12: its "today" has not begun there yet.
    today_far_east = NOW.astimezone(ZoneInfo("Pacific/Kiritimati")).date().isoformat()
    conditions = {"date": {"due": today_far_east}}
    api.patch("/settings", {"time_zone": "Pacific/Kiritimati"})
    assert new_task(api, truck, conditions=conditions)["status"] == "overdue"
    api.patch("/settings", {"time_zone": "Etc/GMT+12"})
    assert new_task(api, truck, conditions=conditions)["status"] == "planned"


def test_completing_a_repeating_task_starts_the_next_occurrence_and_records_history(
    api: Api, truck: dict
) -> None:
    task = new_task(api, truck, repeat=True, cost={"amount": 100, "currency": "EUR"})
    read_meters(api, truck, 1, odometer_km=60_500, hours=1300)
    response = api.post(
        f"/tasks/{task['id']}/complete", {"comment": "Oil and filter", "cost": {"amount": 120}}
    )
    assert response.status == 200
    done = response.json()
    assert (done["status"], done["occurrence"]) == ("planned", 2)
    assert done["start"]["odometer_km"] == 60_500
    assert done["due"]["odometer_km"] == 75_500
    assert done["completion"]["odometer_km"] == 60_500
    history = api.get(f"/assets/{truck['id']}/history").json()["items"]
    assert len(history) == 1
    entry = history[0]
    assert (entry["task_id"], entry["occurrence"], entry["odometer_km"], entry["comment"]) == (
        task["id"],
        1,
        60_500,
        "Oil and filter",
    )
    assert entry["cost"]["amount"] == 120
    assert api.get(f"/assets/{truck['id']}").json()["service"]["status"] == "planned"


def test_fixed_cadence_lands_on_the_next_point_after_a_late_completion(api: Api) -> None:
    loader = api.create_asset(name="Loader", type="machine")
    read_meters(api, loader, 3, hours=0)
    task = new_task(
        api,
        loader,
        conditions={"hours": {"limit_h": 500, "notify_before_h": 25}},
        repeat=True,
        anchor="cadence",
    )
    read_meters(api, loader, 1, hours=1320)
    assert state(api, task)["status"] == "overdue"
    done = api.post(f"/tasks/{task['id']}/complete", {}).json()
    assert done["due"]["hours"] == 1500
    assert done["status"] == "planned"


def test_completing_a_task_in_the_past_uses_the_meters_of_that_time(api: Api, truck: dict) -> None:
    task = new_task(api, truck, start={"at": ago(10), "odometer_km": 44_000})
    read_meters(api, truck, 1, odometer_km=46_000)
    done = api.post(f"/tasks/{task['id']}/complete", {"at": ago(1.5)}).json()
    assert done["status"] == "done"
    assert done["completion"]["odometer_km"] == 45_000


def test_a_done_task_without_repeat_stays_done_with_its_wear_frozen(api: Api, truck: dict) -> None:
    task = new_task(api, truck)
    read_meters(api, truck, 1, odometer_km=52_500)
    done = api.post(f"/tasks/{task['id']}/complete", {}).json()
    assert (done["status"], done["wear_percent"]) == ("done", 50)
    read_meters(api, truck, 0.5, odometer_km=70_000)
    assert (state(api, task)["status"], state(api, task)["wear_percent"]) == ("done", 50)
    again = api.post(f"/tasks/{task['id']}/complete", {})
    assert again.status == 409
    assert api.get(f"/assets/{truck['id']}").json()["service"]["status"] is None


def test_reopen_undoes_the_latest_completion(api: Api, truck: dict) -> None:
    task = new_task(api, truck, repeat=True)
    before = state(api, task)
    api.post(f"/tasks/{task['id']}/complete", {})
    reopened = api.post(f"/tasks/{task['id']}/reopen")
    assert reopened.status == 200
    assert (reopened.json()["occurrence"], reopened.json()["due"]) == (1, before["due"])
    assert api.get(f"/assets/{truck['id']}/history").json()["items"] == []
    assert api.post(f"/tasks/{task['id']}/reopen").status == 409


def test_a_completion_before_the_occurrence_started_is_refused(api: Api, truck: dict) -> None:
    task = new_task(api, truck)
    response = api.post(f"/tasks/{task['id']}/complete", {"at": "2001-01-01T00:00:00Z"})
    assert response.status == 422
    assert response.json()["error"]["details"][0]["field"] == "body.at"


def test_updates_are_partial_versioned_and_recompute_due_points(api: Api, truck: dict) -> None:
    task = new_task(api, truck)
    path = f"/tasks/{task['id']}"
    updated = api.patch(
        path,
        {"name": "Big service", "conditions": {"distance": {"limit_km": 30_000}}},
        headers={"If-Match": '"1"'},
    )
    assert updated.status == 200, updated.body
    assert (updated.json()["name"], updated.json()["due"]["odometer_km"], updated.json()["version"]) == (
        "Big service",
        75_000,
        2,
    )
    assert api.patch(path, {"name": "Stale"}, headers={"If-Match": '"1"'}).status == 412
    assert api.patch(path, {"name": None}).status == 422
    assert api.patch(path, {"comment": "note"}).json()["name"] == "Big service"


def test_tasks_of_other_accounts_are_404(api: Api, other_api: Api, truck: dict) -> None:
    task = new_task(api, truck)
    assert other_api.get(f"/tasks/{task['id']}").status == 404
    assert (
        other_api.post(
            "/tasks", {"asset_id": truck["id"], "name": "X", "conditions": {"distance": {"limit_km": 5}}}
        ).status
        == 404
    )
    assert api.get("/tasks/tsk_nonsense").status == 404


def test_delete_one_and_many_with_results_per_id(api: Api, other_api: Api, truck: dict) -> None:
    first, second, third = (new_task(api, truck, name=f"T{n}") for n in range(3))
    assert api.delete(f"/tasks/{first['id']}").status == 204
    assert api.get(f"/tasks/{first['id']}").status == 404
    foreign = new_task(
        other_api,
        other_api.create_asset(name="Theirs", type="machine"),
        conditions={"date": {"every_days": 30}},
    )
    response = api.post(
        "/tasks/batch-delete", {"task_ids": [second["id"], first["id"], foreign["id"], third["id"]]}
    )
    assert response.status == 200
    assert [r["status"] for r in response.json()["results"]] == [204, 404, 404, 204]
    assert other_api.get(f"/tasks/{foreign['id']}").status == 200
    assert api.get("/tasks").json()["items"] == []


def test_batch_delete_of_many_tasks_of_one_asset_keeps_the_asset_right(api: Api, truck: dict) -> None:
    van = api.create_asset(name="Van", type="vehicle")
    mine = [new_task(api, truck, name=f"T{n}") for n in range(12)]
    theirs = [new_task(api, van, name=f"V{n}", conditions={"date": {"every_days": 30}}) for n in range(3)]
    ids = [t["id"] for t in mine[:10]] + [mine[0]["id"], "tsk_nonsense", theirs[0]["id"]]
    response = api.post("/tasks/batch-delete", {"task_ids": ids})
    assert response.status == 200
    assert [r["status"] for r in response.json()["results"]] == [204] * 10 + [404, 404, 204]
    assert (response.json()["succeeded"], response.json()["failed"]) == (11, 2)
    left = {item["name"] for item in api.get("/tasks?limit=100").json()["items"]}
    assert left == {"T10", "T11", "V1", "V2"}
    assert api.get(f"/assets/{truck['id']}").json()["service"]["open_tasks"] == 2
    assert api.get(f"/assets/{van['id']}").json()["service"]["open_tasks"] == 2
    # The asset counts its tasks right: once the last two go, it can be deleted.
    api.post("/tasks/batch-delete", {"task_ids": [t["id"] for t in mine[10:]]})
    assert api.delete(f"/assets/{truck['id']}").status == 204


def test_an_asset_with_tasks_cannot_be_deleted_or_lose_a_meter_they_use(api: Api, truck: dict) -> None:
    task = new_task(api, truck, conditions={"hours": {"limit_h": 100}})
    refused = api.delete(f"/assets/{truck['id']}")
    assert (refused.status, refused.json()["error"]["code"]) == (409, "asset_has_tasks")
    removed = api.patch(f"/assets/{truck['id']}", {"meters": ["odometer"]})
    assert (removed.status, removed.json()["error"]["code"]) == (409, "meter_in_use")
    api.delete(f"/tasks/{task['id']}")
    assert api.delete(f"/assets/{truck['id']}").status == 204


def test_batch_create_for_many_assets_reports_each(api: Api) -> None:
    machines = [api.create_asset(name=f"M{n}", type="machine") for n in range(110)]
    readings = [{"asset_id": m["id"], "time": ago(1), "hours": 100} for m in machines[:-1]]
    assert api.post("/readings", {"readings": readings}).status == 200
    van = api.create_asset(name="Van", type="vehicle")
    ids = [m["id"] for m in machines] + [van["id"], "ast_01JDQ8Z6W3K2M5X7Y9A1B3C5D7"]
    response = api.post(
        "/tasks/batch",
        {"asset_ids": ids, "task": {"name": "250 h check", "conditions": {"hours": {"limit_h": 250}}}},
    )
    assert response.status == 200
    result = response.json()
    statuses = [r["status"] for r in result["results"]]
    assert statuses[:109] == [201] * 109
    assert statuses[109:] == [422, 422, 404]  # no reading yet, no hours meter, unknown asset
    assert (result["succeeded"], result["failed"]) == (109, 3)
    assert result["results"][0]["task"]["due"]["hours"] == 350


class TestListing:
    @pytest.fixture
    def fleet(self, api: Api) -> dict[str, dict]:
        assets = {name: api.create_asset(name=name, type="vehicle") for name in ("A", "B", "C")}
        for asset in assets.values():
            read_meters(api, asset, 1, odometer_km=10_000)
        tasks = {
            "due": new_task(
                api,
                assets["A"],
                name="Brakes",
                conditions={"distance": {"limit_km": 100}},
                start={"odometer_km": 9_850},
            ),
            "soon": new_task(
                api,
                assets["B"],
                name="Tyres",
                start={"odometer_km": 9_800},
                conditions={"distance": {"limit_km": 500, "notify_before_km": 450}},
            ),
            "later": new_task(
                api, assets["C"], name="Inspection", conditions={"date": {"every_months": 6}}, repeat=True
            ),
            "repair": new_task(
                api, assets["C"], name="Mirror repair", conditions={"date": {"every_days": 3}}, unplanned=True
            ),
        }
        return {**assets, **tasks}

    @staticmethod
    def names(api: Api, query: str) -> list[str]:
        response = api.get(f"/tasks?{query}")
        assert response.status == 200, response.body
        return [task["name"] for task in response.json()["items"]]

    def test_what_is_due_across_the_fleet(self, api: Api, fleet: dict) -> None:
        assert self.names(api, "status=upcoming,overdue&sort=due") == ["Brakes", "Tyres"]
        assert self.names(api, "status=overdue") == ["Brakes"]
        assert self.names(api, "status=planned&sort=name") == ["Inspection", "Mirror repair"]

    def test_filters(self, api: Api, fleet: dict) -> None:
        assert self.names(api, f"asset_id={fleet['C']['id']}&sort=name") == ["Inspection", "Mirror repair"]
        assert self.names(api, "condition=date&sort=name") == ["Inspection", "Mirror repair"]
        assert self.names(api, "q=RE&sort=name") == ["Mirror repair", "Tyres"]
        assert self.names(api, "repeat=true") == ["Inspection"]
        assert self.names(api, "unplanned=true") == ["Mirror repair"]
        soon = (NOW + timedelta(days=10)).isoformat().replace("+00:00", "Z")
        assert "Inspection" not in self.names(api, f"due_before={soon}")

    def test_sorting(self, api: Api, fleet: dict) -> None:
        assert self.names(api, "sort=name") == ["Brakes", "Inspection", "Mirror repair", "Tyres"]
        assert self.names(api, "sort=-name") == ["Tyres", "Mirror repair", "Inspection", "Brakes"]
        assert self.names(api, "sort=status")[0] == "Brakes"
        assert self.names(api, "sort=-wear")[:2] == ["Brakes", "Tyres"]

    def test_pages_walk_every_task_once(self, api: Api, fleet: dict) -> None:
        seen, cursor = [], ""
        for _ in range(10):
            page = api.get(f"/tasks?sort=name&limit=1{cursor}").json()
            seen += [t["name"] for t in page["items"]]
            if not page["next"]:
                break
            cursor = f"&next={page['next']}"
        assert seen == ["Brakes", "Inspection", "Mirror repair", "Tyres"]
        assert api.get(f"/tasks?sort=-name&limit=1{cursor}").status == 422

    def test_assets_by_service_status(self, api: Api, fleet: dict) -> None:
        def assets(status: str) -> set[str]:
            return {a["name"] for a in api.get(f"/assets?service_status={status}").json()["items"]}

        assert assets("overdue") == {"A"}
        assert assets("upcoming") == {"B"}
        assert assets("planned") == {"C"}
        assert assets("upcoming,overdue") == {"A", "B"}
        assert assets("planned,overdue") == {"A", "C"}


def test_a_monthly_cadence_keeps_its_month_end_through_storage(api: Api, truck: dict) -> None:
    task = new_task(
        api,
        truck,
        conditions={"date": {"every_months": 1}},
        repeat=True,
        anchor="cadence",
        start={"at": "2026-01-31T09:00:00Z"},
    )
    assert task["due"]["date"] == "2026-02-28"
    done = api.post(f"/tasks/{task['id']}/complete", {"at": "2026-03-01T10:00:00Z"}).json()
    assert done["due"]["date"] == "2026-03-31"
    done = api.post(f"/tasks/{task['id']}/complete", {"at": "2026-04-02T10:00:00Z"}).json()
    assert done["due"]["date"] == "2026-04-30"


def test_due_dates_beyond_the_supported_calendar_are_422(api: Api, truck: dict) -> None:
    response = api.post(
        "/tasks", {"asset_id": truck["id"], "name": "X", "conditions": {"date": {"due": "9999-12-01"}}}
    )
    assert response.status == 422
    assert response.json()["error"]["details"][0]["field"] == "body.conditions.date.due"
