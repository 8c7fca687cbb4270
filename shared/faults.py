"""What can go wrong, in the product's own words: the faults the domain, the data layer and the
services raise. None of them knows HTTP; shared/http/errors.py is the one place that turns a
fault into a status and an error body.

A fault has a code a client can act on (``meter_decreased``, ``occurrence_completed``), a
message, and the fields it is about, each as a path into the request (``body.conditions.hours``).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FieldIssue:
    field: str
    reason: str


@dataclass
class Fault(Exception):
    code: str
    message: str
    issues: list[FieldIssue] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class NotFound(Fault):
    """No such item in this account (another account's item is not found either)."""


class Invalid(Fault):
    """The request is not acceptable: it breaks the API document (``validation_error``) or a rule
    the document cannot state (a code of its own)."""


class Conflict(Fault):
    """The current state says no (done already, taken, changed meanwhile)."""


class TooLarge(Fault):
    """More than the product keeps (a declared file over its size limit)."""


@dataclass
class VersionMismatch(Fault):
    """The client's If-Match is not the current version."""

    current_version: int = 0


def not_found(what: str, field_name: str | None = None) -> NotFound:
    issues = [FieldIssue(field_name, f"no such {what.lower()}")] if field_name else []
    return NotFound("not_found", f"{what} not found", issues)


def invalid(field_name: str, reason: str, code: str = "validation_error") -> Invalid:
    return Invalid(code, reason, [FieldIssue(field_name, reason)])


def conflict(message: str, field_name: str | None = None, code: str = "conflict") -> Conflict:
    return Conflict(code, message, [FieldIssue(field_name, message)] if field_name else [])


def version_mismatch(current_version: int) -> VersionMismatch:
    return VersionMismatch(
        "precondition_failed",
        f"If-Match does not match the current version {current_version}; read the item again",
        [FieldIssue("header.If-Match", f"current version is {current_version}")],
        current_version,
    )


def invalid_cursor() -> Invalid:
    """A ``next`` the API did not hand out for this very list (a rule no schema can state)."""
    return invalid(
        "query.next", "the cursor is not valid for this list; start again without it", "invalid_cursor"
    )
