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
    anything else goes out base64-encoded, the Lambda-proxy way of returning bytes. A client that
    prefers JSON (``Accept: application/json``, see ``prefers_json``) gets the file inside a JSON
    object instead (``envelope``), for gateways and clients that cannot pass binary bodies.
    """

    content: bytes
    media_type: str
    filename: str

    @property
    def is_text(self) -> bool:
        return self.media_type.startswith("text/")

    def envelope(self) -> dict[str, Any]:
        """The file as JSON: ``content_base64`` decodes to exactly the bytes of the file."""
        return {
            "filename": self.filename,
            "media_type": self.media_type,
            "size": len(self.content),
            "content_base64": base64.b64encode(self.content).decode("ascii"),
        }


JSON = "application/json"


def _accepted(accept: str) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their weights; a malformed weight counts as 0."""
    ranges = []
    for part in accept.split(","):
        media, *params = part.split(";")
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    weight = 0.0
        if media.strip():
            ranges.append((media.strip().lower(), weight))
    return ranges


def _preference(ranges: list[tuple[str, float]], media_type: str) -> tuple[float, int]:
    """The weight the most specific range matching ``media_type`` gives it, and how specific that
    range is (2 the type itself, 1 ``type/*``, 0 ``*/*``; -1 and weight 0: not accepted)."""
    bare = media_type.split(";", maxsplit=1)[0].strip().lower()
    ranks = {bare: 2, f"{bare.split('/')[0]}/*": 1, "*/*": 0}
    best = (0.0, -1)
    for media, weight in ranges:
        rank = ranks.get(media, -1)
        if rank > best[1]:
            best = (weight, rank)
    return best


def prefers_json(accept: str | None, media_type: str) -> bool:
    """Whether a client sending ``accept`` wants a file of ``media_type`` as JSON (``envelope``).

    Content negotiation (RFC 9110): the higher weight wins, then the range that names the type
    more exactly. ``application/json`` wins over ``*/*`` (``Accept: application/json, */*``); the
    file wins a tie (``*/*``, or both named at the same weight) and when there is no Accept.
    """
    if not accept:
        return False
    ranges = _accepted(accept)
    wanted = _preference(ranges, JSON)
    return wanted[0] > 0 and wanted > _preference(ranges, media_type)


def _file_response(
    status: int, file: FileDownload, headers: dict[str, str], accept: str | None
) -> dict[str, Any]:
    common = {"Cache-Control": "no-store", "Vary": "Accept", "Access-Control-Allow-Origin": _CORS_ORIGIN}
    if prefers_json(accept, file.media_type):
        out = {"Content-Type": JSON, **common, **headers}
        return {
            "statusCode": status,
            "headers": out,
            "body": _encode(file.envelope()),
            "isBase64Encoded": False,
        }
    out_headers = {
        "Content-Type": file.media_type,
        "Content-Disposition": f'attachment; filename="{file.filename}"',
        **common,
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


def proxy_response(
    status: int, body: Any, headers: dict[str, str] | None = None, *, accept: str | None = None
) -> dict[str, Any]:
    """The proxy result; a file as the request's ``accept`` (its Accept header) prefers it."""
    if isinstance(body, FileDownload):
        return _file_response(status, body, headers or {}, accept)
    out_headers = {
        "Content-Type": "application/json",
        "Access-Control-Allow-Origin": _CORS_ORIGIN,
    }
    etag = _etag(body)
    if etag:
        out_headers["ETag"] = etag
    out_headers.update(headers or {})
    return {"statusCode": status, "headers": out_headers, "body": _encode(body), "isBase64Encoded": False}
