"""Turning a failed validation of a request into the API's 422 (reasons: shared/models/reasons.py)."""

from pydantic import ValidationError

from shared.faults import Invalid
from shared.models.reasons import field_issues


def refusal(error: ValidationError, prefix: str) -> Invalid:
    """The 422 for a failed validation of the ``prefix`` part (``body``, ``query``) of a request."""
    issues, code = field_issues(error, prefix)
    summary = "; ".join(f"{i.field}: {i.reason}" for i in issues[:3])
    return Invalid(code, f"The request is not valid: {summary}", issues)
