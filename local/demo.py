"""Demo data for a new local server, created through the API itself so it obeys every rule."""

import functools
from datetime import UTC, datetime, timedelta
from typing import Any

from local.auth import issue_token
from local.gateway import LocalGateway

DEMO_ACCOUNTS = ("acme-logistics", "greenfield-farms")

_FLEETS: dict[str, list[dict[str, Any]]] = {
    "acme-logistics": [
        {
            "name": "Truck 12",
            "type": "vehicle",
            "brand": "Volvo",
            "model": "FH16",
            "serial_number": "YV2RT40A5KB123456",
            "production_year": 2021,
            "external_id": "ACME-T12",
            "meters": ["odometer", "hours"],
        },
        {
            "name": "Truck 14",
            "type": "vehicle",
            "brand": "Scania",
            "model": "R450",
            "external_id": "ACME-T14",
        },
        {"name": "Forklift 3", "type": "machine", "brand": "Linde", "model": "H30", "external_id": "ACME-F3"},
        {"name": "Reefer trailer 7", "type": "equipment", "brand": "Schmitz", "model": "S.KO COOL"},
    ],
    "greenfield-farms": [
        {
            "name": "Tractor North",
            "type": "machine",
            "brand": "John Deere",
            "model": "6R 150",
            "meters": ["hours"],
            "external_id": "GF-TR1",
        },
        {"name": "Pickup", "type": "vehicle", "brand": "Toyota", "model": "Hilux"},
    ],
}


# Service tasks by asset name: one overdue, some upcoming, some planned, so every status shows.
_TASKS: dict[str, list[dict[str, Any]]] = {
    "Truck 12": [
        {
            "name": "Engine oil and filter",
            "repeat": True,
            "start": {"odometer_km": 119_500},
            "conditions": {
                "distance": {"limit_km": 10_000, "notify_before_km": 1_000},
                "date": {"every_months": 12, "notify_before_days": 30},
            },
            "recipients": {"emails": ["workshop@acme.example"]},
            "cost": {"amount": 240, "currency": "EUR"},
        },
    ],
    "Truck 14": [
        {
            "name": "Annual inspection",
            "repeat": True,
            "started_days_ago": 350,  # so that it is upcoming now
            "conditions": {"date": {"every_days": 365, "notify_before_days": 30}},
        },
    ],
    "Forklift 3": [
        {
            "name": "250 h service",
            "repeat": True,
            "anchor": "cadence",
            "start": {"hours": 4_000},
            "conditions": {"hours": {"limit_h": 250, "notify_before_h": 25}},
        },
    ],
    "Tractor North": [
        {
            "name": "500 h service",
            "repeat": True,
            "conditions": {"hours": {"limit_h": 500, "notify_at_percent": 90}},
        },
    ],
}


def _readings(asset: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """Thirty days of daily readings with a steady use, so the numbers look like a real fleet."""
    out = []
    for day in range(30, 0, -1):
        reading: dict[str, Any] = {
            "asset_id": asset["id"],
            "time": (now - timedelta(days=day)).isoformat(),
            "source": "demo",
        }
        if "odometer" in asset["meters"]:
            reading["odometer_km"] = 120_000 + (30 - day) * 310.5
        if "hours" in asset["meters"]:
            reading["hours"] = 4_200 + (30 - day) * 7.25
        if len(reading) > 3:
            out.append(reading)
    return out


def load_demo_data(gateway: LocalGateway) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    for account in DEMO_ACCOUNTS:
        headers = {
            "Authorization": f"Bearer {issue_token(account, key=gateway.signing_key)}",
            "Content-Type": "application/json",
        }
        readings, tasks, assets = [], [], []
        for fields in _FLEETS[account]:
            response = gateway.handle("POST", "/assets", headers, _json(fields))
            if response.status != 201:
                raise RuntimeError(f"demo asset refused: {response.status} {response.body}")
            assets.append(response.json())
            readings.extend(_readings(response.json(), now))
            tasks += [{**task, "asset_id": response.json()["id"]} for task in _TASKS.get(fields["name"], [])]
        if readings:
            response = gateway.handle("POST", "/readings", headers, _json({"readings": readings}))
            if response.status != 200 or response.json()["rejected"]:
                raise RuntimeError(f"demo readings refused: {response.body[:500]}")
        made = []
        for task in tasks:
            if "started_days_ago" in task:
                started = now - timedelta(days=task.pop("started_days_ago"))
                task["start"] = {"at": started.isoformat().replace("+00:00", "Z")}
            response = gateway.handle("POST", "/tasks", headers, _json(task))
            if response.status != 201:
                raise RuntimeError(f"demo task refused: {response.status} {response.body[:500]}")
            made.append(response.json())
        if account == "acme-logistics":
            _work_orders(gateway, headers, made, now)
        else:
            _plans(gateway, headers, assets)


def _plans(gateway: LocalGateway, headers: dict[str, str], assets: list[dict[str, Any]]) -> None:
    """A tractor plan, published for its brand and model, on the farm's tractor, provided by the
    farm's own workshop: its 500 h service on the grid of the hours meter, a yearly inspection."""
    call = functools.partial(_call, gateway, headers)
    plan = call(
        "POST",
        "/plans",
        {
            "name": "6R tractor service",
            "planned_services": [
                {"name": "500 h service", "conditions": {"hours": {"every_h": 500, "notify_before_h": 50}}},
                {
                    "name": "Yearly inspection",
                    "conditions": {"date": {"every_months": 12, "notify_before_days": 30}},
                },
            ],
            "public": {"brand": "John Deere", "model": "6R 150"},
        },
    )
    tractor = next(asset for asset in assets if asset.get("model") == "6R 150")
    entry = {"asset_id": tractor["id"], "plan_id": plan["id"], "provide_for": True}
    outcome = call("PUT", "/plan-assignments", {"add": [entry]})
    if outcome["failed"]:
        raise RuntimeError(f"demo assignment refused: {outcome['results']}")


def _call(gateway: LocalGateway, headers: dict[str, str], method: str, path: str, body: Any) -> Any:
    response = gateway.handle(method, path, headers, _json(body))
    if response.status not in (200, 201):
        raise RuntimeError(f"demo {method} {path} refused: {response.status} {response.body[:500]}")
    return response.json()


def _work_orders(
    gateway: LocalGateway, headers: dict[str, str], tasks: list[dict[str, Any]], now: datetime
) -> None:
    """A depot, a customer site, a labour rate and two work orders: one in progress over the
    overdue task, with lines and a customer note; one closed complete."""
    call = functools.partial(_call, gateway, headers)
    call("PATCH", "/settings", {"currency": "EUR"})
    address = {"line1": "Hafenstrasse 4", "city": "Hamburg", "postal_code": "20457", "country": "DE"}
    depot = call("POST", "/sites", {"name": "Hamburg workshop", "kind": "depot", "address": address})
    site = call(
        "POST",
        "/sites",
        {
            "name": "Acme yard",
            "number": "C-1001",
            "kind": "customer",
            "address": {**address, "line1": "Kai 7"},
        },
    )
    rate = call("POST", "/hourly-rates", {"name": "Workshop labour", "code": "LAB", "price_per_hour": 92.0})
    first = next(task for task in tasks if task["status"] == "overdue") if tasks else None
    planned = (now + timedelta(days=1)).isoformat().replace("+00:00", "Z")
    order = call(
        "POST",
        "/work-orders",
        {
            "title": "Overdue service, Truck 12",
            "type": "maintenance",
            "priority": "high",
            "customer": {"number": "C-1001", "name": "Acme Logistics", "email": "fleet@acme.example"},
            "site_id": site["id"],
            "depot_id": depot["id"],
            "assignees": [{"id": "tech-anna", "name": "Anna"}, {"id": "tech-ben", "name": "Ben"}],
            "planned_start": planned,
            "task_ids": [first["id"]] if first else [],
        },
    )
    path = f"/work-orders/{order['id']}"
    call("POST", f"{path}/status", {"status": "in_progress", "comment": "Truck is in the workshop"})
    call(
        "POST",
        f"{path}/items",
        {"kind": "part", "code": "OF-220", "quantity": 1, "unit_price": 38.5, "tax_percent": 19},
    )
    call(
        "POST", f"{path}/items", {"kind": "labour", "quantity": 1.5, "rate_id": rate["id"], "tax_percent": 19}
    )
    call("POST", f"{path}/notes", {"text": "Ready tomorrow at noon", "visibility": "customer"})
    done = call(
        "POST",
        "/work-orders",
        {"title": "Tyre check, Forklift 3", "type": "inspection", "site_id": site["id"]},
    )
    call("POST", f"/work-orders/{done['id']}/close", {"outcome": "complete", "reason_code": "done"})


def _json(value: Any) -> bytes:
    import json  # noqa: PLC0415

    return json.dumps(value).encode()
