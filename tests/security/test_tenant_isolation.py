"""Tenant isolation and authorization, generated from the route table (OWASP API1 and API5).

For every route: account A owns the objects, account B tries the route on them and gets 404
(or, for batch routes, a per-item 404) while A's objects stay exactly as they were; lists never
show B anything of A's; every protected route refuses missing, expired and forged tokens; a
viewer may not write.
"""

from datetime import timedelta

import pytest

from local.auth import issue_token
from shared.routes import ROUTES, Route
from tests.conftest import SIGNING_KEY, Api
from tests.security.catalogue import (
    BODIES,
    BODY_REFERENCES,
    LISTS,
    MAKERS,
    PLAIN_VALUES,
    READ_BACK,
    UNOWNED_PATH_PARAMETERS,
    make_objects,
    request_for,
    snapshot,
    spec_of,
)

PROTECTED = [route for route in ROUTES if not route.public]
WITH_IDS = [route for route in PROTECTED if set(route.path_params) - UNOWNED_PATH_PARAMETERS]
# Paged lists must be in LISTS (checked below); other reads of many items (the report) may be.
LIST_ROUTES = [
    route
    for route in PROTECTED
    if route.method == "GET"
    and ("Page" in getattr(spec_of(route).response, "__name__", "") or (route.method, route.path) in LISTS)
]
WRITES = [route for route in PROTECTED if route.writes]


def label(route: Route) -> str:
    return f"{route.method} {route.path}"


def test_catalogue_covers_every_route() -> None:
    """Adding a route without telling the suites how to exercise it fails here."""
    for route in PROTECTED:
        if spec_of(route).body is not None:
            assert (route.method, route.path) in BODIES, f"{label(route)}: add a valid body to BODIES"
        for name in route.path_params:
            assert name in MAKERS and name in READ_BACK, f"{label(route)}: add {name} to MAKERS and READ_BACK"
    for route in LIST_ROUTES:
        assert (route.method, route.path) in LISTS, f"{label(route)}: add queries to LISTS"
    assert LIST_ROUTES, "the list routes were not recognised"


@pytest.mark.parametrize("route", WITH_IDS, ids=label)
def test_another_account_gets_404_and_changes_nothing(route: Route, api: Api, other_api: Api) -> None:
    ids = make_objects(api, route)
    before = snapshot(api, ids)
    path, body = request_for(route, ids)
    response = other_api.request(route.method, path, body)
    assert response.status == 404, f"{label(route)} as another account: {response.status} {response.body}"
    assert response.json()["error"]["code"] == "not_found"
    assert snapshot(api, ids) == before


@pytest.mark.parametrize("route", [r for r in PROTECTED if (r.method, r.path) in BODY_REFERENCES], ids=label)
def test_ids_in_a_body_cannot_reach_another_account(route: Route, api: Api, other_api: Api) -> None:
    ids = make_objects(api, route)
    before = snapshot(api, ids)
    path, body = request_for(route, ids)
    response = other_api.request(route.method, path, body)
    if response.status != 404:  # batch routes answer per item
        assert response.status == 200, response.body
        assert {result["status"] for result in response.json()["results"]} == {404}
    assert snapshot(api, ids) == before


@pytest.mark.parametrize("route", LIST_ROUTES, ids=label)
def test_lists_never_show_another_accounts_items(route: Route, api: Api, other_api: Api) -> None:
    ids = make_objects(api, route)
    mine = make_objects(other_api, route)  # B has items of its own under the same filters
    for template in LISTS[(route.method, route.path)][1]:
        query = template.format(**ids)
        path, _ = request_for(route, mine if route.path_params else ids, query=False)
        seen = other_api.get(path + query)
        assert seen.status == 200, (query, seen.body)
        # Generated ids are unique; B made its own objects with the same names and references.
        leaked = [
            value
            for name, value in ids.items()
            if name in MAKERS and name not in PLAIN_VALUES and value in seen.body
        ]
        assert not leaked, f"{label(route)}{query} shows another account's {leaked}"
        if route.path_params:
            foreign, _ = request_for(route, ids, query=False)
            assert other_api.get(foreign + query).status == 404


@pytest.mark.parametrize("route", PROTECTED, ids=label)
def test_protected_routes_refuse_bad_tokens(route: Route, api: Api) -> None:
    ids = make_objects(api, route)
    path, body = request_for(route, ids)
    bad = {
        "none": {},
        "expired": {
            "Authorization": "Bearer " + issue_token(api.account, key=SIGNING_KEY, ttl=timedelta(seconds=-1))
        },
        "other-key": {"Authorization": "Bearer " + issue_token(api.account, key=b"another-key" * 3)},
        "garbage": {"Authorization": "Bearer not.a.token"},
    }
    before = snapshot(api, ids)
    for token, headers in bad.items():
        response = api.request(route.method, path, body, headers=headers, auth=False)
        assert (response.status, response.json()["error"]["code"]) == (401, "unauthorized"), token
    assert snapshot(api, ids) == before


@pytest.mark.parametrize("route", WRITES, ids=label)
def test_a_viewer_cannot_write(route: Route, api: Api) -> None:
    ids = make_objects(api, route)
    before = snapshot(api, ids)
    path, body = request_for(route, ids)
    response = api.as_(role="viewer").request(route.method, path, body)
    assert response.status == 403
    assert snapshot(api, ids) == before


@pytest.mark.parametrize("route", WRITES, ids=label)
def test_the_sample_request_works_for_its_owner(route: Route, api: Api) -> None:
    """The catalogue's requests are valid, so the refusals above are about identity alone."""
    ids = make_objects(api, route)
    path, body = request_for(route, ids)
    assert api.request(route.method, path, body).status in (200, 201, 204)
