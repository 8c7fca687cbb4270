"""Which partitions a provider's and a stranger's requests touch: only their own and, for a
provider, those its relations reach (a customer that granted it an asset, plans by id). Recorded
from every DynamoDB call the requests make (docs/data-model.md, "Tenancy lives in the keys")."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from shared.data.dynamo import client
from tests.api.test_plan_assignments import assign, excavator
from tests.api.test_plans import make_plan
from tests.api.test_provided_work import fresh
from tests.api.test_providers import grant
from tests.conftest import Api


def _partitions(value: Any) -> Iterator[str]:
    """Every partition key value in a call's parameters (keys, items, key conditions)."""
    if isinstance(value, dict):
        for name, inner in value.items():
            if name in ("PK", "GSI4PK", "GSI6PK", ":pk") and isinstance(inner, dict) and "S" in inner:
                yield inner["S"]
            elif name in ("PK", ":pk") and isinstance(inner, str):
                yield inner
            else:
                yield from _partitions(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _partitions(inner)


@contextmanager
def touched() -> Iterator[set[str]]:
    seen: set[str] = set()
    lock = threading.Lock()

    def record(params: dict[str, Any], **_: Any) -> None:
        with lock:
            seen.update(_partitions(params))

    client.meta.events.register("before-parameter-build.dynamodb", record)
    try:
        yield seen
    finally:
        client.meta.events.unregister("before-parameter-build.dynamodb", record)


def _allowed(partition: str, accounts: set[str]) -> bool:
    if partition.startswith(("PLAN#", "EVAL#")):  # plans are read by id; no request reads GSI5
        return partition.startswith("PLAN#")
    owner = partition.split("#")[1]
    return owner in accounts


def test_a_provider_touches_its_own_partition_and_its_customers_nothing_else(api: Api) -> None:
    provider, bystander = fresh(api), fresh(api)
    plan = make_plan(provider)
    asset, private = excavator(api, hours=100), excavator(bystander, hours=100)
    grant(api, provider, add=[asset["id"]])
    with touched() as seen:
        assign(provider, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
        assert provider.post(f"/provided-assets/{asset['id']}/readings", {"hours": 120}).status == 201
        provider.get(f"/provided-assets/{asset['id']}/tasks")
        provider.get("/provided-assets?service_status=planned,upcoming,overdue")
        provider.get("/plan-assignments?provided=true")
        provider.put("/overlays", {"plan_id": plan["id"], "notify_before_h": 100})
        assert provider.get(f"/provided-assets/{private['id']}").status == 404
    bad = [p for p in seen if not _allowed(p, {provider.account, api.account})]
    assert not bad, bad
    assert any(p.startswith(f"ACCOUNT#{api.account}") for p in seen)  # it did reach its customer


def test_a_stranger_touches_only_its_own_partition(api: Api) -> None:
    stranger = fresh(api)
    plan = make_plan(api)
    asset = excavator(api, hours=100)
    assign(api, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    with touched() as seen:
        entry = {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True}
        stranger.put(
            "/plan-assignments",
            {"add": [entry], "remove": [{"asset_id": asset["id"], "plan_id": plan["id"]}]},
        )
        for path in (f"/provided-assets/{asset['id']}", f"/provided-assets/{asset['id']}/tasks"):
            assert stranger.get(path).status == 404
        stranger.post(f"/provided-assets/{asset['id']}/readings", {"hours": 999})
        service_id = make_plan(api)["planned_services"][0]["id"]
        stranger.post(
            "/registrations", {"asset_id": asset["id"], "services": [{"planned_service_id": service_id}]}
        )
    bad = [p for p in seen if not _allowed(p, {stranger.account})]
    assert not bad, bad


def test_two_providers_at_once_one_provides_the_other_is_refused(api: Api) -> None:
    plan = make_plan(api)
    asset = excavator(api, hours=100)
    assign(api, {"asset_id": asset["id"], "plan_id": plan["id"]})
    first, second = fresh(api), fresh(api)
    grant(api, first, add=[asset["id"]])
    grant(api, second, add=[asset["id"]])
    outcomes: list[int] = []
    entry = {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True}

    def provide(provider: Api) -> None:
        outcomes.append(assign(provider, entry)["results"][0]["status"])

    runs = [threading.Thread(target=provide, args=(p,)) for p in (first, second)]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    assert sorted(outcomes) == [200, 409]
    assert len(api.get(f"/tasks?asset_id={asset['id']}").json()["items"]) == 1


def test_a_revocation_during_a_registration_leaves_one_consistent_outcome(api: Api) -> None:
    provider = fresh(api)
    plan = make_plan(provider)
    asset = excavator(api, hours=100)
    grant(api, provider, add=[asset["id"]])
    assign(provider, {"asset_id": asset["id"], "plan_id": plan["id"], "provide_for": True})
    body = {"asset_id": asset["id"], "services": [{"planned_service_id": plan["planned_services"][0]["id"]}]}
    statuses: list[int] = []
    runs = [
        threading.Thread(target=lambda: statuses.append(provider.post("/registrations", body).status)),
        threading.Thread(target=lambda: grant(api, provider, remove=[asset["id"]])),
    ]
    for run in runs:
        run.start()
    for run in runs:
        run.join()
    (status,) = statuses
    history = api.get(f"/assets/{asset['id']}/history").json()["items"]
    (task,) = api.get(f"/tasks?asset_id={asset['id']}").json()["items"]
    # Before the revocation it counts whole; after it, nothing of it was written.
    assert (status, len(history), task["occurrence"]) in {(201, 1, 2), (404, 0, 1)}
    assert provider.get(f"/provided-assets/{asset['id']}/tasks").status == 404
