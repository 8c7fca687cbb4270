"""The route table: the single list of API endpoints.

CDK builds one API Gateway method and one Lambda function per row; the local server dispatches
from it; the OpenAPI document and the security tests enumerate it. Adding an endpoint is one
row here plus its handler module. ``dynamodb`` lists the table actions the function may use
(its IAM policy); the API tests check that handlers use nothing else.
"""

from dataclasses import dataclass

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Writes that accept an Idempotency-Key claim, complete and release a record, and read back the
# parts of an answer too large for one item.
_IDEMPOTENCY = ("PutItem", "UpdateItem", "DeleteItem", "GetItem")


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
_TASK_LIST = ("Query", "BatchGetItem", "GetItem", "UpdateItem", "ConditionCheckItem")
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
          _TASK_WRITE),
    Route("DELETE", "/tasks/{task_id}", "functions.tasks.delete_task", "Delete a service task", "tasks",
          _TASK_WRITE),
    Route("POST", "/tasks/batch-delete", "functions.tasks.delete_tasks_batch", "Delete many tasks by id",
          "tasks", _TASK_WRITE, timeout_seconds=29),
    Route("POST", "/tasks/{task_id}/complete", "functions.tasks.complete_task",
          "Mark a task done; a repeating task starts its next occurrence", "tasks", _TASK_WRITE),
    Route("POST", "/tasks/{task_id}/reopen", "functions.tasks.reopen_task", "Undo a task's latest completion",
          "tasks", _TASK_WRITE),

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
