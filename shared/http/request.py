"""The part of an API Gateway proxy event a handler needs, already checked.

In AWS the Cognito authorizer has verified the token and put its claims into the event; the
local server does the same after verifying its locally signed tokens. Either way the handler
only reads the claims.
"""

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from shared.faults import not_found
from shared.http.errors import bad_request, forbidden, unauthorized
from shared.ids import ID_PATTERNS, is_valid_id

ROLES = ("admin", "editor", "viewer")
WRITE_ROLES = frozenset({"admin", "editor"})
_PATH_NUMBER = re.compile(ID_PATTERNS["revision"])
_ACCOUNT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# The item's version, quoted as an entity tag or not: 3, "3" or W/"3". Also in the API document.
IF_MATCH_PATTERN = '^(W/)?("[0-9]{1,12}"|[0-9]{1,12})$'
_IF_MATCH = re.compile(IF_MATCH_PATTERN)


@dataclass(frozen=True)
class Request:
    account_id: str
    role: str
    subject: str
    method: str
    path_params: dict[str, str]
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: str | None
    request_id: str
    base_url: str = ""  # where the API is reached, as the client called it (no trailing slash)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    def if_match(self) -> int | None:
        """The version the client says it is updating, from ``If-Match`` (``3``, ``"3"`` or ``W/"3"``)."""
        raw = self.header("if-match")
        if raw is None:
            return None
        if not _IF_MATCH.match(raw):
            raise _bad_if_match()
        return int(raw.removeprefix("W/").strip('"'))

    def path_id(self, name: str, prefix: str, what: str) -> str:
        """A path id; one that cannot be an id of this type simply does not exist (404)."""
        value = self.path_params.get(name, "")
        if not is_valid_id(value, prefix):
            raise not_found(what)
        return value

    def path_number(self, name: str, what: str) -> int:
        """A path number (1 to 999,999); anything else names nothing (404)."""
        value = self.path_params.get(name, "")
        if not _PATH_NUMBER.match(value):
            raise not_found(what)
        return int(value)

    def path_account(self, name: str) -> str:
        """Another account named in the path; anything that cannot be an account names nothing (404)."""
        value = self.path_params.get(name, "")
        if not _ACCOUNT_ID.match(value):
            raise not_found("Account")
        return value

    def require_write(self) -> None:
        if self.role not in WRITE_ROLES:
            raise forbidden(f"Role '{self.role}' may read but not change data")


def _claims(event: dict[str, Any]) -> dict[str, Any]:
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    claims = authorizer.get("claims")
    return claims if isinstance(claims, dict) else {}


def _bad_if_match() -> Exception:
    return bad_request('If-Match must be the item\'s version, e.g. "3"', "header.If-Match")


def _decoded(body: str) -> str:
    """A body the gateway passed as base64 (JSON bodies are, see infra/api.py), as text.

    Bytes that are not UTF-8 are refused rather than replaced: stored replacement characters
    would silently change what the client sent.
    """
    try:
        return base64.b64decode(body, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise bad_request("The body is not valid UTF-8 text", "body") from None


def parse_request(event: dict[str, Any], *, public: bool = False) -> Request:
    claims = _claims(event)
    account_id = str(claims.get("custom:account_id", ""))
    role = str(claims.get("custom:role", "viewer"))
    if not public and (not _ACCOUNT_ID.match(account_id) or role not in ROLES):
        raise unauthorized("The token does not name a valid account and role")
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    if "if-match" in headers and not _IF_MATCH.match(headers["if-match"]):
        # Checked before anything runs, a replayed answer included: a malformed header is a 400.
        raise _bad_if_match()
    query: dict[str, list[str]] = {}
    for key, values in (event.get("multiValueQueryStringParameters") or {}).items():
        query[key] = [str(v) for v in values or []]
    for key, value in (event.get("queryStringParameters") or {}).items():
        query.setdefault(key, [str(value)])
    body = event.get("body")
    if body is not None and event.get("isBase64Encoded"):
        body = _decoded(body)
    return Request(
        account_id=account_id,
        role=role,
        subject=str(claims.get("sub", "")),
        method=str(event.get("httpMethod", "GET")).upper(),
        path_params={k: str(v) for k, v in (event.get("pathParameters") or {}).items()},
        query=query,
        headers=headers,
        body=body,
        request_id=str((event.get("requestContext") or {}).get("requestId", "")),
        base_url=_base_url(event, headers),
    )


def _base_url(event: dict[str, Any], headers: dict[str, str]) -> str:
    """The API's address as the client called it: the host, and the stage or base path that
    API Gateway's own path has before the resource path (``/prod``)."""
    context = event.get("requestContext") or {}
    host = str(context.get("domainName") or headers.get("host") or "")
    if not host:
        return ""
    full, own = str(context.get("path") or ""), str(event.get("path") or "")
    prefix = full[: -len(own)] if own and full.endswith(own) else ""
    scheme = headers.get("x-forwarded-proto", "https").split(",")[0].strip() or "https"
    return f"{scheme}://{host}{prefix}"
