"""What the security suites need to know about each route, beyond the route table itself.

The suites walk ``shared.routes.ROUTES``; for each route they need a valid request (so that a
refusal is about who asks, not about a malformed body) and a way to make the objects it names.
``test_catalogue_covers_every_route`` fails when a route is added without an entry here.
"""

import importlib
import secrets
from collections.abc import Callable
from typing import Any

from shared.routes import Route
from tests.conftest import Api

Ids = dict[str, str]
RouteKey = tuple[str, str]

TASK = {
    "name": "Oil change",
    "description": "Engine oil and filter",
    "comment": "Use 5W-30",
    "conditions": {"distance": {"limit_km": 15000, "notify_before_km": 1000}, "date": {"every_months": 12}},
    "repeat": True,
}


def _make_asset(api: Api) -> Ids:
    asset = api.create_asset(
        name="Owned truck", type="vehicle", meters=["odometer", "hours"], external_id="OWNED-1"
    )
    api.post(f"/assets/{asset['id']}/readings", {"odometer_km": 12000.0, "hours": 300.0})
    return {"asset_id": asset["id"], "external_id": "OWNED-1"}


def _make_task(api: Api) -> Ids:
    ids = _make_asset(api)
    task = api.post("/tasks", {**TASK, "asset_id": ids["asset_id"]})
    assert task.status == 201, task.body
    return {**ids, "task_id": task.json()["id"]}


def _make_opt_out(api: Api) -> Ids:
    phone = f"+4915{secrets.randbelow(10**9):09d}"
    assert api.request("PUT", "/notifications/opt-outs", {"sms": [phone]}).status == 200
    return {"opt_out": phone}


# How to make each kind of object a route can name, as its owner; returns the ids it made.
MAKERS: dict[str, Callable[[Api], Ids]] = {
    "asset_id": _make_asset,
    "task_id": _make_task,
    "opt_out": _make_opt_out,
}

# A valid body for each route that takes one, given the ids of the objects it may reference.
BODIES: dict[RouteKey, Callable[[Ids], Any]] = {
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
        "odometer_km": 12010.0,
        "hours": 301.0,
        "source": "telematics",
    },
    ("POST", "/readings"): lambda ids: {
        "readings": [
            {"asset_id": ids["asset_id"], "odometer_km": 12099.0},
            {"external_id": ids["external_id"], "hours": 309.0},
        ]
    },
    ("POST", "/tasks"): lambda ids: {**TASK, "asset_id": ids["asset_id"]},
    ("POST", "/tasks/batch"): lambda ids: {"asset_ids": [ids["asset_id"]], "task": TASK},
    ("PATCH", "/tasks/{task_id}"): lambda _ids: {
        "name": "Oil and filters",
        "description": "Full service",
        "comment": "Synthetic oil",
    },
    ("POST", "/tasks/batch-delete"): lambda ids: {"task_ids": [ids["task_id"]]},
    ("POST", "/tasks/{task_id}/complete"): lambda _ids: {"comment": "Done by the book"},
    ("PATCH", "/settings"): lambda _ids: {"time_zone": "Europe/Berlin", "currency": "EUR"},
    ("PUT", "/notifications/opt-outs"): lambda _ids: {"sms": ["+4915112345678"], "emails": ["a@example.com"]},
}

# The query a route needs for its sample request (formatted with the ids).
QUERIES: dict[RouteKey, str] = {
    ("GET", "/notifications"): "?task_id={task_id}",
    ("DELETE", "/notifications/opt-outs"): "?recipient=%2B4915112345678",
}
# Objects a route's sample query names.
QUERY_REFERENCES: dict[RouteKey, str] = {("GET", "/notifications"): "task_id"}

# Routes whose body (not path) names other objects, and the kind of object it names.
BODY_REFERENCES: dict[RouteKey, str] = {
    ("POST", "/readings"): "asset_id",
    ("POST", "/tasks"): "asset_id",
    ("POST", "/tasks/batch"): "asset_id",
    ("POST", "/tasks/batch-delete"): "task_id",
}

# What a route needs beyond its objects before its sample request can succeed.
SETUP: dict[RouteKey, Callable[[Api, Ids], None]] = {
    ("POST", "/tasks/{task_id}/reopen"): lambda api, ids: api.post(f"/tasks/{ids['task_id']}/complete", {}),
}

# What the owner reads to see that an object is unchanged after someone else's attempt.
READ_BACK: dict[str, Callable[[Ids], list[str]]] = {
    "asset_id": lambda ids: [
        f"/assets/{ids['asset_id']}",
        f"/assets/{ids['asset_id']}/readings",
        f"/assets/{ids['asset_id']}/history",
    ],
    "task_id": lambda ids: [f"/tasks/{ids['task_id']}"],
}

# List routes: what the owner has in them, and queries (formatted with the owner's ids) under
# which another account must see nothing of the owner's.
LISTS: dict[RouteKey, tuple[str, list[str]]] = {
    ("GET", "/assets"): (
        "asset_id",
        [
            "",
            "?type=vehicle",
            "?q=owned",
            "?external_id=OWNED-1",
            "?limit=1",
            "?service_status=planned,upcoming,overdue",
        ],
    ),
    ("GET", "/assets/{asset_id}/readings"): ("asset_id", ["", "?order=asc", "?from=2000-01-01T00:00:00Z"]),
    ("GET", "/assets/{asset_id}/history"): ("task_id", ["", "?limit=1"]),
    ("GET", "/tasks"): (
        "task_id",
        ["", "?asset_id={asset_id}", "?status=planned", "?status=upcoming,overdue", "?q=oil", "?sort=-wear"],
    ),
    ("GET", "/notifications"): ("task_id", ["?task_id={task_id}", "?asset_id={asset_id}&order=asc"]),
    ("GET", "/notifications/opt-outs"): ("opt_out", ["", "?limit=1"]),
    # The report lists the same tasks as a file (csv here, so a leaked id would show in the text).
    ("GET", "/tasks/report"): (
        "task_id",
        [
            "?format=csv",
            "?format=csv&asset_id={asset_id}",
            "?format=csv&status=upcoming,overdue&group_by=status",
            "?format=csv&q=oil&sort=-cost",
        ],
    ),
}


# Where a route's text fields come back when it does not answer with the object it changed.
ECHOES: dict[RouteKey, Callable[[Api, Ids], Any]] = {
    ("POST", "/tasks/{task_id}/complete"): lambda api, ids: api.get(
        f"/assets/{ids['asset_id']}/history"
    ).json()["items"][0],
}


def spec_of(route: Route) -> Any:
    return importlib.import_module(route.module).handler.spec


def key_of(route: Route) -> RouteKey:
    return (route.method, route.path)


def request_for(route: Route, ids: Ids, query: bool = True) -> tuple[str, Any]:
    """The path with the given ids filled in (and the query the route needs, unless ``query`` is
    false), and a valid body if the route takes one."""
    path = route.path
    for name in route.path_params:
        path = path.replace("{" + name + "}", ids[name])
    if query and key_of(route) in QUERIES:
        path += QUERIES[key_of(route)].format(**ids)
    body = BODIES[key_of(route)](ids) if spec_of(route).body is not None else None
    return path, body


def make_objects(api: Api, route: Route) -> Ids:
    """Everything ``route`` names (in its path, its body, or lists), owned by ``api``'s account."""
    needed = [*route.path_params]
    if key_of(route) in BODY_REFERENCES:
        needed.append(BODY_REFERENCES[key_of(route)])
    if key_of(route) in QUERY_REFERENCES:
        needed.append(QUERY_REFERENCES[key_of(route)])
    if key_of(route) in LISTS:
        needed.append(LISTS[key_of(route)][0])
    # A task brings its asset along, so make the most specific object first.
    ids: Ids = {}
    for name in sorted(set(needed), key=lambda n: n != "task_id"):
        if name not in ids:
            ids.update(MAKERS[name](api))
    if key_of(route) in SETUP:
        SETUP[key_of(route)](api, ids)
    return ids


# Worked out from the clock on every read, so they differ between two reads of the same item.
_VOLATILE = {"condition_states", "wear_percent", "predicted_due_at"}


def _stored(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _stored(v) for k, v in value.items() if k not in _VOLATILE}
    if isinstance(value, list):
        return [_stored(v) for v in value]
    return value


def snapshot(api: Api, ids: Ids) -> list[Any]:
    """What the owner reads of its objects, without what the clock alone changes."""
    paths = [path for name, read in READ_BACK.items() if name in ids for path in read(ids)]
    return [(path, _stored(api.get(path).json())) for path in paths]
