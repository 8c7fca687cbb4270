"""What a provider does on the assets its customers grant it: provide for their plans and its own,
read and record readings, read and register the tasks it provides for, and see across customers
what needs service (docs/plans.md, "What a provider does")."""

import uuid
from typing import Any

from tests.api.test_plan_assignments import assign, excavator
from tests.api.test_plans import SERVICE, YEARLY, make_plan, refusal
from tests.api.test_providers import grant
from tests.conftest import Api, stored_items


def provider_view(provider: Api, query: str = "") -> list[dict[str, Any]]:
    response = provider.get(f"/provided-assets{query}")
    assert response.status == 200, response.body
    return response.json()["items"]


def fresh(api: Api) -> Api:
    return api.as_(account=f"acct-{uuid.uuid4().hex[:12]}")


def test_a_provider_provides_for_the_owners_plan_and_sees_what_needs_service(api: Api) -> None:
    provider = fresh(api)
    plan = make_plan(api)  # the owner's own plan, not published
    asset = excavator(api, hours=100)
    assert assign(api, {"asset_id": asset["id"], "plan_id": plan["id"]})["results"][0]["status"] == 201
    grant(api, provider, add=[asset["id"]])
    (entry,) = provider_view(provider)
    assert (entry["name"], entry["customer_account_id"], entry["service"]["status"]) == (
        "Excavator",
        api.account,
        None,
    )
    outcome = assign(provider, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    (result,) = outcome["results"]
    assert result["status"] == 200, result
    assignment = result["assignment"]
    assert (assignment["state"], assignment["provider_account_id"]) == ("active", provider.account)
    (task,) = provider.get(f"/provided-assets/{asset['id']}/tasks").json()["items"]
    assert (task["name"], task["status"], task["due"]["hours"]) == ("500 h service", "planned", 250)
    assert task["plan"]["provider_account_id"] == provider.account
    (entry,) = provider_view(provider)
    assert entry["service"] == {
        "status": "planned",
        "open_tasks": 1,
        "warn_at": None,
        "due_at": None,
        "plan_ids": [plan["id"]],
    }
    assert provider_view(provider, "?service_status=upcoming,overdue") == []
    assert [e["asset_id"] for e in provider_view(provider, "?service_status=planned")] == [asset["id"]]
    # The provider's reading moves the owner's asset; the task is overdue for both at once.
    recorded = provider.post(f"/provided-assets/{asset['id']}/readings", {"hours": 260})
    assert recorded.status == 201, recorded.body
    assert api.get(f"/assets/{asset['id']}").json()["current"]["hours"] == 260
    assert api.get(f"/tasks/{task['id']}").json()["status"] == "overdue"
    (due,) = provider_view(provider, "?service_status=overdue")
    assert (due["asset_id"], due["service"]["status"], due["service"]["open_tasks"]) == (
        asset["id"],
        "overdue",
        1,
    )
    assert provider_view(provider, f"?service_status=overdue&plan_id={plan['id']}") == [due]
    assert provider_view(provider, f"?plan_id={make_plan(provider)['id']}") == []
    readings = provider.get(f"/provided-assets/{asset['id']}/readings").json()["items"]
    assert sorted(reading["hours"] for reading in readings) == [100, 260]
    # The owner sees who provides; another provider may not take the plan over.
    second = fresh(api)
    grant(api, second, add=[asset["id"]])
    taken = assign(second, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    assert (taken["results"][0]["status"], taken["results"][0]["error"]["code"]) == (409, "provided_by_other")
    assert second.get(f"/provided-assets/{asset['id']}/tasks").json()["items"] == []


def test_a_provider_assigns_its_own_plan_and_removes_only_what_it_provides_for(api: Api) -> None:
    provider = fresh(api)
    own_plan, providers_plan = make_plan(api), make_plan(provider, planned_services=[SERVICE, YEARLY])
    asset = excavator(api, hours=730)
    assign(api, {"asset_id": asset["id"], "plan_id": own_plan["id"]})
    grant(api, provider, add=[asset["id"]])
    outcome = assign(
        provider, {"asset_id": asset["id"], "plan_id": providers_plan["id"], "provide_for": True}
    )
    assert outcome["results"][0]["status"] == 201
    listed = {a["plan_id"]: a for a in api.get(f"/plan-assignments?asset_id={asset['id']}").json()["items"]}
    assert listed[providers_plan["id"]]["provider_account_id"] == provider.account
    assert listed[providers_plan["id"]]["plan_owner_account_id"] == provider.account
    assert len(provider.get(f"/provided-assets/{asset['id']}/tasks").json()["items"]) == 2
    (entry,) = provider_view(provider, "?service_status=upcoming")  # 750 h, warned from 700 h
    assert entry["service"]["plan_ids"] == [providers_plan["id"]]
    # The owner's plan nobody provides for is not the provider's to remove.
    refused = assign(
        provider,
        remove=[
            {"asset_id": asset["id"], "plan_id": own_plan["id"]},
            {"asset_id": asset["id"], "plan_id": providers_plan["id"]},
        ],
    )
    assert [r["status"] for r in refused["results"]] == [404, 204]
    assert sorted(a["plan_id"] for a in api.get("/plan-assignments").json()["items"]) == [own_plan["id"]]
    assert api.get(f"/tasks?asset_id={asset['id']}").json()["items"] == []
    (entry,) = provider_view(provider)
    assert (entry["service"]["status"], entry["service"]["plan_ids"]) == (None, [])
    assert provider_view(provider, "?service_status=planned,upcoming,overdue") == []


def test_a_provider_registers_the_services_it_provides_for_and_no_other(api: Api) -> None:
    provider = fresh(api)
    providers_plan = make_plan(provider)
    owners_plan = make_plan(api, planned_services=[YEARLY])
    asset = excavator(api, hours=730)
    grant(api, provider, add=[asset["id"]])
    assign(api, {"asset_id": asset["id"], "plan_id": owners_plan["id"], "provide_for": True})
    assign(provider, {"asset_id": asset["id"], "plan_id": providers_plan["id"], "provide_for": True})
    service_id = providers_plan["planned_services"][0]["id"]
    done = provider.post(
        "/registrations", {"asset_id": asset["id"], "services": [{"planned_service_id": service_id}]}
    )
    assert done.status == 201, done.body
    (task,) = done.json()["tasks"]
    assert (task["occurrence"], task["due"]["hours"]) == (2, 1250)
    (entry,) = api.get(f"/assets/{asset['id']}/history").json()["items"]
    assert entry["planned_service_id"] == service_id
    before = stored_items(api.account)
    other = provider.post(
        "/registrations",
        {
            "asset_id": asset["id"],
            "services": [{"planned_service_id": owners_plan["planned_services"][0]["id"]}],
        },
    )
    assert refusal(other) == (404, "not_found", ["body.services.0.planned_service_id"])
    assert stored_items(api.account) == before


def test_without_a_grant_in_force_a_provider_reaches_nothing(api: Api) -> None:
    provider, stranger = fresh(api), fresh(api)
    plan = make_plan(provider)
    asset = excavator(api, hours=100)
    grant(api, provider, add=[asset["id"]])
    assign(provider, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    grant(api, provider, remove=[asset["id"]])
    before = stored_items(api.account)
    for caller in (provider, stranger):
        assert caller.get(f"/provided-assets/{asset['id']}/tasks").status == 404
        assert caller.get(f"/provided-assets/{asset['id']}/readings").status == 404
        assert caller.post(f"/provided-assets/{asset['id']}/readings", {"hours": 900}).status == 404
        again = assign(caller, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
        assert refusal_of(again) == (404, "body.add.0.asset_id")
        registered = caller.post(
            "/registrations",
            {
                "asset_id": asset["id"],
                "services": [{"planned_service_id": plan["planned_services"][0]["id"]}],
            },
        )
        assert refusal(registered) == (404, "not_found", ["body.asset_id"])
        assert provider_view(caller, "?service_status=planned,upcoming,overdue") == []
    assert stored_items(api.account) == before


def refusal_of(outcome: dict[str, Any]) -> tuple[int, str]:
    (result,) = outcome["results"]
    return result["status"], result["error"]["field"]


def test_the_providers_list_follows_a_rename_and_a_deleted_asset_leaves_it(api: Api) -> None:
    provider, second = fresh(api), fresh(api)
    plan = make_plan(api)
    asset = excavator(api, hours=None)
    assign(api, {"asset_id": asset["id"], "plan_id": plan["id"]})  # pending: no provider
    grant(api, provider, add=[asset["id"]])
    grant(api, second, add=[asset["id"]])
    grant(api, second, remove=[asset["id"]])
    assert api.patch(f"/assets/{asset['id']}", {"name": "Digger 7"}).status == 200
    assert [entry["name"] for entry in provider_view(provider)] == ["Digger 7"]
    assert api.delete(f"/assets/{asset['id']}").status == 204
    assert provider_view(provider) == []
    assert api.get("/providers").json()["items"] == []
    assert api.get("/plan-assignments").json()["items"] == []
    kept = [sk for _, sk in stored_items(api.account) if sk.startswith(("GRANT", "ASSIGN", "ASSET#"))]
    assert kept == []
    assert [sk for _, sk in stored_items(provider.account) if sk.startswith("SEES#")] == []
    assert [sk for _, sk in stored_items(second.account) if sk.startswith("SEES#")] == []


def test_a_provider_lists_what_it_provides_for_and_moves_it_to_a_revision(api: Api) -> None:
    from tests.api.test_plan_revisions import apply, revise  # noqa: PLC0415 - one test's helpers

    provider, other_customer = fresh(api), fresh(api)
    plan = make_plan(provider, planned_services=[SERVICE, YEARLY])
    mine, theirs = excavator(api, hours=730), excavator(other_customer, hours=730)
    grant(api, provider, add=[mine["id"]])
    grant(other_customer, provider, add=[theirs["id"]])
    for asset in (mine, theirs):
        assign(provider, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    listed = provider.get("/plan-assignments?provided=true").json()["items"]
    assert sorted(a["asset_id"] for a in listed) == sorted([mine["id"], theirs["id"]])
    assert {a["provider_account_id"] for a in listed} == {provider.account}
    one = provider.get(f"/plan-assignments?provided=true&asset_id={theirs['id']}").json()["items"]
    assert [a["asset_id"] for a in one] == [theirs["id"]]
    revise(provider, plan)
    applied = apply(provider, plan, 2)
    assert sorted(r["asset_id"] for r in applied["results"] if r["status"] == 200) == sorted(
        [mine["id"], theirs["id"]]
    )
    names = sorted(t["name"] for t in api.get(f"/tasks?asset_id={mine['id']}").json()["items"])
    assert names == ["500 h service", "Oil sample"]
    assert api.get("/plan-assignments").json()["items"][0]["revision"] == 2
    grant(api, provider, remove=[mine["id"]])  # hidden at once, from the list and from the next apply
    listed = provider.get("/plan-assignments?provided=true").json()["items"]
    assert [a["asset_id"] for a in listed] == [theirs["id"]]
