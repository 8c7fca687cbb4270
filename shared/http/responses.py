"""Turning results and errors into API Gateway proxy responses."""

import base64
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


# Report files the functions send base64-encoded; API Gateway turns them back into bytes only for
# these types, and only when the client's first Accept type matches.
FILE_MEDIA_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
# Request bodies of these types reach the functions base64-encoded, as the bytes the client sent:
# a JSON body that is not valid UTF-8 is then refused (400) instead of arriving with replacement
# characters. JSON responses stay text (they are sent with isBase64Encoded false).
REQUEST_MEDIA_TYPES = ("application/json",)
# The RestApi's binaryMediaTypes: both of the above.
BINARY_MEDIA_TYPES = (*FILE_MEDIA_TYPES, *REQUEST_MEDIA_TYPES)


@dataclass(frozen=True)
class FileDownload:
    """A file for the client to save (a report): sent as itself, not as JSON.

    Text types (``text/csv``) go out as text, so they arrive intact whatever the client accepts;
    anything else goes out base64-encoded, the Lambda-proxy way of returning bytes.
    """

    content: bytes
    media_type: str
    filename: str

    @property
    def is_text(self) -> bool:
        return self.media_type.startswith("text/")


def _file_response(status: int, file: FileDownload, headers: dict[str, str]) -> dict[str, Any]:
    out_headers = {
        "Content-Type": file.media_type,
        "Content-Disposition": f'attachment; filename="{file.filename}"',
        "Cache-Control": "no-store",
        "Access-Control-Allow-Origin": _CORS_ORIGIN,
        # Lets browser code read the file name it should save under.
        "Access-Control-Expose-Headers": "Content-Disposition",
        **headers,
    }
    text = file.is_text
    body = file.content.decode("utf-8") if text else base64.b64encode(file.content).decode("ascii")
    return {"statusCode": status, "headers": out_headers, "body": body, "isBase64Encoded": not text}


def _encode(body: Any) -> str:
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    if isinstance(body, BaseModel):
        return body.model_dump_json()
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def _etag(body: Any) -> str | None:
    """The entity tag of a versioned item: its version (what If-Match takes)."""
    version = body.get("version") if isinstance(body, dict) else getattr(body, "version", None)
    return f'"{version}"' if isinstance(version, int) and not isinstance(version, bool) else None


# Headers that are part of a write's answer, and so are part of its replay (Idempotency-Key).
_REPLAYED = ("Location", "ETag")


def replayed_headers(body: Any, headers: dict[str, str]) -> dict[str, str]:
    """The headers a retried request must get back exactly as the first one did."""
    etag = _etag(body)
    kept = {name: value for name, value in headers.items() if name in _REPLAYED}
    return {**({"ETag": etag} if etag else {}), **kept}


def proxy_response(status: int, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    if isinstance(body, FileDownload):
        return _file_response(status, body, headers or {})
    out_headers = {
        "Content-Type": "application/json",
        "Access-Control-Allow-Origin": _CORS_ORIGIN,
    }
    etag = _etag(body)
    if etag:
        out_headers["ETag"] = etag
    out_headers.update(headers or {})
    return {"statusCode": status, "headers": out_headers, "body": _encode(body), "isBase64Encoded": False}
