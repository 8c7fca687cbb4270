"""The work-order routes, as the capacity benchmark measures them (route_units.py): each kind's
set-up requests (an asset and a task for the order to do, an order to close or delete, a line to
change) come first and are not part of its figure, which is the kind's last request.

The orders are shaped as in section 7 (bench/work_orders.py): one asset with an odometer, one
distance task on it, one assignee. The lists read an account with 60 orders (a full page and a
next one) made once, before the first list is measured.
"""

from typing import Any

from bench.route_units import Request
from bench.stack import InProcessClient

ORDERS = "/work-orders"
ORDER = "/work-orders/{work_order_id}"
LIST_ORDERS = 60  # a page of 50 and more
PLANNED = "2030-01-01T08:00:00Z"  # the listed orders' planned start: all of them ahead


def order_requests(api: InProcessClient) -> list[Request]:
    """Nothing is sent until a request is made (the route test builds the list without an API)."""
    made: dict[str, Any] = {}
    counter = [0]

    def call(method: str, path: str, body: Any = None) -> Any:
        return api.request(method, path, body).json()

    def fresh(prefix: str) -> str:
        counter[0] += 1
        return f"{prefix} {counter[0]}"

    def order_body(assignee: str = "tech-1") -> dict[str, Any]:
        """An order of one asset, one open task on it and one assignee (its set-up: the asset,
        its reading and the task; a fresh asset each time, so its tasks stay few)."""
        asset = call("POST", "/assets", {"name": fresh("Van"), "type": "vehicle", "meters": ["odometer"]})
        reading = {"time": "2025-06-01T00:00:00Z", "odometer_km": 40_000}
        api.request("POST", f"/assets/{asset['id']}/readings", reading)
        task = call(
            "POST",
            "/tasks",
            {
                "asset_id": asset["id"],
                "name": "Oil change",
                "conditions": {"distance": {"limit_km": 15_000, "notify_before_km": 1_000}},
                "repeat": True,
            },
        )
        return {
            "title": fresh("Service"),
            "task_ids": [task["id"]],
            "assignees": [{"id": assignee, "name": "Technician"}],
        }

    def new_order() -> dict[str, Any]:
        return dict(call("POST", ORDERS, order_body()))

    def an_order() -> str:
        """One order the reads and line changes share, in the account's currency."""
        if "order" not in made:
            api.request("PATCH", "/settings", {"currency": "EUR"})
            order = new_order()
            path = f"{ORDERS}/{order['id']}"
            api.request("POST", f"{path}/status", {"status": "scheduled"})
            api.request("POST", f"{path}/items", {"kind": "part", "quantity": 2, "unit_price": 12.5})
            api.request("POST", f"{path}/notes", {"text": "Keys at the gate"})
            made["order"] = order["id"]
        return str(made["order"])

    def listed() -> None:
        """The account's orders for the lists: a page of 50 and more for each list measured."""
        if "listed" in made:
            return
        for n in range(LIST_ORDERS):
            body = {
                "title": f"Listed {n}",
                "assignees": [{"id": "tech-list"}],
                "customer": {"number": "C-LIST", "name": "Listed Ltd"},
                "planned_start": PLANNED,
                "status": "scheduled",
            }
            api.request("POST", ORDERS, body)
        made["listed"] = True

    def list_page(query: str, path: str = ORDERS) -> Any:
        def send(n: int) -> Any:
            listed()
            return api.request("GET", f"{path}?{query}")

        return send

    def create(n: int) -> None:
        api.request("POST", ORDERS, order_body())

    def revoke_link(n: int) -> None:
        api.request("POST", f"{ORDERS}/{an_order()}/public-link")
        api.request("DELETE", f"{ORDERS}/{an_order()}/public-link")

    def public_page(n: int) -> None:
        order = an_order()
        if "reference" not in made:
            api.request(
                "POST", f"{ORDERS}/{order}/notes", {"text": "Ready at noon", "visibility": "customer"}
            )
        made["reference"] = call("POST", f"{ORDERS}/{order}/public-link")["reference"]
        api.request("GET", f"/public/work-orders/{made['reference']}")

    def delete(n: int) -> None:
        api.request("DELETE", f"{ORDERS}/{new_order()['id']}")

    def move(n: int) -> None:
        api.request("POST", f"{ORDERS}/{new_order()['id']}/status", {"status": "scheduled"})

    def close(n: int) -> None:
        api.request("POST", f"{ORDERS}/{new_order()['id']}/close", {"outcome": "complete", "comment": "Done"})

    def reopen(n: int) -> None:
        order_id = new_order()["id"]
        api.request("POST", f"{ORDERS}/{order_id}/close", {"outcome": "complete"})
        api.request("POST", f"{ORDERS}/{order_id}/reopen", {"comment": "Wrong van"})

    def add_line(n: int) -> None:
        body = {"kind": "labour", "quantity": 1.5, "unit_price": 85, "tax_percent": 19}
        api.request("POST", f"{ORDERS}/{an_order()}/items", body)

    def a_line() -> str:
        body = {"kind": "part", "code": "F-1", "quantity": 1, "unit_price": 9.9}
        return str(call("POST", f"{ORDERS}/{an_order()}/items", body)["id"])

    def the_line() -> str:
        """One line the line reads and changes share."""
        if "line" not in made:
            made["line"] = a_line()
        return str(made["line"])

    def change_line(n: int) -> None:
        api.request("PATCH", f"{ORDERS}/{an_order()}/items/{the_line()}", {"quantity": 2 + n})

    def delete_line(n: int) -> None:
        api.request("DELETE", f"{ORDERS}/{an_order()}/items/{a_line()}")

    return [
        Request("open a work order (1 asset, 1 task, 1 assignee)", ("POST", ORDERS), create),
        Request("list work orders, page of 50 by number", ("GET", ORDERS), list_page("limit=50")),
        Request(
            "list work orders of one assignee, page of 50",
            ("GET", ORDERS),
            list_page("assignee=tech-list&limit=50"),
        ),
        Request(
            "list work orders in one status, page of 50",
            ("GET", ORDERS),
            list_page("status=scheduled&limit=50"),
        ),
        Request(
            "list open work orders by planned start, page of 50",
            ("GET", ORDERS),
            list_page("sort=planned&limit=50"),
        ),
        Request("read a work order", ("GET", ORDER), lambda n: api.request("GET", f"{ORDERS}/{an_order()}")),
        Request(
            "change a work order's title and priority",
            ("PATCH", ORDER),
            lambda n: api.request(
                "PATCH", f"{ORDERS}/{an_order()}", {"title": f"Service {n}", "priority": "high"}
            ),
        ),
        Request("delete an open work order", ("DELETE", ORDER), delete),
        Request("move a work order to another status", ("POST", f"{ORDER}/status"), move),
        Request("close a work order complete (1 task)", ("POST", f"{ORDER}/close"), close),
        Request("reopen a work order closed complete (1 task)", ("POST", f"{ORDER}/reopen"), reopen),
        Request(
            "a work order's change log",
            ("GET", f"{ORDER}/events"),
            lambda n: api.request("GET", f"{ORDERS}/{an_order()}/events"),
        ),
        Request("add a labour line", ("POST", f"{ORDER}/items"), add_line),
        Request(
            "a work order's lines",
            ("GET", f"{ORDER}/items"),
            lambda n: api.request("GET", f"{ORDERS}/{an_order()}/items"),
        ),
        Request(
            "read a line",
            ("GET", f"{ORDER}/items/{{line_id}}"),
            lambda n: api.request("GET", f"{ORDERS}/{an_order()}/items/{the_line()}"),
        ),
        Request("change a line's quantity", ("PATCH", f"{ORDER}/items/{{line_id}}"), change_line),
        Request("remove a line", ("DELETE", f"{ORDER}/items/{{line_id}}"), delete_line),
        Request(
            "add a note",
            ("POST", f"{ORDER}/notes"),
            lambda n: api.request("POST", f"{ORDERS}/{an_order()}/notes", {"text": f"Called the driver {n}"}),
        ),
        Request(
            "a work order's notes",
            ("GET", f"{ORDER}/notes"),
            lambda n: api.request("GET", f"{ORDERS}/{an_order()}/notes"),
        ),
        # Reports: the shared order (1 line, 1 note) as its customer's PDF, and the listed orders
        # of one assignee (60) as csv, the way an ERP pulls them.
        Request(
            "a work order as its customer's PDF (1 line, 1 note)",
            ("GET", f"{ORDER}/report"),
            lambda n: api.request("GET", f"{ORDERS}/{an_order()}/report"),
        ),
        Request(
            "make a public status link",
            ("POST", f"{ORDER}/public-link"),
            lambda n: api.request("POST", f"{ORDERS}/{an_order()}/public-link"),
        ),
        Request("revoke the public status link", ("DELETE", f"{ORDER}/public-link"), revoke_link),
        Request(
            "the public status page (no token; 1 customer note)",
            ("GET", "/public/work-orders/{reference}"),
            public_page,
        ),
        Request(
            "work orders of one assignee as csv (60 orders)",
            ("GET", f"{ORDERS}/report"),
            list_page("assignee=tech-list&format=csv", f"{ORDERS}/report"),
        ),
    ]
