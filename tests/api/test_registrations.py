"""Service registrations: planned services performed or skipped, early, late or back-filled
(docs/plans.md, "Registrations")."""

from typing import Any

from tests.api.test_plan_assignments import assign, excavator, tasks_of
from tests.api.test_plans import SERVICE, YEARLY, make_plan, refusal
from tests.conftest import Api, stored_items


def serviced_excavator(api: Api, hours: float, **entry: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    plan = make_plan(api, planned_services=[SERVICE, YEARLY])
    asset = excavator(api, hours=hours)
    assign(api, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True, **entry})
    return plan, asset


def by_name(api: Api, asset: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {task["name"]: task for task in tasks_of(api, asset)}


def test_a_performed_service_starts_the_next_one_on_the_grid(api: Api) -> None:
    plan, asset = serviced_excavator(api, 1900, last_service={"at": "2025-06-01T00:00:00Z", "hours": 300})
    assert by_name(api, asset)["500 h service"]["status"] == "overdue"
    service_id = plan["planned_services"][0]["id"]
    response = api.post(
        "/registrations",
        {
            "asset_id": asset["id"],
            "comment": "Filters and oil",
            "services": [{"planned_service_id": service_id}],
        },
    )
    assert response.status == 201, response.body
    registered = response.json()
    (result,) = registered["services"]
    assert (result["outcome"], result["occurrence"], result["restarted"]) == ("performed", 1, True)
    (task,) = registered["tasks"]
    assert (task["due"]["hours"], task["occurrence"], task["status"]) == (2250, 2, "planned")
    assert task["version"] == by_name(api, asset)["500 h service"]["version"]
    (entry,) = api.get(f"/assets/{asset['id']}/history").json()["items"]
    assert (entry["outcome"], entry["planned_service_id"], entry["comment"], entry["hours"]) == (
        "performed",
        service_id,
        "Filters and oil",
        1900,
    )
    assert entry["completed_by"] is not None


def test_a_skipped_service_needs_a_reason_and_moves_on_alike(api: Api) -> None:
    plan, asset = serviced_excavator(api, 740)
    service_id = plan["planned_services"][0]["id"]
    before = stored_items(api.account)
    unexplained = {
        "asset_id": asset["id"],
        "services": [{"planned_service_id": service_id, "outcome": "skipped"}],
    }
    assert refusal(api.post("/registrations", unexplained)) == (
        422,
        "reason_needed",
        ["body.services.0.reason"],
    )
    assert stored_items(api.account) == before
    skipped = {"planned_service_id": service_id, "outcome": "skipped", "reason": "Machine on hire"}
    response = api.post("/registrations", {"asset_id": asset["id"], "services": [skipped]})
    assert response.status == 201, response.body
    assert response.json()["tasks"][0]["due"]["hours"] == 1250  # early, on the grid all the same
    (entry,) = api.get(f"/assets/{asset['id']}/history").json()["items"]
    assert (entry["outcome"], entry["comment"]) == ("skipped", "Machine on hire")


def test_a_registration_before_the_occurrence_began_goes_into_the_history_only(api: Api) -> None:
    plan, asset = serviced_excavator(api, 740)
    task = by_name(api, asset)["Yearly inspection"]
    service_id = plan["planned_services"][1]["id"]
    body = {
        "asset_id": asset["id"],
        "performed_at": "2024-03-01T08:00:00Z",
        "hours": 120,
        "services": [{"planned_service_id": service_id}],
    }
    response = api.post("/registrations", body)
    assert response.status == 201, response.body
    (result,) = response.json()["services"]
    assert (result["restarted"], response.json()["tasks"]) == (False, [])
    after = by_name(api, asset)["Yearly inspection"]
    assert (after["version"], after["occurrence"], after["due"]) == (task["version"], 1, task["due"])
    (entry,) = api.get(f"/assets/{asset['id']}/history").json()["items"]
    assert (entry["completed_at"], entry["hours"]) == ("2024-03-01T08:00:00Z", 120)


def test_services_the_asset_does_not_have_are_not_found_and_nothing_changes(api: Api, other_api: Api) -> None:
    plan, asset = serviced_excavator(api, 740)
    other_plan = make_plan(api)
    before = stored_items(api.account)
    services = [
        {"planned_service_id": plan["planned_services"][0]["id"]},
        {"planned_service_id": other_plan["planned_services"][0]["id"]},
    ]
    response = api.post("/registrations", {"asset_id": asset["id"], "services": services})
    assert refusal(response) == (404, "not_found", ["body.services.1.planned_service_id"])
    assert stored_items(api.account) == before
    stranger = other_api.post("/registrations", {"asset_id": asset["id"], "services": services[:1]})
    assert refusal(stranger) == (404, "not_found", ["body.asset_id"])
    twice = api.post("/registrations", {"asset_id": asset["id"], "services": services[:1] * 2})
    assert refusal(twice)[:2] == (422, "duplicate_item")
    assert stored_items(api.account) == before


def test_a_service_done_once_cannot_be_registered_again(api: Api) -> None:
    once = {"name": "Break-in check", "conditions": {"hours": {"every_h": 50}}, "recurrent": False}
    plan = make_plan(api, planned_services=[once])
    asset = excavator(api, hours=10)
    assign(api, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    body = {"asset_id": asset["id"], "services": [{"planned_service_id": plan["planned_services"][0]["id"]}]}
    done = api.post("/registrations", body)
    assert done.status == 201 and done.json()["tasks"][0]["status"] == "done"
    assert refusal(api.post("/registrations", body)) == (
        409,
        "task_done",
        ["body.services.0.planned_service_id"],
    )
