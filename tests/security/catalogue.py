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
from tests.uploads import uploaded_file

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


def _made(response: Any, ids: Ids) -> Ids:
    assert response.status == 201, response.body
    return ids


def _key(prefix: str) -> str:
    """A catalogue key no other test makes (so that a list shows whose it is)."""
    return f"{prefix}_{secrets.token_hex(6)}"


def _make_status(api: Api) -> Ids:
    key = _key("st")
    return _made(
        api.post("/work-order-statuses", {"key": key, "name": "Waiting", "position": 35}), {"status_key": key}
    )


def _make_type(api: Api) -> Ids:
    key = _key("ty")
    return _made(api.post("/work-order-types", {"key": key, "name": "Calibration"}), {"type_key": key})


def _make_reason(api: Api) -> Ids:
    code = _key("rs")
    body = {"code": code, "outcome": "incomplete", "name": "Bad weather"}
    return _made(api.post("/work-order-reasons", body), {"reason_code": code})


def _make_rate(api: Api) -> Ids:
    api.patch("/settings", {"currency": "EUR"})
    response = api.post("/hourly-rates", {"name": "Workshop", "price_per_hour": 80.0})
    return _made(response, {"rate_id": response.json()["id"]})


def _make_site(api: Api) -> Ids:
    response = api.post("/sites", {"name": "Port depot", "kind": "depot", "address": SITE_ADDRESS})
    return _made(response, {"site_id": response.json()["id"]})


SITE_ADDRESS = {"line1": "Hafenstrasse 4", "city": "Hamburg", "postal_code": "20457", "country": "DE"}


def _make_work_order(api: Api) -> Ids:
    ids = _make_task(api)
    body = {
        "title": "Owned order",
        "task_ids": [ids["task_id"]],
        "assignees": [{"id": "owner-user"}],
        "customer": {"name": "Owned customer", "number": "OWN-1"},
    }
    response = api.post("/work-orders", body)
    return _made(response, {**ids, "work_order_id": response.json()["id"]})


def _make_line(api: Api) -> Ids:
    ids = _make_work_order(api)
    line = {"kind": "part", "quantity": 2, "unit_price": 4.5, "description": "Owned filter"}
    response = api.post(f"/work-orders/{ids['work_order_id']}/items", line)
    return _made(response, {**ids, "line_id": response.json()["id"]})


def _make_file(api: Api) -> Ids:
    """An uploaded, completed file (one that is only declared has no download to compare)."""
    return {"file_id": uploaded_file(api)["id"]}


def _make_order_file(api: Api) -> Ids:
    """A work order with a file declared for it (what the order's file list shows)."""
    ids = _make_work_order(api)
    made = uploaded_file(api, link={"kind": "work_order", "id": ids["work_order_id"]})
    return {**ids, "order_file_id": made["id"]}


PLAN = {
    "name": "Owned plan",
    "description": "Owner's own plan",
    "planned_services": [
        {"name": "500 h service", "conditions": {"hours": {"every_h": 500, "notify_before_h": 50}}},
    ],
}


def _make_plan(api: Api) -> Ids:
    response = api.post("/plans", PLAN)
    return _made(response, {"plan_id": response.json()["id"], "revision": "1"})


def _make_assignable(api: Api) -> Ids:
    """An asset with an hours meter and a plan of the same account, not yet assigned."""
    asset = api.create_asset(name="Owned excavator", type="machine", meters=["hours"], external_id="OWNED-X")
    api.post(f"/assets/{asset['id']}/readings", {"hours": 730})
    return {**_make_plan(api), "asset_id": asset["id"], "assignable": asset["id"]}


def _make_assigned(api: Api) -> Ids:
    """An asset on a plan its owner provides for: one open plan task."""
    ids = _make_assignable(api)
    entry = {"asset_id": ids["asset_id"], "plan_id": ids["plan_id"], "provide_for": True}
    response = api.put("/plan-assignments", {"add": [entry]})
    assert response.json()["succeeded"] == 1, response.body
    plan = api.get(f"/plans/{ids['plan_id']}").json()
    return {**ids, "assigned": ids["asset_id"], "planned_service_id": plan["planned_services"][0]["id"]}


def _make_provider(api: Api) -> Ids:
    """Another account the owner may name as provider (nobody's object: a name)."""
    return {"account_id": f"acct-prov-{secrets.token_hex(6)}"}


def _make_granted(api: Api) -> Ids:
    """An asset of the owner's, granted to a provider."""
    ids = {**_make_asset(api), **_make_provider(api)}
    response = api.put(f"/providers/{ids['account_id']}/assets", {"add": [ids["asset_id"]]})
    assert response.json()["succeeded"] == 1, response.body
    return {**ids, "granted": ids["account_id"]}


def _make_network(api: Api) -> Ids:
    """A network of the owner's, without members (a sample delete needs an empty one)."""
    response = api.post("/networks", {"name": "Owned network"})
    assert response.status == 201, response.body
    return {"network_id": response.json()["id"]}


def _make_overlay(api: Api) -> Ids:
    """An overlay over a plan the owner provides for on its own asset."""
    ids = _make_assigned(api)
    response = api.put("/overlays", {"plan_id": ids["plan_id"], "notify_before_h": 40})
    assert response.status == 201, response.body
    return {**ids, "overlay_id": response.json()["id"]}


def _make_provided(api: Api) -> Ids:
    """An asset of a customer's, granted to ``api``'s account: what a provider's route names."""
    customer = api.as_(account=f"acct-cust-{secrets.token_hex(6)}")
    asset_id = _make_asset(customer)["asset_id"]
    response = customer.put(f"/providers/{api.account}/assets", {"add": [asset_id]})
    assert response.json()["succeeded"] == 1, response.body
    return {"asset_id": asset_id, "provided": asset_id, "customer": customer.account}


# How to make each kind of object a route can name, as its owner; returns the ids it made.
MAKERS: dict[str, Callable[[Api], Ids]] = {
    "file_id": _make_file,
    "order_file_id": _make_order_file,
    "asset_id": _make_asset,
    "task_id": _make_task,
    "opt_out": _make_opt_out,
    "status_key": _make_status,
    "type_key": _make_type,
    "reason_code": _make_reason,
    "rate_id": _make_rate,
    "site_id": _make_site,
    "work_order_id": _make_work_order,
    "line_id": _make_line,
    "plan_id": _make_plan,
    "revision": _make_plan,
    "assignable": _make_assignable,
    "assigned": _make_assigned,
    "account_id": _make_provider,
    "granted": _make_granted,
    "provided": _make_provided,
    "network_id": _make_network,
    "overlay_id": _make_overlay,
}
# Path values that are no ids (every plan has a revision 1): seeing one in a list leaks nothing.
PLAIN_VALUES = frozenset({"revision"})
# Path parameters that name no object of the owner's (another account, by name): a route with no
# other is answered per item, like a batch route (BODY_REFERENCES), not with a 404 for the path.
UNOWNED_PATH_PARAMETERS = frozenset({"account_id"})

# A valid body for each route that takes one, given the ids of the objects it may reference.
BODIES: dict[RouteKey, Callable[[Ids], Any]] = {
    ("POST", "/files"): lambda ids: {
        "filename": "Inspection report.pdf",
        "content_type": "application/pdf",
        "size": 1024,
        "link": {"kind": "task", "id": ids["task_id"]},
    },
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
    ("POST", "/provided-assets/{asset_id}/readings"): lambda _ids: {
        "odometer_km": 12020.0,
        "hours": 302.0,
        "source": "workshop",
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
    ("POST", "/work-orders"): lambda ids: {
        "title": "New order",
        "description": "Replace the belt",
        "asset_ids": [ids["asset_id"]],
        "customer": {"name": "Customer", "number": "C-1", "email": "c@example.com"},
        "assignees": [{"id": "tech-1", "name": "Tech"}],
        "service_codes": ["S1"],
    },
    ("PATCH", "/work-orders/{work_order_id}"): lambda _ids: {
        "title": "Changed order",
        "description": "Belt and pulley",
        "priority": "urgent",
        "customer": {"name": "Other customer", "number": "C-2"},
    },
    ("POST", "/work-orders/{work_order_id}/status"): lambda _ids: {
        "status": "scheduled",
        "comment": "Booked",
    },
    ("POST", "/work-orders/{work_order_id}/close"): lambda _ids: {
        "outcome": "complete",
        "comment": "All good",
    },
    ("POST", "/work-orders/{work_order_id}/reopen"): lambda _ids: {"comment": "Not finished"},
    ("POST", "/work-orders/{work_order_id}/items"): lambda _ids: {
        "kind": "labour",
        "quantity": 1.5,
        "unit_price": 80.0,
        "description": "Fitting",
        "code": "L1",
    },
    ("PATCH", "/work-orders/{work_order_id}/items/{line_id}"): lambda _ids: {
        "quantity": 3,
        "description": "Two filters",
        "code": "F2",
    },
    ("POST", "/work-orders/{work_order_id}/notes"): lambda _ids: {
        "text": "Gate code 1234",
        "visibility": "customer",
    },
    ("POST", "/work-order-statuses"): lambda _ids: {
        "key": _key("st"),
        "name": "Waiting for parts",
        "position": 35,
        "starts_work": False,
        "transitions": ["in_progress"],
    },
    ("PATCH", "/work-order-statuses/{status_key}"): lambda _ids: {
        "name": "Parts ordered",
        "position": 36,
        "starts_work": True,
        "transitions": ["new"],
    },
    ("POST", "/work-order-types"): lambda _ids: {"key": _key("ty"), "name": "Calibration"},
    ("PATCH", "/work-order-types/{type_key}"): lambda _ids: {"name": "Calibration check"},
    ("POST", "/work-order-reasons"): lambda _ids: {
        "code": _key("rs"),
        "outcome": "incomplete",
        "name": "Strike",
    },
    ("POST", "/hourly-rates"): lambda _ids: {
        "name": "Field",
        "code": "LAB-1",
        "price_per_hour": 95.5,
        "active": True,
    },
    ("PATCH", "/hourly-rates/{rate_id}"): lambda _ids: {
        "name": "Field service",
        "code": "LAB-2",
        "price_per_hour": 99.0,
        "active": False,
    },
    ("POST", "/sites"): lambda _ids: {
        "name": "Farm",
        "number": "C-1",
        "kind": "customer",
        "address": SITE_ADDRESS,
    },
    ("POST", "/plans"): lambda _ids: PLAN,
    ("PUT", "/overlays"): lambda ids: {
        "plan_id": ids["plan_id"],
        "asset_id": ids["asset_id"],
        "planned_service_id": ids["planned_service_id"],
        "notify_before_h": 25,
    },
    ("POST", "/networks"): lambda _ids: {"name": "Dealer network", "description": "Dealers of the region"},
    ("PUT", "/networks/{network_id}/members"): lambda ids: {
        "add": {"plans": [ids["plan_id"]], "providers": ["acct-network-member"]}
    },
    ("PATCH", "/plans/{plan_id}"): lambda _ids: {
        "name": "Changed plan",
        "description": "Changed by its owner",
        "planned_services": [{"name": "250 h check", "conditions": {"hours": {"every_h": 250}}}],
    },
    ("PUT", "/plan-assignments"): lambda ids: {
        "add": [{"asset_id": ids["asset_id"], "plan_id": ids["plan_id"], "provide_for": True}]
    },
    ("POST", "/plans/{plan_id}/revisions/{revision}/apply"): lambda _ids: {"dry_run": False},
    ("PUT", "/providers/{account_id}/assets"): lambda ids: {"add": [ids["asset_id"]]},
    ("POST", "/registrations"): lambda ids: {
        "asset_id": ids["asset_id"],
        "comment": "Filters changed",
        "services": [{"planned_service_id": ids["planned_service_id"]}],
    },
    ("PATCH", "/sites/{site_id}"): lambda _ids: {
        "name": "Farm north",
        "number": "C-2",
        "kind": "customer",
        "address": {**SITE_ADDRESS, "city": "Kiel"},
    },
}

# The query a route needs for its sample request (formatted with the ids).
QUERIES: dict[RouteKey, str] = {
    ("GET", "/notifications"): "?task_id={task_id}",
    ("DELETE", "/notifications/opt-outs"): "?recipient=%2B4915112345678",
    ("GET", "/work-orders/report"): "?format=csv",
    ("GET", "/plans/public"): "?brand=Linde&model=H30",
}
# Objects a route's sample query names.
QUERY_REFERENCES: dict[RouteKey, str] = {("GET", "/notifications"): "task_id"}

# Routes whose body (not path) names other objects, and the kind of object it names.
BODY_REFERENCES: dict[RouteKey, str] = {
    ("POST", "/files"): "task_id",
    ("POST", "/work-orders"): "asset_id",
    ("POST", "/readings"): "asset_id",
    ("POST", "/tasks"): "asset_id",
    ("POST", "/tasks/batch"): "asset_id",
    ("POST", "/tasks/batch-delete"): "task_id",
    ("PUT", "/plan-assignments"): "assignable",
    ("PUT", "/providers/{account_id}/assets"): "asset_id",
    ("POST", "/registrations"): "assigned",
    ("PUT", "/networks/{network_id}/members"): "plan_id",
    ("PUT", "/overlays"): "assigned",
}

# What a route needs beyond its objects before its sample request can succeed.
SETUP: dict[RouteKey, Callable[[Api, Ids], None]] = {
    ("POST", "/tasks/{task_id}/reopen"): lambda api, ids: api.post(f"/tasks/{ids['task_id']}/complete", {}),
    ("POST", "/hourly-rates"): lambda api, _ids: api.patch("/settings", {"currency": "EUR"}),
    ("POST", "/work-orders/{work_order_id}/reopen"): lambda api, ids: api.post(
        f"/work-orders/{ids['work_order_id']}/close", {"outcome": "complete"}
    ),
}

# What the owner reads to see that an object is unchanged after someone else's attempt.
READ_BACK: dict[str, Callable[[Ids], list[str]]] = {
    "file_id": lambda ids: [f"/files/{ids['file_id']}"],
    "provided": lambda ids: [
        f"/provided-assets/{ids['provided']}",
        f"/provided-assets/{ids['provided']}/readings",
        f"/provided-assets/{ids['provided']}/tasks",
    ],
    "asset_id": lambda ids: [
        f"/assets/{ids['asset_id']}",
        f"/assets/{ids['asset_id']}/readings",
        f"/assets/{ids['asset_id']}/history",
    ],
    "task_id": lambda ids: [f"/tasks/{ids['task_id']}"],
    "status_key": lambda _ids: ["/work-order-statuses"],
    "type_key": lambda _ids: ["/work-order-types"],
    "reason_code": lambda _ids: ["/work-order-reasons"],
    "rate_id": lambda ids: [f"/hourly-rates/{ids['rate_id']}"],
    "site_id": lambda ids: [f"/sites/{ids['site_id']}"],
    "line_id": lambda ids: [f"/work-orders/{ids['work_order_id']}/items/{ids['line_id']}"],
    "plan_id": lambda ids: [f"/plans/{ids['plan_id']}", f"/plans/{ids['plan_id']}/revisions/1"],
    "network_id": lambda ids: [f"/networks/{ids['network_id']}", f"/plans?network_id={ids['network_id']}"],
    "overlay_id": lambda ids: ["/overlays", f"/tasks?asset_id={ids['asset_id']}"],
    "revision": lambda ids: [f"/plans/{ids['plan_id']}/revisions/{ids['revision']}"],
    "assignable": lambda ids: [f"/plan-assignments?asset_id={ids['asset_id']}"],
    "account_id": lambda _ids: ["/providers"],
    "granted": lambda ids: [f"/providers?asset_id={ids['asset_id']}"],
    "assigned": lambda ids: [
        f"/tasks?asset_id={ids['asset_id']}",
        f"/plan-assignments?asset_id={ids['asset_id']}",
    ],
    "work_order_id": lambda ids: [
        f"/work-orders/{ids['work_order_id']}",
        f"/work-orders/{ids['work_order_id']}/events",
        f"/work-orders/{ids['work_order_id']}/items",
        f"/work-orders/{ids['work_order_id']}/notes",
        f"/work-orders/{ids['work_order_id']}/files",
    ],
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
    ("GET", "/provided-assets/{asset_id}/readings"): ("provided", ["", "?order=asc"]),
    ("GET", "/provided-assets/{asset_id}/tasks"): ("provided", [""]),
    ("GET", "/assets/{asset_id}/history"): ("task_id", ["", "?limit=1"]),
    ("GET", "/tasks"): (
        "task_id",
        ["", "?asset_id={asset_id}", "?status=planned", "?status=upcoming,overdue", "?q=oil", "?sort=-wear"],
    ),
    ("GET", "/notifications"): ("task_id", ["?task_id={task_id}", "?asset_id={asset_id}&order=asc"]),
    ("GET", "/notifications/opt-outs"): ("opt_out", ["", "?limit=1"]),
    ("GET", "/work-order-statuses"): ("status_key", [""]),
    ("GET", "/work-order-types"): ("type_key", [""]),
    ("GET", "/work-order-reasons"): ("reason_code", ["", "?outcome=incomplete"]),
    ("GET", "/hourly-rates"): ("rate_id", ["", "?limit=1", "?active=true"]),
    ("GET", "/sites"): ("site_id", ["", "?limit=1", "?kind=depot"]),
    ("GET", "/plans"): ("plan_id", ["", "?limit=1"]),
    ("GET", "/networks"): ("network_id", ["", "?limit=1"]),
    ("GET", "/overlays"): ("overlay_id", ["", "?limit=1", "?plan_id={plan_id}"]),
    # Published plans are for everyone; the owner's unpublished plan is not among them.
    ("GET", "/plans/public"): ("plan_id", ["?brand=Linde&model=H30", "?brand=owned&model=plan"]),
    ("GET", "/plan-assignments"): ("assigned", ["", "?asset_id={asset_id}", "?limit=1"]),
    ("GET", "/providers"): ("granted", ["", "?asset_id={asset_id}", "?limit=1"]),
    ("GET", "/provided-assets"): ("granted", ["", "?limit=1", "?customer_id=acct-none"]),
    ("GET", "/work-orders"): (
        "work_order_id",
        [
            "",
            "?state=open",
            "?status=new",
            "?assignee=owner-user",
            "?asset_id={asset_id}",
            "?customer_number=OWN-1",
            "?q=owned",
            "?customer=owned",
            "?number=1",
            "?sort=planned",
            "?sort=-number&limit=1",
        ],
    ),
    ("GET", "/work-orders/{work_order_id}/events"): ("work_order_id", ["", "?order=desc"]),
    ("GET", "/work-orders/{work_order_id}/items"): ("line_id", [""]),
    ("GET", "/work-orders/{work_order_id}/notes"): ("work_order_id", [""]),
    ("GET", "/work-orders/{work_order_id}/files"): ("order_file_id", ["", "?limit=1"]),
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
    # The work orders GET /work-orders lists, as a file (csv: each row carries the order's id).
    ("GET", "/work-orders/report"): (
        "work_order_id",
        [
            "?format=csv",
            "?format=csv&state=open",
            "?format=csv&asset_id={asset_id}",
            "?format=csv&assignee=owner-user",
            "?format=csv&customer_number=OWN-1",
            "?format=csv&q=owned",
            "?format=csv&number=1",
            "?format=csv&sort=planned",
            "?format=csv&status=new",
        ],
    ),
}


# Where a route's text fields come back when it does not answer with the object it changed.
ECHOES: dict[RouteKey, Callable[[Api, Ids], Any]] = {
    **{
        ("POST", f"/work-orders/{{work_order_id}}/{action}"): lambda api, ids: api.get(
            f"/work-orders/{ids['work_order_id']}/events?order=desc"
        ).json()["items"][0]
        for action in ("status", "close", "reopen")
    },
    ("POST", "/tasks/{task_id}/complete"): lambda api, ids: api.get(
        f"/assets/{ids['asset_id']}/history"
    ).json()["items"][0],
    ("POST", "/registrations"): lambda api, ids: api.get(f"/assets/{ids['asset_id']}/history").json()[
        "items"
    ][0],
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


# Makers that bring other objects along (a line its order, an order its task, a task its asset),
# most specific first: what they bring is not made again.
_SPECIFIC = {
    "granted": 0,
    "provided": 0,
    "line_id": 0,
    "order_file_id": 0,
    "assigned": 0,
    "assignable": 1,
    "work_order_id": 1,
    "task_id": 2,
}


def make_objects(api: Api, route: Route) -> Ids:
    """Everything ``route`` names (in its path, its body, or lists), owned by ``api``'s account."""
    # A provider's route names a customer's asset granted to the caller, not one of its own.
    needed = [
        ("provided" if name == "asset_id" and route.access == ("provider",) else name)
        for name in route.path_params
    ]
    if key_of(route) in BODY_REFERENCES:
        needed.append(BODY_REFERENCES[key_of(route)])
    if key_of(route) in QUERY_REFERENCES:
        needed.append(QUERY_REFERENCES[key_of(route)])
    if key_of(route) in LISTS:
        needed.append(LISTS[key_of(route)][0])
    ids: Ids = {}
    for name in sorted(set(needed), key=lambda n: _SPECIFIC.get(n, len(_SPECIFIC))):
        if name not in ids:
            ids.update(MAKERS[name](api))
    if key_of(route) in SETUP:
        SETUP[key_of(route)](api, ids)
    return ids


# Worked out from the clock on every read, so they differ between two reads of the same item.
_VOLATILE = {"condition_states", "wear_percent", "predicted_due_at", "download"}  # a link is signed per read


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
