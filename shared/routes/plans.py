"""The route table's rows for service plans (docs/plans.md)."""

from shared.routes.model import FILE_DROP as _FILE_DROP
from shared.routes.model import Route
from shared.routes.model import writes as _writes

# One row per endpoint; kept as a table on purpose (ruff format would spread every row over lines).
# fmt: off
# Assignments: the plans (and marking one used), the assets, their tasks and assignments, written in
# one transaction per entry; a removal deletes its tasks' file marks after (file_links).
_ASSIGN = _writes("BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem")
# Who reaches the assets a route names: their owner, and a provider through its link (G4).
_PROVIDER, _BOTH = ("provider",), ("own", "provider")
ROWS: tuple[Route, ...] = (
    Route("POST", "/plans", "functions.plans.create_plan", "Write a service plan", "plans",
          _writes("PutItem")),
    Route("GET", "/plans", "functions.plans.list_plans",
          "List the service plans you own, or a network's", "plans", ("Query", "BatchGetItem", "GetItem")),
    Route("GET", "/plans/public", "functions.plans.list_public_plans",
          "List the service plans published for a brand and model", "plans", ("Query", "BatchGetItem")),
    Route("GET", "/plans/{plan_id}", "functions.plans.get_plan", "Read a service plan", "plans",
          ("GetItem", "BatchGetItem")),
    Route("PATCH", "/plans/{plan_id}", "functions.plans.update_plan",
          "Change a service plan; one in use gets a new revision", "plans", _writes("GetItem", "PutItem")),
    Route("DELETE", "/plans/{plan_id}", "functions.plans.delete_plan", "Delete a service plan nobody uses",
          "plans", ("GetItem", "Query", "DeleteItem")),
    Route("GET", "/plans/{plan_id}/revisions/{revision}", "functions.plans.get_plan_revision",
          "Read a revision of a service plan", "plans", ("GetItem",)),
    Route("POST", "/plans/{plan_id}/revisions/{revision}/apply", "functions.plans.apply_plan_revision",
          "Move your assets on the plan to this revision, or preview it", "plans", _ASSIGN,
          timeout_seconds=29, memory_mb=1024, storage=_FILE_DROP),
    Route("PUT", "/plan-assignments", "functions.plans.change_assignments",
          "Assign plans to assets and remove them, up to 500 of each", "plans", _ASSIGN, timeout_seconds=29,
          memory_mb=1024, storage=_FILE_DROP, access=_BOTH),
    Route("GET", "/plan-assignments", "functions.plans.list_assignments", "List the plans on your assets",
          "plans", ("Query", "BatchGetItem")),
    # Providers: grants beside the owner's asset and links in the provider's partition (G1-G8).
    Route("PUT", "/providers/{account_id}/assets", "functions.providers.change_provider_assets",
          "Let a provider see and service some of your assets, or take them back", "plans",
          _writes("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem")),
    Route("GET", "/providers", "functions.providers.list_providers", "List the providers of your assets",
          "plans", ("Query",)),
    Route("GET", "/provided-assets", "functions.providers.list_provided_assets",
          "List the assets your customers let you service", "plans", ("Query",)),
    Route("GET", "/provided-assets/{asset_id}", "functions.providers.get_provided_asset",
          "Read an asset a customer lets you service", "plans", ("GetItem",), access=_PROVIDER),
    Route("POST", "/provided-assets/{asset_id}/readings", "functions.providers.record_provided_reading",
          "Record a meter reading of an asset a customer lets you service", "plans",
          _writes("GetItem", "Query"), access=_PROVIDER),
    Route("GET", "/provided-assets/{asset_id}/readings", "functions.providers.list_provided_readings",
          "List the readings of an asset a customer lets you service", "plans", ("GetItem", "Query"),
          access=_PROVIDER),
    Route("GET", "/provided-assets/{asset_id}/tasks", "functions.providers.list_provided_tasks",
          "List the tasks you provide for on an asset a customer lets you service", "plans",
          ("GetItem", "BatchGetItem", "Query"), access=_PROVIDER),
    # Networks: the owner's item, members in the network's partition, memberships (NW1-NW6).
    Route("POST", "/networks", "functions.networks.create_network", "Make a service network", "plans",
          _writes("PutItem")),
    Route("GET", "/networks", "functions.networks.list_networks",
          "List the networks you own and those you are a member of", "plans", ("Query", "GetItem")),
    Route("GET", "/networks/{network_id}", "functions.networks.get_network",
          "Read a network with its providers and plans", "plans", ("BatchGetItem", "GetItem", "Query")),
    Route("DELETE", "/networks/{network_id}", "functions.networks.delete_network",
          "Delete a network without members", "plans", ("GetItem", "DeleteItem")),
    Route("PUT", "/networks/{network_id}/members", "functions.networks.change_network_members",
          "Add providers and plans to your network and remove them", "plans",
          _writes("BatchGetItem", "GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem"),
          timeout_seconds=29, memory_mb=1024, storage=_FILE_DROP),
    # Overlays: a provider's thresholds over a plan; writing one rewrites the tasks it covers (O1-O5).
    Route("PUT", "/overlays", "functions.overlays.put_overlay",
          "Set your own warning thresholds over a plan you provide for", "plans",
          _writes("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem"),
          timeout_seconds=29, memory_mb=1024),
    Route("GET", "/overlays", "functions.overlays.list_overlays", "List your overlays", "plans", ("Query",)),
    Route("DELETE", "/overlays/{overlay_id}", "functions.overlays.delete_overlay",
          "Take an overlay away: the tasks it covered go back to their thresholds", "plans",
          _writes("GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem"),
          timeout_seconds=29, memory_mb=1024),
    Route("POST", "/registrations", "functions.plans.register_services",
          "Register planned services performed or skipped on an asset", "plans",
          _writes("BatchGetItem", "Query", "PutItem", "UpdateItem"), access=_BOTH),
)
# fmt: on
