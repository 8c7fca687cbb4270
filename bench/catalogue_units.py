"""The work-order catalogue routes, as the capacity benchmark measures them (route_units.py):
each kind's set-up requests (a rate to read, a status to delete) are not part of its figure."""

from typing import Any

from bench.route_units import Request
from bench.stack import InProcessClient

STATUSES, TYPES, REASONS = "/work-order-statuses", "/work-order-types", "/work-order-reasons"
SITE = {
    "name": "Port depot",
    "number": "D-7",
    "kind": "depot",
    "address": {"line1": "Hafenstrasse 4", "city": "Hamburg", "postal_code": "20457", "country": "DE"},
}


def catalogue_requests(api: InProcessClient) -> list[Request]:
    made: dict[str, str] = {}

    def call(method: str, path: str, body: Any = None) -> Any:
        return api.request(method, path, body).json()

    def new_rate(n: int) -> str:
        api.request("PATCH", "/settings", {"currency": "EUR"})
        return str(call("POST", "/hourly-rates", {"name": f"Workshop {n}", "price_per_hour": 85.5})["id"])

    def a_rate() -> str:
        if "rate" not in made:
            made["rate"] = new_rate(0)
        return made["rate"]

    def a_site() -> str:
        if "site" not in made:
            made["site"] = str(call("POST", "/sites", SITE)["id"])
        return made["site"]

    def delete_status(n: int) -> None:
        call("POST", STATUSES, {"key": f"gone_{n}", "name": "Gone", "position": 60})
        api.request("DELETE", f"{STATUSES}/gone_{n}")

    def delete_type(n: int) -> None:
        call("POST", TYPES, {"key": f"gone_{n}", "name": "Gone"})
        api.request("DELETE", f"{TYPES}/gone_{n}")

    def delete_reason(n: int) -> None:
        call("POST", REASONS, {"code": f"gone_{n}", "outcome": "incomplete", "name": "Gone"})
        api.request("DELETE", f"{REASONS}/gone_{n}")

    def delete_rate(n: int) -> None:
        api.request("DELETE", f"/hourly-rates/{new_rate(100 + n)}")

    def delete_site(n: int) -> None:
        api.request("DELETE", f"/sites/{call('POST', '/sites', SITE)['id']}")

    return [
        Request("list work-order statuses", ("GET", STATUSES), lambda n: api.request("GET", STATUSES)),
        Request(
            "add a work-order status",
            ("POST", STATUSES),
            lambda n: api.request("POST", STATUSES, {"key": f"step_{n}", "name": "Step", "position": 35}),
        ),
        Request(
            "rename a seeded status",
            ("PATCH", f"{STATUSES}/{{status_key}}"),
            lambda n: api.request("PATCH", f"{STATUSES}/new", {"name": f"Received {n}"}),
        ),
        Request("delete a work-order status", ("DELETE", f"{STATUSES}/{{status_key}}"), delete_status),
        Request("list work-order types", ("GET", TYPES), lambda n: api.request("GET", TYPES)),
        Request(
            "add a work-order type",
            ("POST", TYPES),
            lambda n: api.request("POST", TYPES, {"key": f"kind_{n}", "name": "Calibration"}),
        ),
        Request(
            "rename a built-in type",
            ("PATCH", f"{TYPES}/{{type_key}}"),
            lambda n: api.request("PATCH", f"{TYPES}/repair", {"name": f"Repair {n}"}),
        ),
        Request("delete a work-order type", ("DELETE", f"{TYPES}/{{type_key}}"), delete_type),
        Request("list close reasons", ("GET", REASONS), lambda n: api.request("GET", REASONS)),
        Request(
            "add a close reason",
            ("POST", REASONS),
            lambda n: api.request(
                "POST", REASONS, {"code": f"why_{n}", "outcome": "incomplete", "name": "Why"}
            ),
        ),
        Request("delete a close reason", ("DELETE", f"{REASONS}/{{reason_code}}"), delete_reason),
        Request(
            "list hourly rates",
            ("GET", "/hourly-rates"),
            lambda n: api.request("GET", "/hourly-rates?limit=50"),
        ),
        Request("add an hourly rate", ("POST", "/hourly-rates"), new_rate),
        Request(
            "read an hourly rate",
            ("GET", "/hourly-rates/{rate_id}"),
            lambda n: api.request("GET", f"/hourly-rates/{a_rate()}"),
        ),
        Request(
            "change an hourly rate",
            ("PATCH", "/hourly-rates/{rate_id}"),
            lambda n: api.request("PATCH", f"/hourly-rates/{a_rate()}", {"price_per_hour": 90 + n}),
        ),
        Request("delete an hourly rate", ("DELETE", "/hourly-rates/{rate_id}"), delete_rate),
        Request("list sites", ("GET", "/sites"), lambda n: api.request("GET", "/sites?limit=50")),
        Request("add a site", ("POST", "/sites"), lambda n: api.request("POST", "/sites", SITE)),
        Request(
            "read a site", ("GET", "/sites/{site_id}"), lambda n: api.request("GET", f"/sites/{a_site()}")
        ),
        Request(
            "change a site",
            ("PATCH", "/sites/{site_id}"),
            lambda n: api.request("PATCH", f"/sites/{a_site()}", {"name": f"Port depot {n}"}),
        ),
        Request("delete a site", ("DELETE", "/sites/{site_id}"), delete_site),
    ]
