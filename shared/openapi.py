"""The OpenAPI 3.1 document, built from the route table and each handler's declared models."""

import importlib
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared.http.idempotency_key import KEY_PATTERN
from shared.http.request import IF_MATCH_PATTERN
from shared.ids import ID_PATTERNS
from shared.routes import ROUTES, Route

VERSION = "0.1.0"
_REF = "#/components/schemas/{model}"
_ERROR_TEXT = {
    400: "Malformed request (not JSON, bad header)",
    401: "Missing, expired or invalid token",
    403: "The token's role may not do this",
    404: "No such item in this account",
    409: "Conflicts with the current state",
    412: "If-Match does not match the current version",
    413: "Body larger than 1 MB (POST /files: a declared file larger than 25 MiB, file_too_large)",
    405: "The path takes other methods (a malformed id can name another resource); see Allow",
    415: "Body is not JSON",
    422: "A field is not valid; details name it",
    429: "Too many requests",
    500: "Unexpected error, logged with the request id",
}
_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["field", "reason"],
                        "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
                    },
                },
            },
        }
    },
}


def _spec(route: Route) -> Any:
    return importlib.import_module(route.module).handler.spec


def _json(schema: dict[str, Any], media_type: str = "application/json") -> dict[str, Any]:
    return {media_type: {"schema": schema}}


_FILE_ENVELOPE = {
    "type": "object",
    "description": "A file as JSON (Accept: application/json): content_base64 decodes to the file",
    "required": ["filename", "media_type", "size", "content_base64"],
    "properties": {
        "filename": {"type": "string", "description": "The name to save it under: <name>.<format>"},
        "media_type": {"type": "string", "description": "The file's media type, e.g. application/pdf"},
        "size": {"type": "integer", "minimum": 0, "description": "The file's length in bytes"},
        "content_base64": {"type": "string", "contentEncoding": "base64", "description": "The file"},
    },
}


def _file(media_types: tuple[str, ...]) -> dict[str, Any]:
    """A download: its media types (without parameters) and the name it is saved under; or, for
    Accept: application/json, the file inside a JSON object (shared/http/responses.py)."""
    content = {}
    for media_type in media_types:
        bare = media_type.split(";")[0].strip()
        text = bare.startswith("text/")
        content[bare] = {"schema": {"type": "string"} if text else {"type": "string", "format": "binary"}}
    content["application/json"] = {"schema": {"$ref": _REF.format(model="FileEnvelope")}}
    return {
        "description": "The file, as an attachment. Through API Gateway send `Accept` with the file's "
        "media type (e.g. `Accept: application/pdf`): the gateway delivers a binary file only when the "
        "first Accept type is one of the API's binary media types, and base64 text otherwise. "
        "A client that prefers `application/json` (`Accept: application/json`, weighed as HTTP "
        "content negotiation: named at a higher weight, or more exactly than the file's type) gets "
        "`{filename, media_type, size, content_base64}` instead, for clients and gateways that "
        "cannot take binary bodies. Errors are JSON.",
        "headers": {
            "Content-Disposition": {
                "required": False,
                "description": 'attachment; filename="<name>.<format>" (with the file itself, not '
                "with application/json)",
                "schema": {"type": "string"},
            },
            "Vary": {"required": False, "description": "Accept", "schema": {"type": "string"}},
        },
        "content": content,
    }


def _error_codes(route: Route, spec: Any) -> list[int]:
    codes = {500, *spec.errors}
    if not route.public:
        codes.update({401, 429})
    if route.writes and not route.public:
        codes.update({400, 403})
    if spec.body is not None:
        codes.update({400, 413, 415, 422})
    if spec.query is not None:
        codes.add(422)
    if route.path_params:
        codes.update({404, 405})
    if spec.idempotent:
        codes.update({409, 422})
    return sorted(codes)


def _parameters(route: Route, spec: Any, schemas: dict[Any, Any]) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "pattern": ID_PATTERNS[name]},
        }
        for name in route.path_params
    ]
    if spec.query is not None:
        full = spec.query.model_json_schema(ref_template=_REF)
        for name, field in spec.query.model_fields.items():
            public_name = field.alias or name
            params.append(
                {
                    "name": public_name,
                    "in": "query",
                    "required": field.is_required(),
                    "schema": full["properties"][public_name],
                }
            )
    if spec.idempotent:
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "pattern": KEY_PATTERN},
                "description": "Retrying with the same key returns the first result: 1 to 255 visible "
                "ASCII characters, e.g. a UUID",
            }
        )
    if route.method in ("PATCH", "DELETE", "PUT"):
        params.append(
            {
                "name": "If-Match",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "pattern": IF_MATCH_PATTERN},
                "description": 'The version you read (3, "3" or W/"3", as the ETag says); the change '
                "is refused with 412 if it moved",
            }
        )
    return params


# Links whose target takes the new item's id in its body (merged into a generated body).
_BODY_LINKS: dict[str, dict[str, dict[str, str]]] = {
    "create_asset": {"create_task": {"asset_id": "$response.body#/id"}},
}


# Path parameters that name an item by a field other than its id (catalogue entries by key).
_NAMED_BY = {"status_key": "key", "type_key": "key", "reason_code": "code"}


def _links(route: Route, spec: Any) -> dict[str, Any]:
    """From a create (201 at /things) to every operation on /things/{id}, and to the creates that
    name the new item in their body: what clients do next."""
    if route.method != "POST" or spec.status != 201:
        return {}
    links: dict[str, Any] = {
        target: {"operationId": target, "requestBody": body}
        for target, body in _BODY_LINKS.get(route.name, {}).items()
    }
    for other in ROUTES:
        rest = other.path.removeprefix(route.path + "/")
        if other.path != rest and rest.startswith("{"):
            param = rest[1 : rest.index("}")]
            links[other.name] = {
                "operationId": other.name,
                "parameters": {param: f"$response.body#/{_NAMED_BY.get(param, 'id')}"},
            }
    return links


def _operation(route: Route, schemas: dict[Any, Any]) -> dict[str, Any]:
    spec = _spec(route)
    success: dict[str, Any] = {"description": "Success"}
    if spec.files:
        success = _file(spec.files)
    elif isinstance(spec.response, type) and issubclass(spec.response, BaseModel):
        success["content"] = _json(schemas[(spec.response, "serialization")])
    elif spec.response is not None:
        success["content"] = _json(spec.response, spec.media_type)
    links = _links(route, spec)
    if links:
        success["links"] = links
    responses: dict[str, Any] = {str(spec.status): success}
    for code, description in spec.also.items():
        responses[str(code)] = {**success, "description": description}
    for code in _error_codes(route, spec):
        responses[str(code)] = {
            "description": _ERROR_TEXT[code],
            "content": _json({"$ref": _REF.format(model="Error")}),
        }
    operation: dict[str, Any] = {
        "operationId": route.name,
        "summary": route.summary,
        "tags": [route.tag],
        "parameters": _parameters(route, spec, schemas),
        "responses": responses,
    }
    if spec.body is not None:
        operation["requestBody"] = {"required": True, "content": _json(schemas[(spec.body, "validation")])}
    operation["security"] = [] if route.public else [{"bearer": []}]
    return operation


@cache
def build_document() -> dict[str, Any]:
    models: list[tuple[type[BaseModel], Any]] = []
    for route in ROUTES:
        spec = _spec(route)
        if spec.body is not None:
            models.append((spec.body, "validation"))
        if isinstance(spec.response, type) and issubclass(spec.response, BaseModel):
            models.append((spec.response, "serialization"))
    schemas, definitions = models_json_schema(models, ref_template=_REF)
    components = {**definitions.get("$defs", {}), "Error": _ERROR_SCHEMA, "FileEnvelope": _FILE_ENVELOPE}
    paths: dict[str, dict[str, Any]] = {}
    for route in ROUTES:
        paths.setdefault(route.path, {})[route.method.lower()] = _operation(route, schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "ServiceCycle API",
            "version": VERSION,
            "description": "Preventive maintenance of vehicles, machines and equipment.",
        },
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "Cognito ID token carrying custom:account_id and custom:role",
                }
            },
        },
    }
