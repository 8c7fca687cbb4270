"""The route table: the single list of API endpoints.

CDK builds one API Gateway method and one Lambda function per row; the local server dispatches
from it; the OpenAPI document and the security tests enumerate it. Adding an endpoint is one
row here plus its handler module. ``dynamodb`` lists the table actions the function may use
(its IAM policy); the API tests check that handlers use nothing else.
"""

from dataclasses import dataclass

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Writes that accept an Idempotency-Key claim, complete and release a record.
_IDEMPOTENCY = ("PutItem", "UpdateItem", "DeleteItem")


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


ROUTES: tuple[Route, ...] = (
    Route("GET", "/health", "functions.system.health", "Liveness check", "system", public=True),
    Route(
        "GET",
        "/openapi.json",
        "functions.system.openapi_document",
        "This API as OpenAPI 3.1",
        "system",
        public=True,
    ),
    Route(
        "GET", "/docs", "functions.system.docs_page", "Interactive API documentation", "system", public=True
    ),
    Route(
        "POST", "/assets", "functions.assets.create_asset", "Register an asset", "assets", _writes("PutItem")
    ),
    Route(
        "GET",
        "/assets",
        "functions.assets.list_assets",
        "List and search assets",
        "assets",
        ("Query", "GetItem"),
    ),
    Route("GET", "/assets/{asset_id}", "functions.assets.get_asset", "Read an asset", "assets", ("GetItem",)),
    Route(
        "PATCH",
        "/assets/{asset_id}",
        "functions.assets.update_asset",
        "Change some fields of an asset",
        "assets",
        _writes("GetItem", "UpdateItem", "PutItem", "DeleteItem"),
    ),
    Route(
        "DELETE",
        "/assets/{asset_id}",
        "functions.assets.delete_asset",
        "Delete an asset",
        "assets",
        ("GetItem", "DeleteItem"),
    ),
    Route(
        "POST",
        "/assets/{asset_id}/readings",
        "functions.readings.record_reading",
        "Record a meter reading of one asset",
        "readings",
        _writes("GetItem", "PutItem", "UpdateItem", "Query"),
    ),
    Route(
        "GET",
        "/assets/{asset_id}/readings",
        "functions.readings.list_readings",
        "List an asset's readings by time",
        "readings",
        ("GetItem", "Query"),
    ),
    Route(
        "POST",
        "/readings",
        "functions.readings.record_readings_batch",
        "Record up to 1000 readings for many assets",
        "readings",
        _writes("BatchGetItem", "GetItem", "PutItem", "UpdateItem", "Query"),
        timeout_seconds=29,
        memory_mb=1024,
    ),
    Route(
        "GET",
        "/settings",
        "functions.settings.get_settings",
        "Read the account's settings",
        "settings",
        ("GetItem",),
    ),
    Route(
        "PATCH",
        "/settings",
        "functions.settings.update_settings",
        "Change the account's settings",
        "settings",
        _writes("UpdateItem"),
    ),
)


def _path_params(template: str, path: str) -> dict[str, str] | None:
    """The parameters of ``path`` if it fits ``template`` (``/assets/{asset_id}``), else None."""
    expected_parts = template.split("/")
    parts = path.rstrip("/").split("/") if path != "/" else [""]
    if len(expected_parts) != len(parts):
        return None
    params: dict[str, str] = {}
    for expected, actual in zip(expected_parts, parts, strict=True):
        if expected.startswith("{") and actual:
            params[expected[1:-1]] = actual
        elif expected != actual:
            return None
    return params


def find_route(method: str, path: str) -> tuple[Route, dict[str, str]] | None:
    """The route serving ``method path`` and its path parameters (used by the local server)."""
    for route in ROUTES:
        params = _path_params(route.path, path) if route.method == method else None
        if params is not None:
            return route, params
    return None


def methods_at(path: str) -> list[str]:
    """The methods the API has for ``path`` (a concrete path or a template); empty if none."""
    return sorted({route.method for route in ROUTES if _path_params(route.path, path) is not None})


def resource_paths() -> list[str]:
    """Every resource path of the API, in route-table order."""
    return list(dict.fromkeys(route.path for route in ROUTES))
