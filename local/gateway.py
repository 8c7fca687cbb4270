"""API Gateway, emulated: routes a request from the route table to the very handler Lambda runs.

It does what the deployed gateway does before a function runs (token check as the Cognito
authorizer, unknown routes, CORS preflight, size limit) and builds the same REST proxy event.
"""

import base64
import importlib
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from local.auth import InvalidToken, verify_authorization
from local.throttle import Limits
from shared.http.errors import GATEWAY_ERRORS, ApiError, method_not_allowed
from shared.http.responses import BINARY_MEDIA_TYPES
from shared.routes import Route, find_route, methods_at

GATEWAY_MAX_BODY = 10 * 1024 * 1024
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET,POST,PATCH,DELETE,OPTIONS",
    "Access-Control-Allow-Headers": "Authorization,Content-Type,Idempotency-Key,If-Match",
}


@dataclass
class LocalResponse:
    """What the client gets. ``body`` is the text of a text response; a binary one (a file the
    function sent base64-encoded) is in ``content``, decoded as API Gateway decodes it."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    content: bytes | None = None

    @property
    def payload(self) -> bytes:
        """The body as it goes over the wire."""
        return self.content if self.content is not None else self.body.encode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class LambdaContext:
    function_name: str
    aws_request_id: str
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:local:000000000000:function:local"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def _gateway_error(kind: str) -> LocalResponse:
    return _error_response(GATEWAY_ERRORS[kind])


def _error_response(error: ApiError) -> LocalResponse:
    headers = {"Content-Type": "application/json", **CORS_HEADERS, **error.headers}
    return LocalResponse(error.status, headers, json.dumps(error.body()))


def _proxy_result(result: dict[str, Any]) -> LocalResponse:
    """The function's proxy result as the client receives it.

    A base64 body becomes bytes again. The deployed gateway does that only when the client's
    first Accept type is one of the API's binary media types (see infra/api.py); locally the
    file always arrives as a file, whatever the client accepts.
    """
    status, headers, body = int(result["statusCode"]), dict(result.get("headers") or {}), result.get("body")
    if result.get("isBase64Encoded"):
        return LocalResponse(status, headers, content=base64.b64decode(body or ""))
    return LocalResponse(status, headers, body or "")


def _address(headers: dict[str, str]) -> str:
    """The client's address: locally, what a proxy in front says, else this machine."""
    forwarded = headers.get("x-forwarded-for", "")
    return forwarded.split(",")[0].strip() or "127.0.0.1"


def _body(headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """The body as API Gateway hands it on: base64 for the API's binary media types (JSON
    included, see shared/http/responses.py), text otherwise."""
    if not body:
        return {"body": None, "isBase64Encoded": False}
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    if content_type.split(";")[0].strip().lower() in BINARY_MEDIA_TYPES:
        return {"body": base64.b64encode(body).decode("ascii"), "isBase64Encoded": True}
    return {"body": body.decode("utf-8", errors="replace"), "isBase64Encoded": False}


class LocalGateway:
    def __init__(self, signing_key: bytes, *, rate_limits: bool = True) -> None:
        self.signing_key = signing_key
        self._handlers: dict[str, Any] = {}
        # The public routes' limits (local/throttle.py); a test suite that calls them often
        # turns them off and tests them on a gateway of its own.
        self.limits = Limits() if rate_limits else None

    def handler_for(self, route: Route) -> Any:
        if route.module not in self._handlers:
            self._handlers[route.module] = importlib.import_module(route.module).handler
        return self._handlers[route.module]

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes = b"") -> LocalResponse:
        url = urlsplit(target)
        method = method.upper()
        if method == "OPTIONS":
            return LocalResponse(204, dict(CORS_HEADERS))
        found = find_route(method, url.path)
        if found is None:
            allowed = methods_at(url.path)
            if allowed:  # the stack answers these from a mock integration (infra/api.py)
                return _error_response(method_not_allowed([*allowed, "OPTIONS"]))
            return _gateway_error("MISSING_AUTHENTICATION_TOKEN")
        route, raw_params = found
        # Routes match on the path as sent; functions get decoded values, as API Gateway gives them.
        path_params = {name: unquote(value, errors="replace") for name, value in raw_params.items()}
        lowered = {name.lower(): value for name, value in headers.items()}
        refused = self._refusal(route, lowered, body)
        if refused is not None:
            return refused
        claims: dict[str, str] = {}
        if not route.public:
            try:
                claims = verify_authorization(lowered.get("authorization"), self.signing_key)
            except InvalidToken:
                return _gateway_error("UNAUTHORIZED")
        event = self._event(
            route, method, unquote(url.path, errors="replace"), url.query, headers, body, path_params, claims
        )
        context = LambdaContext(route.name, event["requestContext"]["requestId"])
        result = self.handler_for(route)(event, context)
        return _proxy_result(result)

    def _refusal(self, route: Route, headers: dict[str, str], body: bytes) -> LocalResponse | None:
        """What the gateway refuses before any function runs: a body too large, too many calls."""
        if len(body) > GATEWAY_MAX_BODY:
            return _gateway_error("REQUEST_TOO_LARGE")
        if self.limits is not None and not self.limits.admit(route, _address(headers)):
            return _gateway_error("THROTTLED")
        return None

    @staticmethod
    def _event(
        route: Route,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: bytes,
        path_params: dict[str, str],
        claims: dict[str, str],
    ) -> dict[str, Any]:
        multi = parse_qs(query, keep_blank_values=True)
        request_id = str(uuid.uuid4())
        return {
            "resource": route.path,
            "path": path,
            "httpMethod": method,
            "headers": {"X-Forwarded-Proto": "http", **headers},
            "multiValueHeaders": {name: [value] for name, value in headers.items()},
            "queryStringParameters": {k: v[-1] for k, v in multi.items()} or None,
            "multiValueQueryStringParameters": multi or None,
            "pathParameters": path_params or None,
            "stageVariables": None,
            "requestContext": {
                "resourcePath": route.path,
                "httpMethod": method,
                "path": path,  # the local server has no stage in its paths
                "stage": "local",
                "domainName": {n.lower(): v for n, v in headers.items()}.get("host", "localhost"),
                "requestId": request_id,
                "requestTimeEpoch": int(time.time() * 1000),
                "identity": {"sourceIp": _address({n.lower(): v for n, v in headers.items()})},
                "authorizer": {"claims": claims} if claims else None,
            },
            **_body(headers, body),
        }
