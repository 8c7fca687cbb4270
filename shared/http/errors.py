"""Errors as the API shows them: a status and ``{"error": {"code", "message", "details"}}``.

Faults (shared/faults.py) are mapped to their status here, in one table; the HTTP layer's own
refusals (a bad token, a malformed header or body, a method a path does not have) are made here.
"""

from dataclasses import dataclass, field
from typing import Any

from shared.faults import Conflict, Fault, FieldIssue, Invalid, NotFound, TooLarge, VersionMismatch


@dataclass
class ApiError(Exception):
    status: int
    code: str
    message: str
    details: list[FieldIssue] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "details": [{"field": d.field, "reason": d.reason} for d in self.details],
            }
        }


STATUS_OF_FAULT: dict[type[Fault], int] = {
    NotFound: 404,
    Invalid: 422,
    Conflict: 409,
    VersionMismatch: 412,
    TooLarge: 413,
}


def from_fault(fault: Fault) -> ApiError:
    """The API's answer to a fault: its status by kind, its code, message and fields as they are."""
    status = next(code for kind, code in STATUS_OF_FAULT.items() if isinstance(fault, kind))
    return ApiError(status, fault.code, fault.message, list(fault.issues))


def bad_request(message: str, field_name: str | None = None) -> ApiError:
    details = [FieldIssue(field_name, message)] if field_name else []
    return ApiError(400, "bad_request", message, details)


def unauthorized(message: str = "A valid bearer token is required") -> ApiError:
    return ApiError(401, "unauthorized", message)


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def method_not_allowed(allowed: list[str]) -> ApiError:
    """A path the API has, with a method it has not; ``Allow`` lists the ones it has."""
    listed = ", ".join(allowed)
    return ApiError(405, "method_not_allowed", f"Use one of: {listed}", headers={"Allow": listed})


# Errors that API Gateway answers itself, before any function runs. The CDK stack configures them
# as gateway responses with this body and the local server answers the same.
GATEWAY_ERRORS: dict[str, ApiError] = {
    "UNAUTHORIZED": ApiError(401, "unauthorized", "A valid bearer token is required"),
    "MISSING_AUTHENTICATION_TOKEN": ApiError(404, "not_found", "No such route"),
    "THROTTLED": ApiError(429, "too_many_requests", "Too many requests; slow down and retry"),
    "REQUEST_TOO_LARGE": ApiError(413, "payload_too_large", "The request is larger than API Gateway accepts"),
}
