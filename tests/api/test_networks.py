"""Service networks: an account's providers may use the plans it puts in the network; a provider
taken out leaves the assignments of those plans at once (docs/plans.md, "Networks")."""

from typing import Any

from tests.api.test_plan_assignments import assign, excavator
from tests.api.test_plans import make_plan, refusal
from tests.api.test_provided_work import fresh
from tests.api.test_providers import grant
from tests.conftest import Api, stored_items


def network(api: Api, name: str = "Dealer network") -> dict[str, Any]:
    response = api.post("/networks", {"name": name})
    assert response.status == 201, response.body
    return response.json()


def members(
    api: Api, network_id: str, add: dict[str, Any] | None = None, remove: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = api.put(f"/networks/{network_id}/members", {"add": add or {}, "remove": remove or {}})
    assert response.status == 200, response.body
    return response.json()


def test_members_see_and_use_the_networks_plans_and_nobody_else_does(api: Api) -> None:
    dealer, workshop, stranger, customer = fresh(api), fresh(api), fresh(api), fresh(api)
    net = network(dealer)
    plan = make_plan(dealer)
    added = members(dealer, net["id"], add={"providers": [workshop.account], "plans": [plan["id"]]})
    assert [r["status"] for r in added["results"]] == [201, 201]
    assert members(dealer, net["id"], add={"providers": [workshop.account]})["results"][0]["status"] == 200
    (mine,) = dealer.get("/networks").json()["items"]
    assert (mine["role"], mine["providers"], mine["plans"]) == ("owner", 1, 1)
    (theirs,) = workshop.get("/networks").json()["items"]
    assert (theirs["id"], theirs["role"], theirs["owner_account_id"]) == (net["id"], "member", dealer.account)
    detail = workshop.get(f"/networks/{net['id']}").json()
    assert (detail["provider_account_ids"], detail["plan_ids"]) == ([workshop.account], [plan["id"]])
    (listed,) = workshop.get(f"/plans?network_id={net['id']}").json()["items"]
    assert (listed["id"], listed["access"]) == (plan["id"], "network")
    assert workshop.get(f"/plans/{plan['id']}").json()["access"] == "network"
    for outsider in (stranger, customer):
        assert outsider.get(f"/networks/{net['id']}").status == 404
        assert outsider.get(f"/plans/{plan['id']}").status == 404
        assert outsider.get(f"/plans?network_id={net['id']}").status == 404
        assert outsider.get("/networks").json()["items"] == []
    # A member provider puts the network's plan on a customer's asset it was granted.
    asset = excavator(customer, hours=100)
    grant(customer, workshop, add=[asset["id"]])
    entry = {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True}
    assert assign(workshop, entry)["results"][0]["status"] == 201
    other_asset = excavator(customer, hours=100)  # a provider outside the network, on its own grant
    grant(customer, stranger, add=[other_asset["id"]])
    refused = assign(stranger, {**entry, "asset_id": other_asset["id"]})["results"][0]
    assert (refused["status"], refused["error"]["field"]) == (404, "body.add.0.plan_id")


def test_a_provider_taken_out_leaves_the_networks_plans_at_once(api: Api) -> None:
    dealer, workshop, customer = fresh(api), fresh(api), fresh(api)
    net, plan, own_plan = network(dealer), make_plan(dealer), make_plan(workshop)
    members(dealer, net["id"], add={"providers": [workshop.account], "plans": [plan["id"]]})
    asset = excavator(customer, hours=100)
    grant(customer, workshop, add=[asset["id"]])
    assign(
        workshop,
        {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True},
        {"asset_id": asset["id"], "plan_id": own_plan["id"], "provide_for": True},
    )
    removed = members(dealer, net["id"], remove={"providers": [workshop.account]})
    assert removed["results"][0]["status"] == 200
    states = {a["plan_id"]: a["state"] for a in customer.get("/plan-assignments").json()["items"]}
    assert states == {plan["id"]: "inactive", own_plan["id"]: "active"}
    statuses = sorted(t["status"] for t in customer.get(f"/tasks?asset_id={asset['id']}").json()["items"])
    assert statuses == ["inactive", "planned"]
    assert workshop.get(f"/plans/{plan['id']}").status == 404
    assert workshop.get("/networks").json()["items"] == []


def test_the_owner_adds_only_its_own_plans_and_deletes_an_empty_network(api: Api) -> None:
    dealer, other = fresh(api), fresh(api)
    net, plan, theirs = network(dealer), make_plan(dealer), make_plan(other)
    outcome = members(
        dealer, net["id"], add={"providers": [dealer.account], "plans": [plan["id"], theirs["id"]]}
    )
    assert [(r["kind"], r["status"]) for r in outcome["results"]] == [
        ("provider", 422),
        ("plan", 201),
        ("plan", 404),
    ]
    assert outcome["results"][0]["error"]["code"] == "own_account"
    assert outcome["results"][2]["error"]["field"] == "body.add.plans.1"
    twice = dealer.put(f"/networks/{net['id']}/members", {"add": {"plans": [plan["id"], plan["id"]]}})
    assert refusal(twice)[:2] == (422, "duplicate_item")
    assert refusal(dealer.delete(f"/plans/{plan['id']}")) == (409, "plan_in_network", [])
    assert refusal(dealer.delete(f"/networks/{net['id']}")) == (409, "network_not_empty", [])
    before = stored_items(dealer.account)
    assert other.put(f"/networks/{net['id']}/members", {"add": {"plans": [theirs["id"]]}}).status == 404
    assert other.delete(f"/networks/{net['id']}").status == 404
    assert stored_items(dealer.account) == before
    members(dealer, net["id"], remove={"plans": [plan["id"]]})
    assert dealer.get(f"/plans/{plan['id']}").status == 200
    assert dealer.delete(f"/networks/{net['id']}").status == 204
    assert dealer.get(f"/networks/{net['id']}").status == 404
    assert dealer.delete(f"/plans/{plan['id']}").status == 204
