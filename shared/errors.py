"""The API's error vocabulary: every failure a client can see is one of these.

Each error renders as ``{"error": {"code", "message", "details": [{"field", "reason"}]}}``.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldIssue:
    field: str
    reason: str


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


def bad_request(message: str, field_name: str | None = None) -> ApiError:
    details = [FieldIssue(field_name, message)] if field_name else []
    return ApiError(400, "bad_request", message, details)


def unauthorized(message: str = "A valid bearer token is required") -> ApiError:
    return ApiError(401, "unauthorized", message)


def forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def not_found(what: str) -> ApiError:
    return ApiError(404, "not_found", f"{what} not found")


def conflict(message: str, field_name: str | None = None, code: str = "conflict") -> ApiError:
    details = [FieldIssue(field_name, message)] if field_name else []
    return ApiError(409, code, message, details)


def precondition_failed(current_version: int) -> ApiError:
    return ApiError(
        412,
        "precondition_failed",
        f"If-Match does not match the current version {current_version}; read the item again",
        [FieldIssue("header.If-Match", f"current version is {current_version}")],
    )


def unprocessable(field_name: str, reason: str, code: str = "validation_error") -> ApiError:
    return ApiError(422, code, reason, [FieldIssue(field_name, reason)])


def invalid_cursor() -> ApiError:
    """A ``next`` the API did not hand out for this very list (a rule no schema can state)."""
    return unprocessable(
        "query.next", "the cursor is not valid for this list; start again without it", "invalid_cursor"
    )


def validation_failed(issues: list[FieldIssue]) -> ApiError:
    summary = "; ".join(f"{i.field}: {i.reason}" for i in issues[:3])
    return ApiError(422, "validation_error", f"The request is not valid: {summary}", issues)


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
