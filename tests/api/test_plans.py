"""Service plans: create, read, list, change (in place or as a new revision), publish, delete
(docs/plans.md)."""

import uuid
from typing import Any

from local.gateway import LocalResponse
from shared.data import plan_keys
from shared.data.dynamo import TABLE_NAME, client
from tests.conftest import Api

SERVICE = {
    "name": "500 h service",
    "conditions": {"hours": {"every_h": 500, "notify_before_h": 50, "offset_h": 250}},
}
YEARLY = {"name": "Yearly inspection", "conditions": {"date": {"every_months": 12, "notify_before_days": 30}}}


def refusal(response: LocalResponse) -> tuple[int, str, list[str]]:
    error = response.json()["error"]
    return response.status, error["code"], [detail["field"] for detail in error["details"]]


def make_plan(api: Api, **fields: Any) -> dict[str, Any]:
    response = api.post("/plans", {"name": "Excavator plan", "planned_services": [SERVICE], **fields})
    assert response.status == 201, response.body
    return response.json()


def mark_used(plan_id: str) -> None:
    """The plan as an assignment leaves it: assigned since its current revision began."""
    client.update_item(
        TableName=TABLE_NAME,
        Key={"PK": {"S": plan_keys.plan_pk(plan_id)}, "SK": {"S": plan_keys.PLAN_SK}},
        UpdateExpression="SET used = :yes",
        ExpressionAttributeValues={":yes": {"BOOL": True}},
    )


def test_a_plan_reads_back_as_it_was_written(api: Api) -> None:
    plan = make_plan(api, description="For the 20 t class", planned_services=[SERVICE, YEARLY])
    assert plan["id"].startswith("pln_")
    assert plan["owner_account_id"] == api.account
    assert (plan["revision"], plan["version"], plan["access"], plan["in_use"]) == (1, 1, "own", False)
    first, second = plan["planned_services"]
    assert first["id"].startswith("psv_") and first["id"] != second["id"]
    assert first["conditions"] == {
        "hours": {"every_h": 500.0, "notify_before_h": 50.0, "offset_h": 250.0},
        "distance": None,
        "date": None,
    }
    assert (first["recurrent"], first["anchor"]) == (True, "cadence")
    assert second["conditions"]["date"] == {
        "every_days": None,
        "every_months": 12,
        "notify_before_days": 30,
        "offset_days": None,
    }
    read = api.get(f"/plans/{plan['id']}")
    assert read.status == 200 and read.json() == plan
    assert read.headers["ETag"] == '"1"'
    assert [p["id"] for p in api.get("/plans").json()["items"]] == [plan["id"]]


def test_rules_between_fields_name_the_field(api: Api) -> None:
    lead_too_long = {"name": "x", "conditions": {"hours": {"every_h": 100, "notify_before_h": 100}}}
    response = api.post("/plans", {"name": "p", "planned_services": [SERVICE, lead_too_long]})
    assert refusal(response) == (
        422,
        "invalid_conditions",
        ["body.planned_services.1.conditions.hours.notify_before_h"],
    )
    both = {"name": "x", "conditions": {"date": {"every_days": 10, "every_months": 1}}}
    response = api.post("/plans", {"name": "p", "planned_services": [both]})
    assert response.status == 422
    assert refusal(response)[2][0].startswith("body.planned_services.0.conditions.date")
    none = {"name": "x", "conditions": {}}
    assert api.post("/plans", {"name": "p", "planned_services": [none]}).status == 422
    too_many = [SERVICE] * 21
    assert refusal(api.post("/plans", {"name": "p", "planned_services": too_many}))[2] == [
        "body.planned_services"
    ]
    assert api.post("/plans", {"name": "p", "planned_services": []}).status == 422
    assert api.get("/plans").json()["items"] == []


def test_an_unused_plan_changes_in_place_and_keeps_the_ids_it_is_sent(api: Api) -> None:
    plan = make_plan(api, planned_services=[SERVICE, YEARLY])
    kept = {**plan["planned_services"][0], "conditions": {"hours": {"every_h": 600}}}
    kept.pop("description", None)
    response = api.patch(f"/plans/{plan['id']}", {"planned_services": [kept]}, headers={"If-Match": '"1"'})
    assert response.status == 200, response.body
    changed = response.json()
    assert (changed["revision"], changed["version"]) == (1, 2)
    assert [s["id"] for s in changed["planned_services"]] == [plan["planned_services"][0]["id"]]
    assert changed["planned_services"][0]["conditions"]["hours"] == {
        "every_h": 600.0,
        "notify_before_h": None,
        "offset_h": None,
    }
    stale = api.patch(f"/plans/{plan['id']}", {"name": "Renamed"}, headers={"If-Match": '"1"'})
    assert stale.status == 412


def test_an_id_that_is_not_one_of_the_plans_services_is_refused(api: Api) -> None:
    plan = make_plan(api)
    other = make_plan(api)
    foreign = {**SERVICE, "id": other["planned_services"][0]["id"]}
    response = api.patch(f"/plans/{plan['id']}", {"planned_services": [foreign]})
    assert refusal(response) == (422, "unknown_planned_service", ["body.planned_services.0.id"])
    twice = {**SERVICE, "id": plan["planned_services"][0]["id"]}
    response = api.patch(f"/plans/{plan['id']}", {"planned_services": [twice, twice]})
    assert response.status == 422 and refusal(response)[2] == ["body.planned_services"]
    assert api.get(f"/plans/{plan['id']}").json() == plan


def test_a_plan_in_use_gets_a_new_revision_and_keeps_the_old_one(api: Api) -> None:
    plan = make_plan(api)
    mark_used(plan["id"])
    assert api.get(f"/plans/{plan['id']}").json()["in_use"] is True
    renamed = api.patch(f"/plans/{plan['id']}", {"name": "Renamed"}).json()
    assert (renamed["revision"], renamed["in_use"]) == (1, True)  # no change to the services
    service = {**SERVICE, "id": plan["planned_services"][0]["id"], "conditions": {"hours": {"every_h": 400}}}
    revised = api.patch(f"/plans/{plan['id']}", {"planned_services": [service]}).json()
    assert (revised["revision"], revised["in_use"]) == (2, False)
    old = api.get(f"/plans/{plan['id']}/revisions/1")
    assert old.status == 200, old.body
    assert old.json()["planned_services"] == plan["planned_services"]
    assert old.json()["superseded_at"] is not None
    current = api.get(f"/plans/{plan['id']}/revisions/2").json()
    assert current["planned_services"] == revised["planned_services"] and current["superseded_at"] is None
    assert api.get(f"/plans/{plan['id']}/revisions/3").status == 404
    assert api.get(f"/plans/{plan['id']}/revisions/0").status == 404


def test_published_plans_are_found_by_brand_and_model_whatever_the_case(api: Api, other_api: Api) -> None:
    brand = f"Brand {uuid.uuid4().hex[:6]}"
    published = make_plan(api, public={"brand": brand, "model": "X-200"})
    make_plan(api, public={"brand": brand, "model": "X-300"})
    make_plan(api)
    found = other_api.get(f"/plans/public?brand={brand.upper().replace(' ', '%20')}&model=x-200")
    assert found.status == 200, found.body
    items = found.json()["items"]
    assert [p["id"] for p in items] == [published["id"]]
    assert (items[0]["access"], items[0]["in_use"]) == ("public", False)
    assert other_api.get(f"/plans/{published['id']}").json()["access"] == "public"
    # unpublished: gone from the list and from everyone else's view
    assert api.patch(f"/plans/{published['id']}", {"public": None}).status == 200
    assert other_api.get(f"/plans/public?brand={brand.replace(' ', '%20')}&model=X-200").json()["items"] == []
    assert other_api.get(f"/plans/{published['id']}").status == 404


def test_another_accounts_plan_is_not_found_and_cannot_be_changed(api: Api, other_api: Api) -> None:
    plan = make_plan(api, public={"brand": "B", "model": "M"})
    private = make_plan(api)
    assert other_api.get(f"/plans/{private['id']}").status == 404
    assert other_api.get(f"/plans/{private['id']}/revisions/1").status == 404
    for target in (plan, private):  # seeing a public plan is not owning it
        assert other_api.patch(f"/plans/{target['id']}", {"name": "Mine"}).status == 404
        assert other_api.delete(f"/plans/{target['id']}").status == 404
    assert other_api.get("/plans").json()["items"] == []
    assert api.get(f"/plans/{plan['id']}").json() == plan


def test_a_plan_nobody_uses_is_deleted(api: Api) -> None:
    plan = make_plan(api)
    assert api.delete(f"/plans/{plan['id']}", headers={"If-Match": '"2"'}).status == 412
    assert api.delete(f"/plans/{plan['id']}").status == 204
    assert api.get(f"/plans/{plan['id']}").status == 404
    assert api.get("/plans").json()["items"] == []
