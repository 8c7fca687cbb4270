"""Due work across the fleet: the index-backed list stays right as readings, writes and time move."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.models.tasks import TaskListQuery
from shared.services import task_queries, task_rules
from shared.services.task_rules import MAX_OPEN_TASKS
from tests.conftest import Api

NOW = datetime.now(UTC).replace(microsecond=0)
DUE_WORK = "/tasks?status=upcoming,overdue&sort=due"


def ago(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat().replace("+00:00", "Z")


def vehicle(api: Api, name: str, km: float) -> dict:
    asset = api.create_asset(name=name, type="vehicle", meters=["odometer"])
    read(api, asset, 2, km)
    return asset


def read(api: Api, asset: dict, days_ago: float, km: float) -> None:
    response = api.post(f"/assets/{asset['id']}/readings", {"time": ago(days_ago), "odometer_km": km})
    assert response.status == 201, response.body


def task(api: Api, asset: dict, name: str, conditions: dict, **fields: object) -> dict:
    response = api.post("/tasks", {"asset_id": asset["id"], "name": name, "conditions": conditions, **fields})
    assert response.status == 201, response.body
    return response.json()


def km_task(api: Api, asset: dict, name: str, start_km: float, limit: float = 10_000) -> dict:
    conditions = {"distance": {"limit_km": limit, "notify_before_km": 1_000}}
    return task(api, asset, name, conditions, start={"odometer_km": start_km})


def names(api: Api, path: str = DUE_WORK) -> list[str]:
    response = api.get(path)
    assert response.status == 200, response.body
    return [item["name"] for item in response.json()["items"]]


def every_page(api: Api, path: str) -> list[dict]:
    items, cursor = [], None
    while True:
        page = api.get(path + (f"&next={cursor}" if cursor else "")).json()
        items += page["items"]
        cursor = page["next"]
        if not cursor:
            return items


def test_due_work_lists_upcoming_and_overdue_tasks_of_every_asset_soonest_due_first(api: Api) -> None:
    a, b = vehicle(api, "A", 20_000), vehicle(api, "B", 20_000)
    km_task(api, a, "Far", start_km=19_000)  # due at 29 000: planned
    km_task(api, a, "Reached", start_km=5_000)  # due at 15 000: overdue since the reading
    km_task(api, b, "Warning", start_km=10_500)  # due at 20 500, warning from 19 500: upcoming
    inspection = {"date": {"due": (NOW - timedelta(days=3)).date().isoformat()}}
    task(api, b, "Inspection", inspection)  # due three days ago: overdue
    listed = api.get(DUE_WORK).json()["items"]
    assert [item["name"] for item in listed] == ["Inspection", "Reached", "Warning"]
    assert [item["status"] for item in listed] == ["overdue", "overdue", "upcoming"]
    assert names(api, DUE_WORK.replace("sort=due", "sort=-due")) == ["Warning", "Reached", "Inspection"]
    assert names(api, "/tasks?status=overdue&sort=due") == ["Inspection", "Reached"]
    assert names(api, "/tasks?status=upcoming,overdue&sort=name") == ["Inspection", "Reached", "Warning"]


def test_pages_of_due_work_cover_every_task_once_in_the_same_order_as_a_full_sort(api: Api) -> None:
    assets = [vehicle(api, f"V{n}", 20_000 + n * 100) for n in range(4)]
    for n, asset in enumerate(assets):
        for k in range(3):
            km_task(api, asset, f"T{n}{k}", start_km=9_000 + 700 * k + 50 * n)
        km_task(api, asset, f"Planned{n}", start_km=19_999)
    paged = every_page(api, DUE_WORK + "&limit=5")
    everything = api.get("/tasks?sort=due&limit=200").json()["items"]
    expected = [item["id"] for item in everything if item["status"] in ("upcoming", "overdue")]
    assert [item["id"] for item in paged] == expected
    assert len(expected) == 12
    backwards = every_page(api, DUE_WORK.replace("sort=due", "sort=-due") + "&limit=5")
    assert [item["id"] for item in backwards] == expected[::-1]


def test_a_reading_that_crosses_the_warning_point_lists_the_task_at_once(api: Api) -> None:
    truck = vehicle(api, "Truck", 10_000)
    km_task(api, truck, "Oil change", start_km=10_000)  # warning from 19 000
    assert names(api) == []
    read(api, truck, 1, 19_200)
    [listed] = api.get(DUE_WORK).json()["items"]
    assert (listed["name"], listed["status"], listed["current"]["odometer_km"]) == (
        "Oil change",
        "upcoming",
        19_200,
    )
    read(api, truck, 0.5, 20_100)  # on past the due point: the listed meters follow the reading
    [listed] = api.get(DUE_WORK).json()["items"]
    assert (listed["status"], listed["current"]["odometer_km"]) == ("overdue", 20_100)
    assert listed == api.get(f"/tasks/{listed['id']}").json()


def test_done_tasks_leave_due_work_and_a_reopened_one_comes_back(api: Api) -> None:
    truck = vehicle(api, "Truck", 20_000)
    once = km_task(api, truck, "Once", start_km=5_000)
    repeating = task(
        api, truck, "Repeating", {"distance": {"limit_km": 10_000}}, start={"odometer_km": 5_000}, repeat=True
    )
    assert names(api) == ["Once", "Repeating"] or names(api) == ["Repeating", "Once"]
    assert api.post(f"/tasks/{once['id']}/complete", {}).status == 200
    assert api.post(f"/tasks/{repeating['id']}/complete", {}).status == 200  # next due at 30 000
    assert names(api) == []
    assert api.post(f"/tasks/{once['id']}/reopen", {}).status == 200
    assert names(api) == ["Once"]
    changed = api.patch(f"/tasks/{once['id']}", {"conditions": {"distance": {"limit_km": 50_000}}})
    assert changed.status == 200, changed.body
    assert names(api) == []
    assert api.delete(f"/tasks/{repeating['id']}").status == 204
    assert names(api) == []


def test_a_date_task_whose_warning_time_passes_without_any_write_is_due_work_then(api: Api) -> None:
    truck = vehicle(api, "Truck", 20_000)
    in_forty_days = (NOW + timedelta(days=40)).date()
    task(api, truck, "Inspection", {"date": {"due": in_forty_days.isoformat(), "notify_before_days": 30}})
    assert names(api) == []
    later = NOW + timedelta(days=15)
    query = TaskListQuery.model_validate({"status": "upcoming,overdue"})
    [listed] = task_queries.list_tasks(api.account, query, later).items
    assert (listed.name, listed.status) == ("Inspection", "upcoming")
    # Moved into the index by that read: found by it from now on, in the right place.
    km_task(api, truck, "Reached", start_km=5_000)
    again = task_queries.list_tasks(api.account, query.model_copy(update={"limit": 1}), later)
    assert [t.name for t in again.items] == ["Reached"]
    assert again.next is not None
    rest = task_queries.list_tasks(
        api.account, query.model_copy(update={"limit": 1, "next": again.next}), later
    )
    assert [t.name for t in rest.items] == ["Inspection"]


def test_a_date_in_another_time_zone_falls_due_at_its_local_midnight(api: Api) -> None:
    assert api.patch("/settings", {"time_zone": "Pacific/Auckland"}).status == 200
    truck = vehicle(api, "Truck", 20_000)
    day = (NOW - timedelta(days=2)).date()
    task(api, truck, "Date", {"date": {"due": day.isoformat()}})
    km_task(api, truck, "Km", start_km=5_000)  # reached by the reading two days ago
    midnight = datetime.combine(day, time(0), ZoneInfo("Pacific/Auckland")).astimezone(UTC)
    listed = {item["name"]: item for item in api.get(DUE_WORK).json()["items"]}
    assert datetime.fromisoformat(listed["Date"]["due_at"]) == midnight  # half a day before UTC's
    assert datetime.fromisoformat(listed["Km"]["due_at"]) == NOW - timedelta(days=2)
    assert names(api) == ["Date", "Km"]


def test_an_asset_holds_at_most_so_many_open_tasks(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(task_rules, "MAX_OPEN_TASKS", 3)  # the rule, without making 50 tasks
    truck = vehicle(api, "Truck", 20_000)
    body = {"name": "Check", "conditions": {"distance": {"limit_km": 10_000}}}
    done = task(api, truck, "Done", {"distance": {"limit_km": 10_000}})
    assert api.post(f"/tasks/{done['id']}/complete", {}).status == 200  # done tasks do not count
    for n in range(3):
        task(api, truck, f"Check {n}", {"distance": {"limit_km": 10_000 + n}})
    refused = api.post("/tasks", {"asset_id": truck["id"], **body})
    assert refused.status == 422
    error = refused.json()["error"]
    assert (error["code"], error["details"][0]["field"]) == ("too_many_tasks", "body.asset_id")
    in_batch = api.post("/tasks/batch", {"asset_ids": [truck["id"]], "task": body}).json()
    assert in_batch["results"][0]["status"] == 422
    reopened = api.post(f"/tasks/{done['id']}/reopen", {})  # would make a fourth open task
    assert (reopened.status, reopened.json()["error"]["code"]) == (422, "too_many_tasks")


@pytest.mark.slow
def test_a_long_batch_of_readings_for_an_asset_with_many_open_tasks_is_stored_and_moves_them(
    api: Api,
) -> None:
    truck = vehicle(api, "Truck", 1_000)
    for n in range(MAX_OPEN_TASKS):
        task(api, truck, f"Check {n:02d}", {"distance": {"limit_km": 5_000 + n, "notify_before_km": 100}})
    readings = [
        {"asset_id": truck["id"], "time": ago(1.5 - n / 100), "odometer_km": 1_000 + n * 50}
        for n in range(120)
    ]
    response = api.post("/readings", {"readings": readings})
    assert response.status in (200, 207), response.body
    assert {result["outcome"] for result in response.json()["results"]} == {"applied"}
    listed = every_page(api, DUE_WORK + "&limit=20")
    assert len(listed) == MAX_OPEN_TASKS  # 6 950 km: every check reached its warning point
    assert {item["current"]["odometer_km"] for item in listed} == {1_000 + 119 * 50}


def test_a_sparse_filter_on_due_work_pages_on_and_still_finds_every_match(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(task_queries, "MAX_EXAMINED", 3)
    truck = vehicle(api, "Truck", 20_000)
    for n in range(6):
        km_task(api, truck, f"Upcoming {n}", start_km=10_100 + n * 100)  # warning from 19 100 on
    km_task(api, truck, "Overdue early", start_km=5_000)
    km_task(api, truck, "Overdue late", start_km=9_500)
    pages, cursor, listed = 0, None, []
    while True:
        page = api.get(
            "/tasks?status=overdue&sort=-due&limit=2" + (f"&next={cursor}" if cursor else "")
        ).json()
        listed += [item["name"] for item in page["items"]]
        pages, cursor = pages + 1, page["next"]
        if not cursor:
            break
    assert listed == ["Overdue late", "Overdue early"]
    assert pages > 1  # the bound made it stop and hand back a cursor on the way


def test_due_work_lists_a_date_task_of_an_asset_without_meters(api: Api) -> None:
    trailer = api.create_asset(name="Trailer", type="equipment", meters=[])
    task(api, trailer, "Inspection", {"date": {"due": (NOW - timedelta(days=1)).date().isoformat()}})
    [listed] = api.get(DUE_WORK).json()["items"]
    assert (listed["name"], listed["status"], listed["current"]["odometer_km"]) == (
        "Inspection",
        "overdue",
        None,
    )
