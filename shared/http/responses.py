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


# What the RestApi passes through as binary (its binaryMediaTypes). API Gateway turns a base64
# proxy body back into bytes only for these, and only when the client's first Accept type matches.
BINARY_MEDIA_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


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


def proxy_response(status: int, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    if isinstance(body, FileDownload):
        return _file_response(status, body, headers or {})
    out_headers = {
        "Content-Type": "application/json",
        "Access-Control-Allow-Origin": _CORS_ORIGIN,
    }
    version = getattr(body, "version", None)
    if isinstance(version, int):
        out_headers["ETag"] = f'"{version}"'
    out_headers.update(headers or {})
    return {"statusCode": status, "headers": out_headers, "body": _encode(body), "isBase64Encoded": False}
