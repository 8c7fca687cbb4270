"""Applying a plan revision to the assets on another one, and its preview (docs/plans.md,
"Revisions")."""

from typing import Any

from tests.api.test_plan_assignments import assign, excavator, tasks_of
from tests.api.test_plans import SERVICE, YEARLY, make_plan, refusal
from tests.conftest import Api, stored_items

OIL = {"name": "Oil sample", "conditions": {"hours": {"every_h": 250}}}


def on_plan(api: Api, plan: dict[str, Any], hours: float = 730) -> dict[str, Any]:
    asset = excavator(api, hours=hours)
    assign(api, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    return asset


def revise(api: Api, plan: dict[str, Any]) -> dict[str, Any]:
    """Revision 2: the 500 h service every 400 h, the yearly inspection gone, an oil sample new."""
    hours = {**SERVICE, "id": plan["planned_services"][0]["id"], "conditions": {"hours": {"every_h": 400}}}
    response = api.patch(f"/plans/{plan['id']}", {"planned_services": [hours, OIL]})
    assert response.status == 200 and response.json()["revision"] == 2, response.body
    return response.json()


def apply(api: Api, plan: dict[str, Any], revision: int, **body: Any) -> dict[str, Any]:
    response = api.post(f"/plans/{plan['id']}/revisions/{revision}/apply", body)
    assert response.status == 200, response.body
    return response.json()


def test_the_preview_tells_exactly_what_applying_does(api: Api) -> None:
    plan = make_plan(api, planned_services=[SERVICE, YEARLY])
    first, second = on_plan(api, plan, 730), on_plan(api, plan, 1240)
    revised = revise(api, plan)
    before = stored_items(api.account)
    preview = apply(api, plan, 2, dry_run=True)
    assert stored_items(api.account) == before  # nothing written
    assert (preview["dry_run"], preview["succeeded"], preview["failed"]) == (True, 2, 0)
    by_asset = {result["asset_id"]: result for result in preview["results"]}
    one = by_asset[first["id"]]
    assert one["revision_before"] == 1
    (changed,) = one["changed"]
    assert (changed["due_before"]["hours"], changed["due_after"]["hours"]) == (
        750,
        800,
    )  # grid of 400 beyond 730
    assert [added["planned_service_id"] for added in one["added"]] == [revised["planned_services"][1]["id"]]
    assert one["added"][0]["due"]["hours"] == 750  # 250, 500, 750: beyond the 730 h of now
    assert [removed["planned_service_id"] for removed in one["removed"]] == [
        plan["planned_services"][1]["id"]
    ]
    assert by_asset[second["id"]]["changed"][0]["due_after"]["hours"] == 1600
    applied = apply(api, plan, 2)
    assert applied["dry_run"] is False
    assert [{**r} for r in applied["results"]] == [{**r} for r in preview["results"]]
    tasks = {task["name"]: task for task in tasks_of(api, first)}
    assert sorted(tasks) == ["500 h service", "Oil sample"]
    assert tasks["500 h service"]["due"]["hours"] == 800 and tasks["500 h service"]["plan"]["revision"] == 2
    (listed,) = api.get(f"/plan-assignments?asset_id={first['id']}").json()["items"]
    assert (listed["revision"], listed["outdated"]) == (2, False)
    assert sorted(listed["task_ids"]) == sorted(task["id"] for task in tasks.values())
    again = apply(api, plan, 2)
    assert all(not r["added"] and not r["changed"] and not r["removed"] for r in again["results"])


def test_an_asset_can_be_moved_back_to_an_earlier_revision(api: Api) -> None:
    plan = make_plan(api)
    asset = on_plan(api, plan)
    revise(api, plan)
    apply(api, plan, 2, asset_ids=[asset["id"]])
    back = apply(api, plan, 1, asset_ids=[asset["id"]])
    (result,) = back["results"]
    assert (result["revision_before"], len(result["removed"])) == (2, 1)
    (task,) = tasks_of(api, asset)
    assert (task["name"], task["due"]["hours"], task["plan"]["revision"]) == ("500 h service", 750, 1)


def test_unknown_revisions_and_assets_not_on_the_plan_are_refused(api: Api, other_api: Api) -> None:
    plan = make_plan(api)
    asset = on_plan(api, plan)
    stranger = excavator(api)
    assert refusal(api.post(f"/plans/{plan['id']}/revisions/2/apply", {}))[:2] == (404, "not_found")
    assert other_api.post(f"/plans/{plan['id']}/revisions/1/apply", {}).status == 404
    response = apply(api, plan, 1, asset_ids=[stranger["id"], asset["id"]])
    assert [(r["status"], (r["error"] or {}).get("code")) for r in response["results"]] == [
        (404, "not_found"),
        (200, None),
    ]
    twice = api.post(f"/plans/{plan['id']}/revisions/1/apply", {"asset_ids": [asset["id"]] * 2})
    assert refusal(twice)[:2] == (422, "duplicate_item")
