"""The route table: the single list of API endpoints.

CDK builds one API Gateway method and one Lambda function per row; the local server dispatches
from it; the OpenAPI document and the security tests enumerate it. Adding an endpoint is one
row in the area's module here (core, work_orders, plans) plus its handler module. ``dynamodb``
lists the table actions the function may use (its IAM policy); the API tests check that handlers
use nothing else. ``storage`` does the same for the files bucket (infra/files.py).
"""

from shared.routes import core, plans, work_orders
from shared.routes.model import PUBLIC_RATE, PUBLIC_WINDOW_SECONDS, WRITE_METHODS, RateLimit, Route

__all__ = [
    "PUBLIC_RATE",
    "PUBLIC_WINDOW_SECONDS",
    "ROUTES",
    "WRITE_METHODS",
    "RateLimit",
    "Route",
    "find_route",
    "methods_at",
    "resource_paths",
]

ROUTES: tuple[Route, ...] = (*core.ROWS, *work_orders.ROWS, *plans.ROWS)


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
