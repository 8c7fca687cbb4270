"""The service-plan routes, as the capacity benchmark measures them (route_units.py): each kind's
set-up requests (a plan to read, an asset to assign it to) are not part of its figure."""

from typing import Any

from bench.route_units import Request
from bench.stack import InProcessClient

SERVICES = [
    {
        "name": "500 h service",
        "conditions": {"hours": {"every_h": 500, "notify_before_h": 50, "offset_h": 250}},
    },
    {"name": "Yearly inspection", "conditions": {"date": {"every_months": 12, "notify_before_days": 30}}},
]
PROVIDER = "acct-units-provider"
PLAN = {"name": "Excavator 20 t", "planned_services": SERVICES, "public": {"brand": "Acme", "model": "X-200"}}


def plan_requests(api: InProcessClient) -> list[Request]:
    made: dict[str, Any] = {}

    def call(method: str, path: str, body: Any = None) -> Any:
        return api.request(method, path, body).json()

    def a_plan() -> str:
        if "plan" not in made:
            made["plan"] = call("POST", "/plans", PLAN)["id"]
        return str(made["plan"])

    def an_assigned() -> str:
        if "overlaid" not in made:
            made["overlaid"] = an_asset(7000)
            entry = {"asset_id": made["overlaid"], "plan_id": a_plan(), "provide_for": True}
            api.request("PUT", "/plan-assignments", {"add": [entry]})
        return str(made["overlaid"])

    def a_network() -> str:
        if "network" not in made:
            made["network"] = call("POST", "/networks", {"name": "Dealers"})["id"]
        return str(made["network"])

    def an_asset(n: int) -> str:
        asset = call("POST", "/assets", {"name": f"Excavator {n}", "type": "machine", "meters": ["hours"]})
        api.request("POST", f"/assets/{asset['id']}/readings", {"hours": 730 + n})
        return str(asset["id"])

    def add(n: int, plan_id: str | None = None) -> Any:
        entry = {"asset_id": an_asset(n), "plan_id": plan_id or a_plan(), "provide_for": True}
        made.setdefault("assigned", []).append(entry)
        return api.request("PUT", "/plan-assignments", {"add": [entry]})

    def remove(n: int) -> Any:
        add(1000 + n)  # set up: the assignment to remove
        entry = made["assigned"].pop()
        removal = {"asset_id": entry["asset_id"], "plan_id": entry["plan_id"]}
        return api.request("PUT", "/plan-assignments", {"remove": [removal]})

    def revise(n: int) -> Any:
        plan = call("POST", "/plans", PLAN)
        add(2000 + n, plan["id"])  # set up: in use, so a change of its services is a new revision
        service = {
            **SERVICES[0],
            "id": plan["planned_services"][0]["id"],
            "conditions": {"hours": {"every_h": 400}},
        }
        return api.request("PATCH", f"/plans/{plan['id']}", {"planned_services": [service, SERVICES[1]]})

    def register(n: int) -> Any:
        plan = call("POST", "/plans", PLAN)
        entry = add(3000 + n, plan["id"])  # set up: an asset with the plan's two tasks
        asset_id = entry.json()["results"][0]["asset_id"]
        services = [{"planned_service_id": service["id"]} for service in plan["planned_services"]]
        return api.request("POST", "/registrations", {"asset_id": asset_id, "services": services})

    def apply(n: int) -> Any:
        plan = call("POST", "/plans", PLAN)
        add(4000 + n, plan["id"])  # set up: an asset on revision 1, then revision 2
        service = {
            **SERVICES[0],
            "id": plan["planned_services"][0]["id"],
            "conditions": {"hours": {"every_h": 400}},
        }
        api.request("PATCH", f"/plans/{plan['id']}", {"planned_services": [service, SERVICES[1]]})
        return api.request("POST", f"/plans/{plan['id']}/revisions/2/apply", {})

    def delete(n: int) -> Any:
        return api.request("DELETE", f"/plans/{call('POST', '/plans', PLAN)['id']}")

    def a_grant() -> str:
        if "grant" not in made:
            made["grant"] = an_asset(5000)
            api.request("PUT", f"/providers/{PROVIDER}/assets", {"add": [made["grant"]]})
        return str(made["grant"])

    def grant(n: int) -> Any:
        return api.request("PUT", f"/providers/{PROVIDER}-{n}/assets", {"add": [an_asset(6000 + n)]})

    def as_provider(path: str) -> Any:
        a_grant()  # set up: one asset granted
        return api.as_account(PROVIDER).request("GET", path)

    return [
        Request("grant a provider one asset", ("PUT", "/providers/{account_id}/assets"), grant),
        Request(
            "list the providers",
            ("GET", "/providers"),
            lambda n: (a_grant(), api.request("GET", "/providers"))[1],
        ),
        Request(
            "list provided assets (as the provider)",
            ("GET", "/provided-assets"),
            lambda n: as_provider("/provided-assets?limit=50"),
        ),
        Request(
            "read a provided asset (as the provider)",
            ("GET", "/provided-assets/{asset_id}"),
            lambda n: as_provider(f"/provided-assets/{a_grant()}"),
        ),
        Request(
            "record a reading of a provided asset (as the provider)",
            ("POST", "/provided-assets/{asset_id}/readings"),
            lambda n: api.as_account(PROVIDER).request(
                "POST", f"/provided-assets/{a_grant()}/readings", {"hours": 9000 + n}
            ),
        ),
        Request(
            "list a provided asset's readings (as the provider)",
            ("GET", "/provided-assets/{asset_id}/readings"),
            lambda n: as_provider(f"/provided-assets/{a_grant()}/readings?limit=50"),
        ),
        Request(
            "list the tasks you provide for on an asset (as the provider)",
            ("GET", "/provided-assets/{asset_id}/tasks"),
            lambda n: as_provider(f"/provided-assets/{a_grant()}/tasks"),
        ),
        Request(
            "write a plan (2 services)", ("POST", "/plans"), lambda n: api.request("POST", "/plans", PLAN)
        ),
        Request("list own plans", ("GET", "/plans"), lambda n: api.request("GET", "/plans?limit=50")),
        Request(
            "make a network",
            ("POST", "/networks"),
            lambda n: api.request("POST", "/networks", {"name": f"Net {n}"}),
        ),
        Request(
            "add a provider and a plan to a network",
            ("PUT", "/networks/{network_id}/members"),
            lambda n: api.request(
                "PUT",
                f"/networks/{a_network()}/members",
                {
                    "add": {
                        "providers": [f"{PROVIDER}-net-{n}"],
                        "plans": [call("POST", "/plans", PLAN)["id"]],
                    }
                },
            ),
        ),
        Request(
            "set an overlay over a plan on one asset (its task rewritten)",
            ("PUT", "/overlays"),
            lambda n: api.request(
                "PUT",
                "/overlays",
                {"plan_id": a_plan(), "asset_id": an_assigned(), "notify_before_h": 60 + n},
            ),
        ),
        Request("list overlays", ("GET", "/overlays"), lambda n: api.request("GET", "/overlays?limit=50")),
        Request(
            "take an overlay away (its task rewritten)",
            ("DELETE", "/overlays/{overlay_id}"),
            lambda n: api.request(
                "DELETE",
                "/overlays/"
                + call(
                    "PUT",
                    "/overlays",
                    {"plan_id": a_plan(), "asset_id": an_assigned(), "notify_before_h": 70 + n},
                )["id"],
            ),
        ),
        Request("list networks", ("GET", "/networks"), lambda n: api.request("GET", "/networks?limit=50")),
        Request(
            "read a network with its members",
            ("GET", "/networks/{network_id}"),
            lambda n: api.request("GET", f"/networks/{a_network()}"),
        ),
        Request(
            "delete an empty network",
            ("DELETE", "/networks/{network_id}"),
            lambda n: api.request(
                "DELETE", f"/networks/{call('POST', '/networks', {'name': f'Gone {n}'})['id']}"
            ),
        ),
        Request(
            "list published plans",
            ("GET", "/plans/public"),
            lambda n: api.request("GET", "/plans/public?brand=acme&model=x-200&limit=50"),
        ),
        Request(
            "read a plan", ("GET", "/plans/{plan_id}"), lambda n: api.request("GET", f"/plans/{a_plan()}")
        ),
        Request(
            "rename a plan",
            ("PATCH", "/plans/{plan_id}"),
            lambda n: api.request("PATCH", f"/plans/{a_plan()}", {"name": f"Excavator {n}"}),
        ),
        Request("revise a plan in use", ("PATCH", "/plans/{plan_id}"), revise),
        Request("delete an unused plan", ("DELETE", "/plans/{plan_id}"), delete),
        Request(
            "read a plan's revision",
            ("GET", "/plans/{plan_id}/revisions/{revision}"),
            lambda n: api.request("GET", f"/plans/{a_plan()}/revisions/1"),
        ),
        Request(
            "apply a revision to one asset (1 task changed)",
            ("POST", "/plans/{plan_id}/revisions/{revision}/apply"),
            apply,
        ),
        Request("assign a plan and provide (2 tasks)", ("PUT", "/plan-assignments"), add),
        Request("remove an assignment (2 tasks)", ("PUT", "/plan-assignments"), remove),
        Request("register both services of a plan", ("POST", "/registrations"), register),
        Request(
            "list assignments",
            ("GET", "/plan-assignments"),
            lambda n: api.request("GET", "/plan-assignments?limit=50"),
        ),
    ]
