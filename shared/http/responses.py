"""Turning results and errors into API Gateway proxy responses."""

import json
import os
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

_CORS_ORIGIN = os.environ.get("CORS_ALLOW_ORIGIN", "*")


@dataclass
class ApiResponse:
    """A result that needs a status code or headers of its own."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def _encode(body: Any) -> str:
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    if isinstance(body, BaseModel):
        return body.model_dump_json()
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def proxy_response(status: int, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    out_headers = {
        "Content-Type": "application/json",
        "Access-Control-Allow-Origin": _CORS_ORIGIN,
    }
    version = getattr(body, "version", None)
    if isinstance(version, int):
        out_headers["ETag"] = f'"{version}"'
    out_headers.update(headers or {})
    return {"statusCode": status, "headers": out_headers, "body": _encode(body), "isBase64Encoded": False}
