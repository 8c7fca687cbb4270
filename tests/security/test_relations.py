"""Tenant isolation by relation (docs/plans.md, "Providers", "Networks", "Revocation"): for every
route that names objects in its path, account A owns them and account B stands in one of the
relations two accounts can have; B gets 404 and A's objects stay exactly as they were, unless the
route's access admits that relation (a network's member reads the network's plans)."""

import secrets
from collections.abc import Callable
from datetime import timedelta

import pytest

from shared.clock import utc_now
from shared.routes import Route
from shared.services.grant_expiry import expire
from tests.conftest import Api
from tests.security.catalogue import Ids, make_objects, request_for, snapshot
from tests.security.test_tenant_isolation import WITH_IDS, label


def _fresh(api: Api) -> Api:
    return api.as_(account=f"acct-rel-{secrets.token_hex(6)}")


def _grant(owner: Api, provider: Api, asset_id: str, remove: bool = False) -> None:
    body = {"remove": [asset_id]} if remove else {"add": [asset_id]}
    assert owner.put(f"/providers/{provider.account}/assets", body).status == 200


def _owner_of_asset(a: Api, ids: Ids) -> Api:
    """Whose asset the route's objects are on: a provider route's is its customer's."""
    return a.as_(account=ids["customer"]) if "customer" in ids else a


def _other_grant(a: Api, ids: Ids, b: Api) -> None:
    owner = _owner_of_asset(a, ids)
    _grant(owner, b, owner.create_asset(name="Another machine")["id"])


def _revoked(a: Api, ids: Ids, b: Api) -> None:
    if "asset_id" in ids:
        owner = _owner_of_asset(a, ids)
        _grant(owner, b, ids["asset_id"])
        _grant(owner, b, ids["asset_id"], remove=True)


def _removed(a: Api, ids: Ids, b: Api) -> None:
    _revoked(a, ids, b)
    if "asset_id" in ids:
        assert expire(
            _owner_of_asset(a, ids).account, ids["asset_id"], b.account, utc_now() + timedelta(hours=4)
        )


def _other_provider(a: Api, ids: Ids, b: Api) -> None:
    """B provides for another customer; A's asset has another provider."""
    customer = _fresh(a)
    _grant(customer, b, customer.create_asset(name="Customer machine")["id"])
    if "asset_id" in ids:
        _grant(_owner_of_asset(a, ids), _fresh(a), ids["asset_id"])


def _network_member(a: Api, ids: Ids, b: Api) -> None:
    network = a.post("/networks", {"name": "Relation network"}).json()
    add = {"providers": [b.account], "plans": [ids["plan_id"]] if "plan_id" in ids else []}
    assert a.put(f"/networks/{network['id']}/members", {"add": add}).status == 200


def _plan_owner(a: Api, ids: Ids, b: Api) -> None:
    """A's asset follows a plan B published (B owns the plan, nothing of A's)."""
    service = {"name": "Check", "conditions": {"date": {"every_months": 12}}}
    plan = b.post(
        "/plans",
        {"name": "Published", "planned_services": [service], "public": {"brand": "Linde", "model": "H30"}},
    )
    asset = a.create_asset(name="Forklift", type="machine", brand="Linde", model="H30")
    entry = {"asset_id": asset["id"], "plan_id": plan.json()["id"], "provide_for": True}
    assert a.put("/plan-assignments", {"add": [entry]}).json()["succeeded"] == 1


RELATIONS: dict[str, Callable[[Api, Ids, Api], None]] = {
    "stranger": lambda a, ids, b: None,
    "other_grant": _other_grant,
    "revoked": _revoked,
    "removed": _removed,
    "other_provider": _other_provider,
    "network_member": _network_member,
    "plan_owner": _plan_owner,
}
# What a relation admits beyond the owner (the route's `access`): a member reads the plans of its
# networks (access: network), and moves its own assets on them to a revision (none of A's).
ADMITS = {
    ("GET", "/plans/{plan_id}"): {"network_member"},
    ("GET", "/plans/{plan_id}/revisions/{revision}"): {"network_member"},
    ("POST", "/plans/{plan_id}/revisions/{revision}/apply"): {"network_member"},
}


@pytest.mark.parametrize("route", WITH_IDS, ids=label)
def test_every_relation_but_the_admitted_ones_gets_404_and_changes_nothing(route: Route, api: Api) -> None:
    a = _fresh(api)
    ids = make_objects(a, route)  # once: each relation is another account B on the same objects
    standing = {relation: _fresh(api) for relation in RELATIONS}
    for relation, b in standing.items():
        RELATIONS[relation](a, ids, b)
    before = snapshot(a, ids)
    path, body = request_for(route, ids)
    for relation, b in standing.items():
        response = b.request(route.method, path, body)
        if relation in ADMITS.get((route.method, route.path), set()):
            assert response.status == 200, f"{label(route)} as {relation}: {response.status} {response.body}"
        else:
            assert response.status == 404, f"{label(route)} as {relation}: {response.status} {response.body}"
            assert response.json()["error"]["code"] == "not_found"
    assert snapshot(a, ids) == before, f"{label(route)}: a relation changed A's objects"
