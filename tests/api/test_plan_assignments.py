"""Plan assignments: a plan on an asset; with a provider it is active and its planned services are
service tasks on the asset (docs/plans.md, "Assignments")."""

import threading
import uuid
from typing import Any

from tests.api.test_plans import SERVICE, YEARLY, make_plan, refusal
from tests.conftest import Api, stored_items


def excavator(api: Api, hours: float | None = 730, **fields: Any) -> dict[str, Any]:
    asset = api.create_asset(name="Excavator", type="machine", meters=["hours"], **fields)
    if hours is not None:
        assert api.post(f"/assets/{asset['id']}/readings", {"hours": hours}).status == 201
    return asset


def assign(api: Api, *entries: dict[str, Any], remove: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    response = api.put("/plan-assignments", {"add": list(entries), "remove": remove or []})
    assert response.status == 200, response.body
    return response.json()


def tasks_of(api: Api, asset: dict[str, Any]) -> list[dict[str, Any]]:
    return api.get(f"/tasks?asset_id={asset['id']}").json()["items"]


def test_a_plan_with_its_provider_is_active_and_its_services_are_tasks_on_the_grid(api: Api) -> None:
    plan = make_plan(api, planned_services=[SERVICE, YEARLY])
    asset = excavator(api, hours=730)
    outcome = assign(api, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    assert (outcome["succeeded"], outcome["failed"]) == (1, 0)
    result = outcome["results"][0]
    assert (result["operation"], result["index"], result["status"]) == ("add", 0, 201)
    assignment = result["assignment"]
    assert (assignment["state"], assignment["provider_account_id"], assignment["revision"]) == (
        "active",
        api.account,
        1,
    )
    tasks = {task["name"]: task for task in tasks_of(api, asset)}
    assert sorted(tasks) == ["500 h service", "Yearly inspection"]
    assert sorted(assignment["task_ids"]) == sorted(task["id"] for task in tasks.values())
    hours = tasks["500 h service"]
    assert hours["due"]["hours"] == 750  # the grid 250, 750, 1250 beyond 730 h
    assert hours["status"] == "upcoming"  # within 50 h of it
    assert hours["conditions"]["hours"]["limit_h"] == 500
    assert (hours["repeat"], hours["anchor"]) == (True, "cadence")
    assert hours["plan"] == {
        "plan_id": plan["id"],
        "planned_service_id": plan["planned_services"][0]["id"],
        "revision": 1,
        "provider_account_id": api.account,
    }
    assert api.get(f"/plans/{plan['id']}").json()["in_use"] is True


def test_without_a_provider_the_assignment_waits_and_providing_activates_it(api: Api) -> None:
    plan = make_plan(api)
    asset = excavator(api)
    pending = assign(api, {"asset_id": asset["id"], "plan_id": plan["id"]})["results"][0]
    assert (pending["status"], pending["assignment"]["state"], pending["assignment"]["task_ids"]) == (
        201,
        "pending",
        [],
    )
    assert tasks_of(api, asset) == []
    again = assign(api, {"asset_id": asset["id"], "plan_id": plan["id"]})["results"][0]
    assert again["status"] == 200 and again["assignment"]["version"] == 1  # nothing to do
    active = assign(api, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})["results"][0]
    assert (active["status"], active["assignment"]["state"]) == (200, "active")
    assert len(tasks_of(api, asset)) == 1
    listed = api.get(f"/plan-assignments?asset_id={asset['id']}").json()["items"]
    assert [(a["plan_id"], a["state"], a["outdated"]) for a in listed] == [(plan["id"], "active", False)]


def test_removing_an_assignment_deletes_its_tasks_and_leaves_the_others(api: Api) -> None:
    plan = make_plan(api)
    asset = excavator(api)
    own = api.post(
        "/tasks", {"name": "Wash", "asset_id": asset["id"], "conditions": {"date": {"every_days": 30}}}
    )
    assert own.status == 201
    assign(api, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    removed = assign(api, remove=[{"asset_id": asset["id"], "plan_id": plan["id"]}])["results"][0]
    assert (removed["operation"], removed["status"], removed["assignment"]) == ("remove", 204, None)
    assert [task["name"] for task in tasks_of(api, asset)] == ["Wash"]
    assert api.get("/plan-assignments").json()["items"] == []
    again = assign(api, remove=[{"asset_id": asset["id"], "plan_id": plan["id"]}])["results"][0]
    assert (again["status"], again["error"]["code"], again["error"]["field"]) == (
        404,
        "not_found",
        "body.remove.0",
    )
    assert api.delete(f"/plans/{plan['id']}").status == 204  # nothing uses it now


def test_a_last_service_places_the_first_due_point_and_may_make_it_overdue(api: Api) -> None:
    plan = make_plan(api)
    asset = excavator(api, hours=1900)
    last = {"at": "2025-01-10T08:00:00Z", "hours": 300}
    assign(api, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True, "last_service": last})
    (task,) = tasks_of(api, asset)
    assert (task["due"]["hours"], task["status"]) == (750, "overdue")
    future = {"at": "2999-01-01T00:00:00Z"}
    other = excavator(api)
    result = api.put(
        "/plan-assignments",
        {
            "add": [
                {"asset_id": other["id"], "plan_id": plan["id"], "provide_for": True, "last_service": future}
            ]
        },
    ).json()["results"][0]
    assert (result["status"], result["error"]["code"], result["error"]["field"]) == (
        422,
        "in_future",
        "body.add.0.last_service.at",
    )


def test_each_entry_is_answered_on_its_own(api: Api, other_api: Api) -> None:
    plan = make_plan(api)
    mine, no_hours = excavator(api), api.create_asset(name="Trailer", type="equipment")
    theirs = excavator(other_api)
    private = make_plan(other_api)
    before = stored_items(other_api.account)
    outcome = api.put(
        "/plan-assignments",
        {
            "add": [
                {"asset_id": mine["id"], "plan_id": plan["id"], "provide_for": True},
                {"asset_id": theirs["id"], "plan_id": plan["id"], "provide_for": True},
                {"asset_id": mine["id"], "plan_id": private["id"]},
                {"asset_id": no_hours["id"], "plan_id": plan["id"], "provide_for": True},
            ]
        },
    ).json()
    assert (outcome["succeeded"], outcome["failed"]) == (1, 3)
    answers = [
        (r["status"], (r["error"] or {}).get("code"), (r["error"] or {}).get("field"))
        for r in outcome["results"]
    ]
    assert answers == [
        (201, None, None),
        (404, "not_found", "body.add.1.asset_id"),
        (404, "not_found", "body.add.2.plan_id"),
        (422, "asset_has_no_hours_meter", "body.add.3"),
    ]
    assert stored_items(other_api.account) == before
    assert tasks_of(other_api, theirs) == [] and tasks_of(api, no_hours) == []


def test_a_bad_request_is_refused_whole(api: Api) -> None:
    plan = make_plan(api)
    asset = excavator(api)
    entry = {"asset_id": asset["id"], "plan_id": plan["id"]}
    assert refusal(api.put("/plan-assignments", {"add": [entry, entry]}))[:2] == (422, "duplicate_item")
    assert refusal(api.put("/plan-assignments", {}))[0] == 422
    too_many = [{"asset_id": asset["id"], "plan_id": plan["id"]}] * 501
    assert refusal(api.put("/plan-assignments", {"add": too_many}))[2] == ["body.add"]
    assert api.get("/plan-assignments").json()["items"] == []


def test_a_published_plan_is_assigned_to_assets_of_its_brand_and_model_only(api: Api, other_api: Api) -> None:
    brand = f"Acme {uuid.uuid4().hex[:4]}"
    plan = make_plan(other_api, public={"brand": brand, "model": "X-200"})
    matching = excavator(api, brand=brand.upper(), model="x-200")
    other_model = excavator(api, brand=brand, model="X-300")
    outcome = api.put(
        "/plan-assignments",
        {
            "add": [
                {"asset_id": matching["id"], "plan_id": plan["id"], "provide_for": True},
                {"asset_id": other_model["id"], "plan_id": plan["id"], "provide_for": True},
            ]
        },
    ).json()
    assert [r["status"] for r in outcome["results"]] == [201, 422]
    assert outcome["results"][1]["error"]["code"] == "plan_not_for_asset"
    assignment = outcome["results"][0]["assignment"]
    assert (assignment["plan_owner_account_id"], assignment["provider_account_id"]) == (
        other_api.account,
        api.account,
    )
    assert len(tasks_of(api, matching)) == 1
    assert other_api.get(f"/plans/{plan['id']}").json()["in_use"] is True
    # the plan's owner sees neither the asset nor its tasks
    assert other_api.get(f"/assets/{matching['id']}").status == 404
    assert other_api.get("/plan-assignments").json()["items"] == []


def test_a_change_of_a_plan_in_use_leaves_its_assets_on_their_revision(api: Api) -> None:
    plan = make_plan(api)
    asset = excavator(api)
    assign(api, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    service = {**SERVICE, "id": plan["planned_services"][0]["id"], "conditions": {"hours": {"every_h": 400}}}
    revised = api.patch(f"/plans/{plan['id']}", {"planned_services": [service]}).json()
    assert revised["revision"] == 2
    (task,) = tasks_of(api, asset)
    assert (task["due"]["hours"], task["plan"]["revision"]) == (750, 1)
    (listed,) = api.get("/plan-assignments").json()["items"]
    assert (listed["revision"], listed["outdated"]) == (1, True)
    assert refusal(api.delete(f"/plans/{plan['id']}"))[:2] == (409, "plan_in_use")
    # a new asset gets the current revision
    newer = excavator(api, hours=100)
    assign(api, {"asset_id": newer["id"], "plan_id": plan["id"], "provide_for": True})
    (task,) = tasks_of(api, newer)
    assert (task["due"]["hours"], task["plan"]["revision"]) == (400, 2)


def test_two_requests_activating_one_assignment_make_its_tasks_once(api: Api) -> None:
    plan = make_plan(api)
    asset = excavator(api)
    entry = {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True}
    barrier, answers = threading.Barrier(4), []

    def send() -> None:
        barrier.wait()
        answers.append(api.put("/plan-assignments", {"add": [entry]}).json()["results"][0]["status"])

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200, 200, 200, 201]
    assert len(tasks_of(api, asset)) == 1


def test_the_owner_lists_its_assets_on_a_plan_by_service_status(api: Api) -> None:
    plan, other_plan = make_plan(api), make_plan(api)
    due_soon = excavator(api, hours=730)  # 750 h is within 50 h: upcoming
    later = excavator(api, hours=100)  # 250 h: planned
    elsewhere = excavator(api, hours=740)
    for asset in (due_soon, later):
        assign(api, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    assign(api, {"asset_id": elsewhere["id"], "plan_id": other_plan["id"], "provide_for": True})
    listed = api.get(f"/assets?plan_id={plan['id']}").json()
    assert sorted(asset["id"] for asset in listed["items"]) == sorted([due_soon["id"], later["id"]])
    upcoming = api.get(f"/assets?plan_id={plan['id']}&service_status=upcoming,overdue").json()["items"]
    assert [asset["id"] for asset in upcoming] == [due_soon["id"]]
    first = api.get(f"/assets?plan_id={plan['id']}&limit=1").json()
    second = api.get(f"/assets?plan_id={plan['id']}&limit=1&next={first['next']}").json()
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {due_soon["id"], later["id"]}
    assert second["next"] is None
    assert refusal(api.get("/assets?plan_id=nope"))[:2] == (422, "validation_error")
