"""The one wrapper every API function uses: auth, parsing, errors, idempotency, observability.

A handler module is then just::

    @endpoint(body=AssetCreate, status=201)
    def handler(req: Request, body: AssetCreate) -> Asset: ...

A handler that answers with a file (a report) returns a ``FileDownload`` and names its media
types in ``files=``; errors stay JSON. ``Accept: application/json`` gets any such file as a JSON
object instead (``FileDownload.envelope``), decided here for every file route alike.

Route metadata (method, path, public or not, table permissions) lives in ``shared.routes``;
what the handler accepts and returns is declared here, next to the code that uses it, and the
OpenAPI document reads both.
"""

import functools
import gc
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from pydantic import BaseModel, ValidationError

from shared.data import idempotency
from shared.faults import Fault
from shared.http import idempotency_key
from shared.http.errors import ApiError, bad_request, from_fault
from shared.http.request import Request, parse_request
from shared.http.responses import ApiResponse, proxy_response, replayed_headers
from shared.http.validation import refusal
from shared.observability import count_refusal, logger, publish_metrics, traced_handler

MAX_BODY_BYTES = 1_048_576
_WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class EndpointSpec:
    """What a handler accepts and returns; read by the OpenAPI builder and the tests."""

    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: Any
    status: int
    public: bool
    idempotent: bool
    errors: tuple[int, ...]
    media_type: str
    also: dict[int, str]  # other success statuses, same body: status -> when
    files: tuple[str, ...] = ()  # a download (FileDownload) in one of these media types, not JSON


def parse_body(req: Request, model: type[BaseModel]) -> BaseModel:
    raw = req.body or ""
    if len(raw.encode("utf-8")) > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", f"The body is larger than {MAX_BODY_BYTES} bytes")
    content_type = (req.header("content-type") or "application/json").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        raise ApiError(415, "unsupported_media_type", "Send the body as application/json")
    if not raw.strip():
        raise bad_request("The request needs a JSON body", "body")
    try:
        return model.model_validate_json(raw)
    except ValidationError as error:
        if any(e["type"] == "json_invalid" for e in error.errors()):
            raise bad_request("The body is not valid JSON", "body") from None
        raise refusal(error, "body") from None


def parse_query(req: Request, model: type[BaseModel]) -> BaseModel:
    # Repeated parameters (?status=a&status=b) and comma lists (?status=a,b) mean the same.
    flat = {key: ",".join(values) for key, values in req.query.items()}
    try:
        return model.model_validate(flat)
    except ValidationError as error:
        raise refusal(error, "query") from None


def _authorize(spec: EndpointSpec, req: Request) -> None:
    if not spec.public and req.method in _WRITE_METHODS:
        req.require_write()


def _run(fn: Callable[..., Any], spec: EndpointSpec, req: Request) -> tuple[int, Any, dict[str, str]]:
    kwargs: dict[str, Any] = {}
    if spec.query is not None:
        kwargs["query"] = parse_query(req, spec.query)
    if spec.body is not None:
        kwargs["body"] = parse_body(req, spec.body)
    result = fn(req, **kwargs)
    if isinstance(result, ApiResponse):
        return result.status, result.body, result.headers
    return spec.status, result, {}


def _run_idempotent(
    fn: Callable[..., Any], spec: EndpointSpec, req: Request, resource: str
) -> tuple[int, Any, dict[str, str]]:
    key = req.header("idempotency-key")
    if key is None:
        return _run(fn, spec, req)

    claim = idempotency_key.claim(req, resource, key)
    if claim.replay is not None:
        return claim.replay.status, claim.replay.body, {**claim.replay.headers, "Idempotent-Replayed": "true"}
    try:
        status, body, headers = _run(fn, spec, req)
    except Exception:
        idempotency.release(req.account_id, claim)
        raise
    encoded = json.loads(body.model_dump_json()) if isinstance(body, BaseModel) else body
    idempotency.complete(req.account_id, claim, status, encoded, replayed_headers(body, headers))
    return status, body, headers


def _imports_done() -> None:
    """The handler module has loaded: what exists now lives as long as the process (see shared)."""
    gc.freeze()
    gc.enable()


def endpoint(
    *,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: Any = None,
    status: int = 200,
    public: bool = False,
    idempotent: bool = False,
    errors: tuple[int, ...] = (),
    media_type: str = "application/json",
    also: dict[int, str] | None = None,
    files: tuple[str, ...] = (),
) -> Callable[[Callable[..., Any]], Callable[[dict[str, Any], Any], dict[str, Any]]]:
    spec = EndpointSpec(
        body, query, response, status, public, idempotent, errors, media_type, also or {}, files
    )

    def decorate(fn: Callable[..., Any]) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
        _imports_done()

        @functools.wraps(fn)
        @logger.inject_lambda_context(
            correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True
        )
        @traced_handler
        def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            route = f"{event.get('httpMethod', '')} {event.get('resource', '')}"
            logger.append_keys(route=route)
            try:
                return _answer(event)
            finally:
                publish_metrics()

        def _answer(event: dict[str, Any]) -> dict[str, Any]:
            try:
                req = parse_request(event, public=spec.public)
                logger.append_keys(account_id=req.account_id or None)
                # Who may write is settled before anything else, a replayed answer included.
                _authorize(spec, req)
                if spec.idempotent:
                    resource = f"{req.method} {event.get('resource', '')}"
                    result = _run_idempotent(fn, spec, req, resource)
                else:
                    result = _run(fn, spec, req)
                code, payload, headers = result
                # A file goes out as itself, or as JSON to a client that prefers JSON.
                return proxy_response(code, payload, headers, accept=req.header("accept"))
            except (ApiError, Fault) as refused:
                error = refused if isinstance(refused, ApiError) else from_fault(refused)
                logger.info("request refused", extra={"status": error.status, "code": error.code})
                count_refusal(error.code)
                return proxy_response(error.status, error.body(), error.headers)
            except Exception:
                logger.exception("unexpected error")
                reference = (event.get("requestContext") or {}).get("requestId", "")
                failure = ApiError(
                    500, "internal_error", f"Something went wrong on our side (reference {reference})"
                )
                return proxy_response(500, failure.body())

        handler.spec = spec  # type: ignore[attr-defined]
        return handler

    return decorate
