"""What the security suites need to know about each route, beyond the route table itself.

The suites walk ``shared.routes.ROUTES``; for each route they need a valid request (so that a
refusal is about who asks, not about a malformed body) and a way to make the objects its path
names. ``test_catalogue_covers_every_route`` fails when a route is added without an entry here.
"""

import importlib
from collections.abc import Callable
from typing import Any

from shared.routes import Route
from tests.conftest import Api

Ids = dict[str, str]

# How to make each kind of object a path can name, as its owner; returns the ids it made.
MAKERS: dict[str, Callable[[Api], Ids]] = {
    "asset_id": lambda api: {
        "asset_id": api.create_asset(
            name="Owned truck", type="vehicle", meters=["odometer", "hours"], external_id="OWNED-1"
        )["id"],
        "external_id": "OWNED-1",
    },
}

# A valid body for each route that takes one, given the ids of the objects it may reference.
BODIES: dict[tuple[str, str], Callable[[Ids], Any]] = {
    ("POST", "/assets"): lambda _ids: {
        "name": "New asset",
        "type": "machine",
        "brand": "Linde",
        "model": "H30",
        "serial_number": "S-1",
        "external_id": "NEW-1",
    },
    ("PATCH", "/assets/{asset_id}"): lambda _ids: {
        "name": "Renamed",
        "brand": "Other",
        "model": "M2",
        "serial_number": "S-2",
        "external_id": "MOVED-1",
    },
    ("POST", "/assets/{asset_id}/readings"): lambda _ids: {
        "odometer_km": 10.0,
        "hours": 1.0,
        "source": "telematics",
    },
    ("POST", "/readings"): lambda ids: {
        "readings": [
            {"asset_id": ids["asset_id"], "odometer_km": 99.0},
            {"external_id": ids["external_id"], "hours": 9.0},
        ]
    },
}

BODIES[("PATCH", "/settings")] = lambda _ids: {"time_zone": "Europe/Berlin", "currency": "EUR"}

# Routes whose body (not path) names another object: they must not reach another account's.
BODY_REFERENCES = {("POST", "/readings"): "asset_id"}

# What the owner reads to see that an object is unchanged after someone else's attempt.
READ_BACK: dict[str, Callable[[Ids], list[str]]] = {
    "asset_id": lambda ids: [f"/assets/{ids['asset_id']}", f"/assets/{ids['asset_id']}/readings"],
}

# Queries for list routes: another account must see nothing of the owner's with any of them.
LIST_QUERIES: dict[tuple[str, str], list[str]] = {
    ("GET", "/assets"): ["", "?type=vehicle", "?q=owned", "?brand=volvo", "?external_id=OWNED-1", "?limit=1"],
    ("GET", "/assets/{asset_id}/readings"): ["", "?order=asc", "?from=2000-01-01T00:00:00Z"],
}


def spec_of(route: Route) -> Any:
    return importlib.import_module(route.module).handler.spec


def request_for(route: Route, ids: Ids) -> tuple[str, Any]:
    """The path with the given ids filled in, and a valid body if the route takes one."""
    path = route.path
    for name in route.path_params:
        path = path.replace("{" + name + "}", ids[name])
    body = BODIES[(route.method, route.path)](ids) if spec_of(route).body is not None else None
    return path, body


def make_objects(api: Api, route: Route) -> Ids:
    """Everything ``route`` can name (path ids and ids in its body), owned by ``api``'s account."""
    ids: Ids = {}
    needed = [*route.path_params]
    if (route.method, route.path) in BODY_REFERENCES:
        needed.append(BODY_REFERENCES[(route.method, route.path)])
    for name in needed:
        if name not in ids:
            ids.update(MAKERS[name](api))
    if (route.method, route.path) in LIST_QUERIES and not ids:
        ids.update(MAKERS["asset_id"](api))
    return ids


def snapshot(api: Api, ids: Ids) -> list[Any]:
    paths = [path for name, read in READ_BACK.items() if name in ids for path in read(ids)]
    return [(path, api.get(path).json()) for path in paths]
