"""The route table: the single list of API endpoints.

CDK builds one API Gateway method and one Lambda function per row; the local server dispatches
from it; the OpenAPI document and the security tests enumerate it. Adding an endpoint is one
row here plus its handler module. ``dynamodb`` lists the table actions the function may use
(its IAM policy); the API tests check that handlers use nothing else. ``storage`` does the same
for the files bucket (infra/files.py).
"""

from dataclasses import dataclass

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Writes that accept an Idempotency-Key claim, complete and release a record, and read back the
# parts of an answer too large for one item.
_IDEMPOTENCY = ("PutItem", "UpdateItem", "DeleteItem", "GetItem")


@dataclass(frozen=True)
class RateLimit:
    per_second: int
    burst: int
    per_address: int  # in PUBLIC_WINDOW_SECONDS, per client address (WAF rate-based rule)


PUBLIC_WINDOW_SECONDS = 300
PUBLIC_RATE = RateLimit(per_second=20, burst=40, per_address=100)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    module: str
    summary: str
    tag: str
    dynamodb: tuple[str, ...] = ()
    public: bool = False
    timeout_seconds: int = 10
    memory_mb: int = 512
    # Layers beyond the core one (infra/layer.py): "reports" for the functions that render files.
    layers: tuple[str, ...] = ()
    # A tighter limit than the stage's, for routes anyone may call: requests per second on the
    # method, and per address in the firewall (per PUBLIC_WINDOW_SECONDS), locally too.
    rate_limit: "RateLimit | None" = None
    # S3 actions on the files bucket, each with the key prefix it is granted on ("uploads/": the
    # objects under it; "": the bucket itself). A function with any gets the bucket's name.
    storage: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """Operation id and function name: the handler module's own name."""
        return self.module.rsplit(".", 1)[-1]

    @property
    def handler(self) -> str:
        return f"{self.module}.handler"

    @property
    def writes(self) -> bool:
        return self.method in WRITE_METHODS

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(part[1:-1] for part in self.path.split("/") if part.startswith("{"))


def _writes(*actions: str) -> tuple[str, ...]:
    return tuple(sorted({*actions, *_IDEMPOTENCY}))


# One row per endpoint; kept as a table on purpose (ruff format would spread every row over lines).
# fmt: off
_READ_ASSET = ("GetItem",)
_TASK_WRITE = _writes("BatchGetItem", "Query", "PutItem", "UpdateItem")
# Lists of due work also move tasks whose warning time passed into the index (task_promotion).
# Work-order changes: the order, its copies and events, the tasks it does and their assets.
_ORDER_WRITE = _writes("BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem")
_TASK_LIST = ("Query", "BatchGetItem", "GetItem", "UpdateItem", "ConditionCheckItem")
# Files: a presigned upload or download is authorized by its signer's PutObject or GetObject;
# completing reads the upload (HEAD is GetObject; ListBucket makes a missing one 404, not 403),
# copies it to files/ and deletes it; a write dropping a file's last link deletes its objects.
_FILE_UPLOAD, _FILE_DOWNLOAD = (("PutObject", "uploads/"),), (("GetObject", "files/"),)
_FILE_KEEP = (
    ("GetObject", "uploads/"), ("DeleteObject", "uploads/"), ("PutObject", "files/"), ("ListBucket", ""),
)
_FILE_DROP = (("DeleteObject", "files/"), ("DeleteObject", "uploads/"))  # shared/services/file_links.py
ROUTES: tuple[Route, ...] = (
    Route("GET", "/health", "functions.system.health", "Liveness check", "system", public=True),
    Route("GET", "/openapi.json", "functions.system.openapi_document", "This API as OpenAPI 3.1", "system",
          public=True),
    Route("GET", "/docs", "functions.system.docs_page", "Interactive API documentation", "system",
          public=True),

    Route("POST", "/assets", "functions.assets.create_asset", "Register an asset", "assets",
          _writes("PutItem")),
    Route("GET", "/assets", "functions.assets.list_assets", "List and search assets", "assets",
          ("Query", "GetItem", "BatchGetItem")),
    Route("GET", "/assets/{asset_id}", "functions.assets.get_asset", "Read an asset", "assets", _READ_ASSET),
    Route("PATCH", "/assets/{asset_id}", "functions.assets.update_asset", "Change some fields of an asset",
          "assets", _writes("GetItem", "Query")),
    Route("DELETE", "/assets/{asset_id}", "functions.assets.delete_asset", "Delete an asset", "assets",
          ("GetItem", "DeleteItem")),
    Route("GET", "/assets/{asset_id}/history", "functions.assets.list_service_history",
          "The asset's service history, newest first", "tasks", ("GetItem", "Query")),

    Route("POST", "/assets/{asset_id}/readings", "functions.readings.record_reading",
          "Record a meter reading of one asset", "readings", _writes("GetItem", "Query")),
    Route("GET", "/assets/{asset_id}/readings", "functions.readings.list_readings",
          "List an asset's readings by time", "readings", ("GetItem", "Query")),
    Route("POST", "/readings", "functions.readings.record_readings_batch",
          "Record up to 1000 readings for many assets", "readings",
          _writes("BatchGetItem", "BatchWriteItem", "GetItem", "Query"), timeout_seconds=29, memory_mb=1024),

    Route("POST", "/tasks", "functions.tasks.create_task", "Create a service task for an asset", "tasks",
          _TASK_WRITE),
    Route("POST", "/tasks/batch", "functions.tasks.create_tasks_batch",
          "Create the same service task for many assets", "tasks", _TASK_WRITE, timeout_seconds=29,
          memory_mb=1024),
    Route("GET", "/tasks", "functions.tasks.list_tasks", "List, filter and sort service tasks", "tasks",
          _TASK_LIST, timeout_seconds=29, memory_mb=1024),
    Route("GET", "/tasks/report", "functions.tasks.download_task_report",
          "The listed tasks as a PDF, xlsx or csv file, sorted and grouped", "tasks", _TASK_LIST,
          timeout_seconds=29, memory_mb=1024, layers=("reports",)),
    Route("GET", "/tasks/{task_id}", "functions.tasks.get_task", "Read a service task", "tasks",
          ("BatchGetItem",)),
    Route("PATCH", "/tasks/{task_id}", "functions.tasks.update_task", "Change some fields of a task", "tasks",
          _TASK_WRITE, storage=_FILE_DROP),
    Route("DELETE", "/tasks/{task_id}", "functions.tasks.delete_task", "Delete a service task", "tasks",
          (*_TASK_WRITE, "BatchWriteItem"), storage=_FILE_DROP),
    Route("POST", "/tasks/batch-delete", "functions.tasks.delete_tasks_batch", "Delete many tasks by id",
          "tasks", (*_TASK_WRITE, "BatchWriteItem"), timeout_seconds=29, storage=_FILE_DROP),
    Route("POST", "/tasks/{task_id}/complete", "functions.tasks.complete_task",
          "Mark a task done; a repeating task starts its next occurrence", "tasks", _TASK_WRITE),
    Route("POST", "/tasks/{task_id}/reopen", "functions.tasks.reopen_task", "Undo a task's latest completion",
          "tasks", _TASK_WRITE, storage=_FILE_DROP),

    Route("GET", "/settings", "functions.settings.get_settings", "Read the account's settings", "settings",
          ("GetItem",)),
    Route("PATCH", "/settings", "functions.settings.update_settings", "Change the account's settings",
          "settings", _writes()),

    Route("GET", "/notifications", "functions.notifications.list_notifications",
          "List a task's or an asset's notifications with their deliveries", "notifications", ("Query",)),
    Route("GET", "/notifications/opt-outs", "functions.notifications.list_opt_outs",
          "List the recipients who opted out", "notifications", ("Query",)),
    Route("PUT", "/notifications/opt-outs", "functions.notifications.add_opt_outs",
          "Opt recipients out of all messages", "notifications", _writes("PutItem", "GetItem")),
    Route("DELETE", "/notifications/opt-outs", "functions.notifications.remove_opt_out",
          "Let a recipient receive messages again", "notifications", _writes("DeleteItem")),

    # Work-order catalogues (docs/work-orders.md, "Catalogues"): changes read the entry (or the
    # whole catalogue) and write it on the version read.
    Route("GET", "/work-order-statuses", "functions.work_orders.list_order_statuses",
          "The account's work-order statuses, in workflow order", "work-orders", ("Query",)),
    Route("POST", "/work-order-statuses", "functions.work_orders.create_order_status",
          "Add an open work-order status", "work-orders", _writes("Query", "PutItem")),
    Route("PATCH", "/work-order-statuses/{status_key}", "functions.work_orders.update_order_status",
          "Change a work-order status", "work-orders", _writes("Query", "PutItem")),
    Route("DELETE", "/work-order-statuses/{status_key}", "functions.work_orders.delete_order_status",
          "Delete a work-order status no order is in", "work-orders", ("Query", "PutItem", "DeleteItem")),
    Route("GET", "/work-order-types", "functions.work_orders.list_order_types",
          "The built-in and the account's work-order types", "work-orders", ("Query",)),
    Route("POST", "/work-order-types", "functions.work_orders.create_order_type", "Add a work-order type",
          "work-orders", _writes("Query", "PutItem")),
    Route("PATCH", "/work-order-types/{type_key}", "functions.work_orders.update_order_type",
          "Rename a work-order type", "work-orders", _writes("GetItem", "PutItem")),
    Route("DELETE", "/work-order-types/{type_key}", "functions.work_orders.delete_order_type",
          "Delete one of the account's work-order types", "work-orders", ("GetItem", "DeleteItem")),
    Route("GET", "/work-order-reasons", "functions.work_orders.list_order_reasons",
          "The reasons for closing work orders complete or incomplete", "work-orders", ("Query",)),
    Route("POST", "/work-order-reasons", "functions.work_orders.create_order_reason",
          "Add a reason for closing work orders", "work-orders",
          _writes("Query", "PutItem", "ConditionCheckItem")),
    Route("DELETE", "/work-order-reasons/{reason_code}", "functions.work_orders.delete_order_reason",
          "Delete a reason for closing work orders", "work-orders", ("Query", "PutItem", "DeleteItem")),
    Route("GET", "/hourly-rates", "functions.work_orders.list_hourly_rates", "List the hourly rates",
          "work-orders", ("Query",)),
    Route("POST", "/hourly-rates", "functions.work_orders.create_hourly_rate",
          "Add an hourly rate in the account's currency", "work-orders", _writes("GetItem", "PutItem")),
    Route("GET", "/hourly-rates/{rate_id}", "functions.work_orders.get_hourly_rate", "Read an hourly rate",
          "work-orders", ("GetItem",)),
    Route("PATCH", "/hourly-rates/{rate_id}", "functions.work_orders.update_hourly_rate",
          "Change an hourly rate", "work-orders", _writes("GetItem", "PutItem")),
    Route("DELETE", "/hourly-rates/{rate_id}", "functions.work_orders.delete_hourly_rate",
          "Delete an hourly rate", "work-orders", ("GetItem", "DeleteItem")),
    Route("GET", "/sites", "functions.work_orders.list_sites", "List the customer sites and depots",
          "work-orders", ("Query",)),
    Route("POST", "/sites", "functions.work_orders.create_site", "Add a customer site or a depot",
          "work-orders", _writes("PutItem")),
    Route("GET", "/sites/{site_id}", "functions.work_orders.get_site", "Read a site", "work-orders",
          ("GetItem",)),
    Route("PATCH", "/sites/{site_id}", "functions.work_orders.update_site", "Change a site", "work-orders",
          _writes("GetItem", "PutItem")),
    Route("DELETE", "/sites/{site_id}", "functions.work_orders.delete_site", "Delete a site", "work-orders",
          ("GetItem", "DeleteItem")),

    Route("POST", "/files", "functions.files.create_file", "Declare a file and get its upload form", "files",
          _writes("PutItem", "ConditionCheckItem"), storage=_FILE_UPLOAD),
    Route("GET", "/files/{file_id}", "functions.files.get_file", "Read a file, with a download link", "files",
          ("GetItem",), storage=_FILE_DOWNLOAD),
    Route("POST", "/files/{file_id}/complete", "functions.files.complete_file",
          "Check an uploaded file and make it available", "files", ("GetItem", "UpdateItem"),
          storage=(*_FILE_KEEP, *_FILE_DOWNLOAD, ("DeleteObject", "files/"))),

    Route("POST", "/work-orders", "functions.work_orders.create_order", "Open a numbered work order",
          "work-orders", _ORDER_WRITE),
    Route("GET", "/work-orders", "functions.work_orders.list_orders", "List, filter and search work orders",
          "work-orders", ("Query",)),
    Route("GET", "/work-orders/report", "functions.work_orders.download_order_list_report",
          "The listed work orders as a PDF, xlsx or csv file", "work-orders", ("Query", "GetItem"),
          timeout_seconds=29, memory_mb=1024, layers=("reports",)),
    Route("GET", "/work-orders/{work_order_id}", "functions.work_orders.get_order", "Read a work order",
          "work-orders", ("GetItem",)),
    Route("PATCH", "/work-orders/{work_order_id}", "functions.work_orders.update_order",
          "Change some fields of an open work order", "work-orders", _ORDER_WRITE),
    Route("DELETE", "/work-orders/{work_order_id}", "functions.work_orders.delete_order",
          "Delete an open work order", "work-orders", (*_ORDER_WRITE, "BatchWriteItem"), storage=_FILE_DROP),
    Route("POST", "/work-orders/{work_order_id}/status", "functions.work_orders.move_order_status",
          "Move a work order to another status", "work-orders", _ORDER_WRITE),
    Route("POST", "/work-orders/{work_order_id}/close", "functions.work_orders.close_order",
          "Close a work order; complete, it completes its tasks", "work-orders", _ORDER_WRITE,
          timeout_seconds=29),
    Route("POST", "/work-orders/{work_order_id}/reopen", "functions.work_orders.reopen_order",
          "Reopen a closed work order and undo its completions", "work-orders", _ORDER_WRITE,
          timeout_seconds=29, storage=_FILE_DROP),
    Route("GET", "/work-orders/{work_order_id}/events", "functions.work_orders.list_order_events",
          "The work order's change log", "work-orders", ("GetItem", "Query")),
    Route("POST", "/work-orders/{work_order_id}/items", "functions.work_orders.add_order_line",
          "Add a part, labour, travel or other line", "work-orders", _ORDER_WRITE),
    Route("GET", "/work-orders/{work_order_id}/items", "functions.work_orders.list_order_lines",
          "The work order's lines", "work-orders", ("GetItem", "Query")),
    Route("GET", "/work-orders/{work_order_id}/items/{line_id}", "functions.work_orders.get_order_line",
          "Read a line", "work-orders", ("GetItem",)),
    Route("PATCH", "/work-orders/{work_order_id}/items/{line_id}", "functions.work_orders.update_order_line",
          "Change a line", "work-orders", _ORDER_WRITE),
    Route("DELETE", "/work-orders/{work_order_id}/items/{line_id}", "functions.work_orders.delete_order_line",
          "Remove a line", "work-orders", _ORDER_WRITE),
    Route("POST", "/work-orders/{work_order_id}/notes", "functions.work_orders.add_order_note",
          "Add a note, internal or for the customer", "work-orders", _ORDER_WRITE),
    Route("GET", "/work-orders/{work_order_id}/notes", "functions.work_orders.list_order_notes",
          "The work order's notes", "work-orders", ("GetItem", "Query")),
    Route("GET", "/work-orders/{work_order_id}/files", "functions.work_orders.list_order_files",
          "The files declared for the work order", "work-orders", ("GetItem", "Query")),
    Route("GET", "/work-orders/{work_order_id}/report", "functions.work_orders.download_order_report",
          "The work order as a PDF for its customer", "work-orders", ("GetItem", "Query"),
          timeout_seconds=29, layers=("reports",)),
    Route("POST", "/work-orders/{work_order_id}/public-link", "functions.work_orders.create_public_link",
          "Make a status link for the customer (the old one stops working)", "work-orders",
          _ORDER_WRITE),
    Route("DELETE", "/work-orders/{work_order_id}/public-link", "functions.work_orders.revoke_public_link",
          "Revoke the order's status link", "work-orders", _ORDER_WRITE),
    Route("GET", "/public/work-orders/{reference}", "functions.work_orders.public_order_status",
          "An order's status for whoever holds its link", "work-orders", ("GetItem", "Query"), public=True,
          rate_limit=PUBLIC_RATE),
)
# fmt: on


def _path_params(template: str, path: str) -> dict[str, str] | None:
    """The parameters of ``path`` if it fits ``template`` (``/assets/{asset_id}``), else None.

    A trailing slash is a different path (``/tasks/`` is no route), as for API Gateway's resources.
    """
    expected_parts = template.split("/")
    parts = path.split("/")
    if len(expected_parts) != len(parts):
        return None
    params: dict[str, str] = {}
    for expected, actual in zip(expected_parts, parts, strict=True):
        if expected.startswith("{") and actual:
            params[expected[1:-1]] = actual
        elif expected != actual:
            return None
    return params


def _resource(path: str) -> str | None:
    """The resource serving ``path``: like API Gateway, a literal segment wins over a parameter."""
    matching = [route.path for route in ROUTES if _path_params(route.path, path) is not None]
    return min(matching, key=lambda template: template.count("{")) if matching else None


def find_route(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The route serving ``method path`` and its path parameters (used by the local server)."""
    resource = _resource(path)
    for route in ROUTES:
        if route.path == resource and route.method == method:
            return route, _path_params(route.path, path) or {}
    return None


def methods_at(path: str) -> list[str]:
    """The methods the API has for ``path`` (a concrete path or a template); empty if none."""
    resource = _resource(path)
    return sorted({route.method for route in ROUTES if route.path == resource})


def resource_paths() -> list[str]:
    """Every resource path of the API, in route-table order."""
    return list(dict.fromkeys(route.path for route in ROUTES))
