"""An order's public status link: what it shows, what it never shows, revocation, limits."""

import json
from typing import Any

from local.gateway import LocalGateway
from local.throttle import Limits
from shared.routes import PUBLIC_WINDOW_SECONDS, find_route
from tests.conftest import SIGNING_KEY, Api


def _order(api: Api) -> dict[str, Any]:
    asset = api.create_asset(name="Forklift 7")
    site = api.post(
        "/sites",
        {
            "name": "Dock 3",
            "kind": "customer",
            "address": {"line1": "Kai 1", "city": "Bremen", "country": "DE"},
        },
    ).json()
    order = api.post(
        "/work-orders",
        {
            "title": "Mast repair",
            "asset_ids": [asset["id"]],
            "site_id": site["id"],
            "customer": {"name": "Hafen GmbH", "email": "ops@hafen.example", "phone": "+4942112345678"},
            "assignees": [{"id": "tech-9", "name": "Secret Technician"}],
        },
    ).json()
    path = f"/work-orders/{order['id']}"
    api.post(f"{path}/items", {"kind": "part", "quantity": 1, "unit_price": 987.65})
    api.post(f"{path}/notes", {"text": "Internal: customer pays late"})
    api.post(f"{path}/notes", {"text": "We arrive Tuesday", "visibility": "customer"})
    api.post(f"{path}/status", {"status": "scheduled"})
    return order


def test_the_public_page_shows_progress_and_nothing_private(api: Api) -> None:
    order = _order(api)
    link = api.post(f"/work-orders/{order['id']}/public-link")
    assert link.status == 201, link.body
    reference = link.json()["reference"]
    assert link.json()["url"].endswith(f"/public/work-orders/{reference}")
    page = api.get(f"/public/work-orders/{reference}", auth=False)
    assert page.status == 200, page.body
    assert page.headers["Cache-Control"] == "no-store"
    shown = page.json()
    assert shown["number"] == order["display_number"] and shown["title"] == "Mast repair"
    assert (shown["status"], shown["step"], shown["steps"]) == ("Scheduled", 2, 5)
    assert shown["site"] == {"name": "Dock 3", "city": "Bremen"}
    assert shown["assets"] == ["Forklift 7"]
    assert [note["text"] for note in shown["notes"]] == ["We arrive Tuesday"]
    text = json.dumps(shown)
    private = (order["id"], "Hafen GmbH", "ops@hafen", "+49421", "Secret Technician", "987.65", "pays late")
    assert not [value for value in private if value in text]
    assert api.get(f"/work-orders/{order['id']}").json()["public_link"] is not None


def test_a_revoked_or_replaced_link_is_a_404(api: Api) -> None:
    order = _order(api)
    first = api.post(f"/work-orders/{order['id']}/public-link").json()["reference"]
    second = api.post(f"/work-orders/{order['id']}/public-link").json()["reference"]
    assert api.get(f"/public/work-orders/{first}", auth=False).status == 404
    assert api.get(f"/public/work-orders/{second}", auth=False).status == 200
    assert api.delete(f"/work-orders/{order['id']}/public-link").status == 204
    assert api.get(f"/public/work-orders/{second}", auth=False).status == 404
    assert api.get("/public/work-orders/" + "A" * 43, auth=False).status == 404
    assert api.get("/public/work-orders/short", auth=False).status == 404
    assert api.get(f"/work-orders/{order['id']}").json()["public_link"] is None


def test_another_account_cannot_make_a_link(api: Api, other_api: Api) -> None:
    order = _order(api)
    assert other_api.post(f"/work-orders/{order['id']}/public-link").status == 404
    assert other_api.delete(f"/work-orders/{order['id']}/public-link").status == 404


def test_the_public_route_is_limited_per_address_and_per_second() -> None:
    route, _ = find_route("GET", "/public/work-orders/" + "A" * 43) or (None, None)
    assert route is not None and route.rate_limit is not None
    limits, address = Limits(), "203.0.113.7"
    # Spread over the window, so that the per-second limit is not what refuses.
    allowed = [limits.admit(route, address, now=i * 0.5) for i in range(route.rate_limit.per_address + 1)]
    assert allowed == [True] * route.rate_limit.per_address + [False]
    assert limits.admit(route, "198.51.100.1", now=60.0)  # another address is not refused
    assert limits.admit(route, address, now=PUBLIC_WINDOW_SECONDS + 1.0)  # the window moved on
    # A burst from many addresses meets the method's own limit.
    burst = [limits.admit(route, f"10.0.0.{i}", now=1000.0) for i in range(route.rate_limit.burst + 1)]
    assert burst == [True] * route.rate_limit.burst + [False]
    assert limits.admit(route, "10.0.1.1", now=1000.0 + 2 / route.rate_limit.per_second)


def test_the_local_gateway_answers_429_when_the_public_route_is_hammered(api: Api) -> None:
    order = _order(api)
    reference = api.post(f"/work-orders/{order['id']}/public-link").json()["reference"]
    gateway = LocalGateway(SIGNING_KEY)  # limits on, as `servicecycle dev` serves
    path = f"/public/work-orders/{reference}"
    statuses = []
    while 429 not in statuses and len(statuses) <= 101:  # per second or, at the latest, per address
        statuses.append(gateway.handle("GET", path, {"X-Forwarded-For": "203.0.113.9"}).status)
    assert statuses[0] == 200
    assert statuses[-1] == 429
    refused = gateway.handle("GET", path, {"X-Forwarded-For": "203.0.113.9"})
    assert refused.status == 429
    assert refused.json()["error"]["code"] == "too_many_requests"
    # Other routes are not limited by it.
    assert gateway.handle("GET", "/health", {}).status == 200
