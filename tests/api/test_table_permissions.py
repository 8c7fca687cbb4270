"""Each function uses only the DynamoDB actions its route declares (its IAM policy in AWS).

A scenario calls every route the way clients do (with and without Idempotency-Key, with the
filters that take other paths); a botocore hook records which table actions each route used.
A route the scenario does not exercise fails the test, so a new route must be added here.
"""

from collections import defaultdict
from collections.abc import Iterator

import pytest

from shared.data.dynamo import client
from shared.routes import ROUTES, find_route
from tests.conftest import Api
from tests.uploads import post_form, uploaded_file

# IAM authorizes a transaction by the actions inside it; there is no action for the call itself.
TRANSACTION_PARTS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
    "Get": "GetItem",
}


def iam_actions(operation: str, params: dict) -> set[str]:
    if operation in ("TransactWriteItems", "TransactGetItems"):
        return {TRANSACTION_PARTS[kind] for part in params["TransactItems"] for kind in part}
    return {operation}


class RecordingApi(Api):
    used: dict[tuple[str, str], set[str]]
    current: tuple[str, str] | None = None

    def request(self, method, path, json_body=None, **kwargs):  # type: ignore[no-untyped-def]
        found = find_route(method, path.split("?")[0])
        assert found is not None, (method, path)
        RecordingApi.current = (found[0].method, found[0].path)
        RecordingApi.used.setdefault(RecordingApi.current, set())
        try:
            return super().request(method, path, json_body, **kwargs)
        finally:
            RecordingApi.current = None


@pytest.fixture
def recording(api: Api) -> Iterator[RecordingApi]:
    RecordingApi.used = defaultdict(set)

    def record(model, params, **_kwargs) -> None:  # type: ignore[no-untyped-def]
        if RecordingApi.current is not None:
            RecordingApi.used[RecordingApi.current].update(iam_actions(model.name, params))

    client.meta.events.register("provide-client-params.dynamodb", record)
    try:
        yield RecordingApi(api.gateway, api.account)
    finally:
        client.meta.events.unregister("provide-client-params.dynamodb", record)


def exercise_every_route(api: RecordingApi) -> None:
    key = {"Idempotency-Key": "perm-1"}
    truck = api.post("/assets", {"name": "T", "external_id": "E1"}, headers=key).json()
    api.post("/assets", {"name": "T", "external_id": "E1"}, headers=key)
    path = f"/assets/{truck['id']}"
    api.get(path)
    for query in ("", "?type=vehicle", "?external_id=E1", "?q=t&limit=1"):
        api.get(f"/assets{query}")
    api.patch(path, {"name": "T2"}, headers={"If-Match": '"1"'})
    api.patch(path, {"external_id": "E2"}, headers={"Idempotency-Key": "perm-2"})
    api.post(
        f"{path}/readings",
        {"odometer_km": 10, "time": "2026-01-01T00:00:00Z"},
        headers={"Idempotency-Key": "perm-3"},
    )
    api.post(f"{path}/readings", {"odometer_km": 10, "time": "2026-01-01T00:00:00Z"})
    api.post(
        "/readings",
        {"readings": [{"external_id": "E2", "odometer_km": 20}, {"asset_id": truck["id"], "odometer_km": 5}]},
        headers={"Idempotency-Key": "perm-4"},
    )
    api.get(f"{path}/readings?from=2025-01-01T00:00:00Z")
    task_body = {
        "name": "Oil",
        "conditions": {"distance": {"limit_km": 500}, "date": {"every_days": 30}},
        "repeat": True,
    }
    task = api.post(
        "/tasks", {**task_body, "asset_id": truck["id"]}, headers={"Idempotency-Key": "perm-7"}
    ).json()
    task_path = f"/tasks/{task['id']}"
    api.get(task_path)
    api.patch(task_path, {"name": "Oil and filter"}, headers={"If-Match": '"1"'})
    api.post(f"{task_path}/complete", {"at": "2026-01-02T00:00:00Z"}, headers={"Idempotency-Key": "perm-8"})
    api.post(f"{path}/readings", {"odometer_km": 700})
    api.post(f"{task_path}/reopen")
    api.post(f"{task_path}/complete", {})
    for query in ("", "?status=upcoming,overdue", f"?asset_id={truck['id']}&sort=-wear"):
        api.get(f"/tasks{query}")
    for query in (
        "",
        "?format=xlsx&status=upcoming,overdue&group_by=status",
        f"?format=csv&asset_id={truck['id']}",
    ):
        api.get(f"/tasks/report{query}")
    api.get(f"{path}/history")
    more = api.post("/tasks/batch", {"asset_ids": [truck["id"]], "task": task_body}).json()
    api.post("/tasks/batch-delete", {"task_ids": [more["results"][0]["task_id"]]})
    api.delete(task_path)
    api.get("/assets?service_status=overdue")
    api.get("/settings")
    api.patch("/settings", {"time_zone": "Europe/Oslo"}, headers={"Idempotency-Key": "perm-6"})
    api.request(
        "PUT", "/notifications/opt-outs", {"sms": ["+4915112345678"]}, headers={"Idempotency-Key": "perm-9"}
    )
    api.get("/notifications/opt-outs?limit=1")
    api.request("DELETE", "/notifications/opt-outs?recipient=%2B4915112345678")
    api.get(f"/notifications?task_id={task['id']}")
    api.get(f"/notifications?asset_id={truck['id']}&order=asc")
    for public in ("/health", "/openapi.json", "/docs"):
        api.get(public, auth=False)
    exercise_work_orders(api, truck["id"])
    exercise_catalogues(api)
    exercise_files(api, task["id"])
    exercise_file_links(api, truck["id"])
    exercise_plans(api)
    api.delete(path, headers={"Idempotency-Key": "perm-5"})


def exercise_work_orders(api: RecordingApi, asset_id: str) -> None:
    task_body = {
        "name": "Belt",
        "conditions": {"date": {"every_days": 30}},
        "repeat": True,
        "asset_id": asset_id,
        "attachment_ids": [uploaded_file(api)["id"]],  # the close counts it, the reopen gives it back
    }
    task = api.post("/tasks", task_body).json()
    order = api.post(
        "/work-orders",
        {"title": "Job", "task_ids": [task["id"]], "assignees": [{"id": "u1"}], "customer": {"number": "C1"}},
        headers={"Idempotency-Key": "perm-wo-1"},
    ).json()
    path = f"/work-orders/{order['id']}"
    api.get(path)
    api.patch(path, {"title": "Job 2", "asset_ids": [asset_id]}, headers={"If-Match": '"1"'})
    api.post(f"{path}/status", {"status": "scheduled"})
    for query in (
        "",
        "?state=open&sort=-number",
        "?status=scheduled",
        "?assignee=u1",
        "?q=job",
        "?sort=planned",
    ):
        api.get(f"/work-orders{query}")
    line = api.post(f"{path}/items", {"kind": "part", "quantity": 1, "unit_price": 2.5}).json()
    api.patch(f"{path}/items/{line['id']}", {"quantity": 2})
    api.get(f"{path}/items/{line['id']}")
    api.get(f"{path}/items")
    api.delete(f"{path}/items/{line['id']}")
    api.post(f"{path}/notes", {"text": "Gate code", "visibility": "customer"})
    api.get(f"{path}/notes?order=desc")
    api.post(f"{path}/close", {"outcome": "complete"})
    api.post(f"{path}/reopen", {})
    api.get(f"{path}/events?order=desc")
    link = api.post(f"{path}/public-link").json()
    api.get(f"/public/work-orders/{link['reference']}", auth=False)
    api.delete(f"{path}/public-link")
    api.get(f"{path}/report")
    api.get(f"{path}/report", headers={"Accept": "application/json"})
    for query in ("?format=csv&state=open", "?format=xlsx&assignee=u1&q=job", "?sort=planned"):
        api.get(f"/work-orders/report{query}")
    uploaded_file(api, link={"kind": "work_order", "id": order["id"]})
    for query in ("", "?limit=1"):
        api.get(f"{path}/files{query}")
    api.delete(path)  # the file declared for it goes with it


def exercise_catalogues(api: RecordingApi) -> None:
    """The work-order catalogues: seeded and own entries, tombstones, refusals, replays."""
    status = {"key": "quoted", "name": "Quoted", "position": 15, "transitions": ["new"]}
    for _ in range(2):
        api.post("/work-order-statuses", status, headers={"Idempotency-Key": "perm-cat-1"})
    api.get("/work-order-statuses")
    api.patch("/work-order-statuses/new", {"name": "Received"}, headers={"If-Match": '"0"'})
    api.patch("/work-order-statuses/quoted", {"transitions": None}, headers={"Idempotency-Key": "perm-cat-2"})
    api.delete("/work-order-statuses/closed_complete")
    api.delete("/work-order-statuses/quoted")
    api.delete("/work-order-statuses/on_hold")
    api.post(
        "/work-order-types", {"key": "audit", "name": "Audit"}, headers={"Idempotency-Key": "perm-cat-3"}
    )
    api.get("/work-order-types")
    api.patch("/work-order-types/repair", {"name": "Reparatur"})
    api.patch("/work-order-types/audit", {"name": "Audit 2"}, headers={"If-Match": '"1"'})
    api.delete("/work-order-types/repair")
    api.delete("/work-order-types/audit")
    reason = {"code": "strike", "outcome": "incomplete", "name": "Strike"}
    api.post("/work-order-reasons", reason, headers={"Idempotency-Key": "perm-cat-4"})
    api.get("/work-order-reasons?outcome=incomplete")
    api.delete("/work-order-reasons/strike")
    api.delete("/work-order-reasons/other")
    api.patch("/settings", {"currency": "EUR"})
    rate = api.post(
        "/hourly-rates", {"name": "Workshop", "price_per_hour": 80}, headers={"Idempotency-Key": "perm-cat-5"}
    ).json()
    for query in ("", "?active=true&limit=1"):
        api.get(f"/hourly-rates{query}")
    api.get(f"/hourly-rates/{rate['id']}")
    api.patch(f"/hourly-rates/{rate['id']}", {"price_per_hour": 85}, headers={"If-Match": '"1"'})
    api.delete(f"/hourly-rates/{rate['id']}")
    site = api.post(
        "/sites", {"name": "Depot", "kind": "depot"}, headers={"Idempotency-Key": "perm-cat-6"}
    ).json()
    for query in ("", "?kind=depot&limit=1"):
        api.get(f"/sites{query}")
    api.get(f"/sites/{site['id']}")
    api.patch(f"/sites/{site['id']}", {"address": {"city": "Kiel"}}, headers={"If-Match": '"1"'})
    api.delete(f"/sites/{site['id']}")


def exercise_files(api: RecordingApi, task_id: str) -> None:
    body = {"filename": "a.txt", "content_type": "text/plain", "size": 3}
    api.post("/files", {**body, "link": {"kind": "task", "id": task_id}})
    for _ in range(2):
        created = api.post("/files", body, headers={"Idempotency-Key": "perm-file-1"}).json()
    api.post(f"/files/{created['id']}/complete")  # nothing uploaded yet
    post_form(created["upload"], b"abc")
    for _ in range(2):
        api.post(f"/files/{created['id']}/complete")
    api.get(f"/files/{created['id']}")


def exercise_file_links(api: RecordingApi, asset_id: str) -> None:
    """Attachments and files declared for tasks: counted, dropped, and deleted with their last link."""
    files = [uploaded_file(api)["id"] for _ in range(4)]
    fields = {"name": "Filter", "conditions": {"date": {"every_days": 30}}, "repeat": True}
    task = api.post("/tasks", {**fields, "asset_id": asset_id, "attachment_ids": files[:1]}).json()
    batch = api.post(
        "/tasks/batch", {"asset_ids": [asset_id], "task": {**fields, "attachment_ids": files[1:2]}}
    )
    other = batch.json()["results"][0]["task_id"]
    path = f"/tasks/{task['id']}"
    api.patch(path, {"attachment_ids": files[2:3]})  # the first file goes
    api.post(f"{path}/complete", {"attachment_ids": files[3:4]})
    api.post(f"{path}/reopen")  # the completion's file goes
    declared = {"filename": "a.txt", "content_type": "text/plain", "size": 3}
    for task_id in (task["id"], other):
        api.post("/files", {**declared, "link": {"kind": "completion", "id": task_id}})
    api.post("/tasks/batch-delete", {"task_ids": [other]})
    api.delete(path)


def exercise_plans(api: RecordingApi) -> None:
    """Plans, their revisions and assignments: in place, in use, published, removed."""
    service = {"name": "500 h", "conditions": {"hours": {"every_h": 500, "notify_before_h": 50}}}
    body = {"name": "Plan", "planned_services": [service], "public": {"brand": "Acme", "model": "X"}}
    for _ in range(2):
        plan = api.post("/plans", body, headers={"Idempotency-Key": "perm-plan-1"}).json()
    path = f"/plans/{plan['id']}"
    for query in ("", "?limit=1"):
        api.get(f"/plans{query}")
    api.get("/plans/public?brand=acme&model=x")
    api.get(path)
    api.patch(path, {"name": "Renamed"}, headers={"If-Match": '"1"'})
    machine = api.post("/assets", {"name": "M", "type": "machine", "meters": ["hours"]}).json()
    api.post(f"/assets/{machine['id']}/readings", {"hours": 120})
    entry = {"asset_id": machine["id"], "plan_id": plan["id"]}
    api.request("PUT", "/plan-assignments", {"add": [entry]})
    api.request("PUT", "/plan-assignments", {"add": [{**entry, "provide_for": True}]})
    api.get(f"/plan-assignments?asset_id={machine['id']}")
    registered = {"planned_service_id": plan["planned_services"][0]["id"]}
    api.post("/registrations", {"asset_id": machine["id"], "services": [registered]})
    api.post(
        "/registrations",
        {"asset_id": machine["id"], "performed_at": "2020-01-01T00:00:00Z", "services": [registered]},
    )
    kept = {**service, "id": plan["planned_services"][0]["id"], "conditions": {"hours": {"every_h": 400}}}
    api.patch(path, {"planned_services": [kept]})
    api.get(f"{path}/revisions/1")
    for dry_run in (True, False):
        api.post(f"{path}/revisions/2/apply", {"dry_run": dry_run})
    api.get(f"/assets?plan_id={plan['id']}&service_status=upcoming")
    api.delete(path)  # in use
    api.request("PUT", "/plan-assignments", {"remove": [entry]})
    api.delete(path)
    exercise_providers(api, machine["id"])
    exercise_networks(api)
    exercise_overlays(api, machine["id"])


def exercise_overlays(api: RecordingApi, asset_id: str) -> None:
    """An overlay over a plan the owner provides for on its own machine, changed and taken away."""
    service = {"name": "Service", "conditions": {"hours": {"every_h": 500, "notify_before_h": 50}}}
    plan_id = api.request("POST", "/plans", {"name": "Overlaid", "planned_services": [service]}).json()["id"]
    entry = {"asset_id": asset_id, "plan_id": plan_id, "provide_for": True}
    api.request("PUT", "/plan-assignments", {"add": [entry]})
    for lead in (100, 120):
        overlay = api.request("PUT", "/overlays", {"plan_id": plan_id, "notify_before_h": lead}).json()
    api.get(f"/overlays?plan_id={plan_id}")
    api.delete(f"/overlays/{overlay['id']}")


def exercise_networks(api: RecordingApi) -> None:
    """A network with a plan and a provider, read by both, emptied and deleted."""
    service = {"name": "Check", "conditions": {"date": {"every_months": 6, "notify_before_days": 7}}}
    plan_id = api.request("POST", "/plans", {"name": "Network plan", "planned_services": [service]}).json()[
        "id"
    ]
    network_id = api.request("POST", "/networks", {"name": "Dealers"}).json()["id"]
    path, member = f"/networks/{network_id}", "acct-perm-member"
    api.request("PUT", f"{path}/members", {"add": {"plans": [plan_id], "providers": [member]}})
    api.get("/networks")
    api.get(path)
    as_member = RecordingApi(api.gateway, member)
    for reader in (api, as_member):
        reader.get(f"/plans?network_id={network_id}")
    as_member.get(f"/plans/{plan_id}")
    api.request("PUT", f"{path}/members", {"remove": {"plans": [plan_id], "providers": [member]}})
    api.delete(path)


def exercise_providers(api: RecordingApi, asset_id: str) -> None:
    """Grants, taken back and given again, and the provider's reads."""
    provider = "acct-perm-provider"
    for change in ({"add": [asset_id]}, {"remove": [asset_id]}, {"add": [asset_id]}):
        api.request("PUT", f"/providers/{provider}/assets", change)
    api.get(f"/providers?asset_id={asset_id}")
    as_provider = RecordingApi(api.gateway, provider)
    for query in ("", f"?customer_id={api.account}&limit=1"):
        as_provider.get(f"/provided-assets{query}")
    as_provider.get(f"/provided-assets/{asset_id}")
    as_provider.request("POST", f"/provided-assets/{asset_id}/readings", {"odometer_km": 99000.0})
    as_provider.get(f"/provided-assets/{asset_id}/readings")
    # The provider's own plan on the customer's asset, its tasks, and a registration of them.
    service = {"name": "Check", "conditions": {"date": {"every_months": 6, "notify_before_days": 7}}}
    plan = as_provider.request("POST", "/plans", {"name": "Provider plan", "planned_services": [service]})
    plan_id = plan.json()["id"]
    entry = {"asset_id": asset_id, "plan_id": plan_id, "provide_for": True}
    as_provider.request("PUT", "/plan-assignments", {"add": [entry]})
    as_provider.get(f"/provided-assets/{asset_id}/tasks")
    planned = {"planned_service_id": plan.json()["planned_services"][0]["id"]}
    as_provider.request("POST", "/registrations", {"asset_id": asset_id, "services": [planned]})


def test_functions_use_only_the_actions_their_route_declares(recording: RecordingApi) -> None:
    exercise_every_route(recording)
    by_route = {(route.method, route.path): route for route in ROUTES}
    assert set(recording.used) == set(by_route), "every route must be exercised here"
    for route_key, actions in recording.used.items():
        declared = set(by_route[route_key].dynamodb)
        assert actions <= declared, f"{route_key} used {sorted(actions - declared)} beyond its policy"
        assert "Scan" not in actions


def test_public_routes_do_not_touch_the_table(recording: RecordingApi) -> None:
    exercise_every_route(recording)
    for route in ROUTES:
        used = recording.used[(route.method, route.path)]
        if route.public and route.rate_limit is None:  # health, the document, the docs page
            assert used == set()
            assert route.dynamodb == ()
        elif route.public:  # the work-order status page reads what its link names, nothing else
            assert used and used <= {"GetItem", "Query"}
