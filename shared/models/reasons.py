"""Validation errors as a client reads them: a field path and a reason written for people.

Paths say where the value was: ``body.conditions.hours.limit_h``, ``query.next``,
``header.If-Match``. Reasons say what to send instead ("must be at least 1", "use an ISO 8601
date ..."), not pydantic's wording ("Input should be ...", "Value error, ...").

The code of the error tells the two kinds of refusal apart: ``validation_error`` when the
request breaks the API document (its schema), and a code of its own (``invalid_range``,
``invalid_conditions``, ...) when it follows the document but breaks a rule the document cannot
state. Models raise the latter as ``PydanticCustomError(code, reason)``.
"""

from datetime import date
from typing import Any, get_args

from pydantic import ValidationError
from pydantic_core import ErrorDetails
from pydantic_core.core_schema import ErrorType

from shared.faults import FieldIssue
from shared.models.common import PATTERN_REASONS

_BUILTIN_TYPES = frozenset(get_args(ErrorType))

_PLAIN = {
    "missing": "required",
    "extra_forbidden": "not a field of this request",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "finite_number": "must be a finite number",
    "string_type": "must be text",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "none_required": "must be null",
    "date_type": "must be a date, e.g. 2026-03-01",
    "date_from_datetime_parsing": "not a valid date, e.g. 2026-03-01",
    "date_from_datetime_inexact": "must be a date without a time",
    "datetime_type": "must be a time, e.g. 2026-03-01T08:00:00Z",
    "datetime_from_date_parsing": "not a valid time, e.g. 2026-03-01T08:00:00Z",
    "timezone_aware": "needs a time zone, e.g. 2026-03-01T08:00:00Z or +01:00",
    "too_long": "too many items",
    "too_short": "too few items",
}


def _limit(context: dict[str, Any], name: str) -> Any:
    value = context.get(name)
    return value.isoformat() if isinstance(value, date) else value


_BOUNDS = {
    "greater_than_equal": ("ge", "must be at least"),
    "greater_than": ("gt", "must be more than"),
    "less_than_equal": ("le", "must be at most"),
    "less_than": ("lt", "must be less than"),
}


def _sized(kind: str, context: dict[str, Any]) -> str | None:
    """Reasons about lengths: of text, of lists."""
    if kind == "string_too_short":
        length = context.get("min_length", 1)
        return "must not be empty" if length == 1 else f"at least {length} characters"
    if kind == "string_too_long":
        return f"at most {context.get('max_length')} characters"
    if kind == "too_long" and "max_length" in context:
        return f"at most {context['max_length']} items"
    if kind == "too_short" and "min_length" in context:
        return f"at least {context['min_length']} item(s)"
    return None


def reason_of(error: ErrorDetails) -> str:
    """What is wrong with the value, in words a client can act on."""
    kind, context = error["type"], error.get("ctx") or {}
    reason: str | None
    if kind == "value_error" and "error" in context:
        reason = str(context["error"])
    elif kind == "string_pattern_mismatch":
        reason = PATTERN_REASONS.get(str(context.get("pattern")), "does not have the documented form")
    elif kind in _BOUNDS:
        name, words = _BOUNDS[kind]
        reason = f"{words} {_limit(context, name)}"
    elif kind in ("literal_error", "enum"):
        reason = f"must be one of {context.get('expected')}"
    elif kind.startswith(("date_", "datetime_", "time_")) and kind not in _PLAIN:
        reason = "not a valid date or time (ISO 8601, e.g. 2026-03-01T08:00:00Z)"
    else:
        reason = _sized(kind, context) or _PLAIN.get(kind)
    return reason or error["msg"]


def field_issues(error: ValidationError, prefix: str) -> tuple[list[FieldIssue], str]:
    """The issues of a failed validation of the ``prefix`` part of a request, and the error code:
    ``validation_error``, or a rule's own code when only rules beyond the document failed."""
    issues, codes = [], []
    for item in error.errors(include_url=False):
        path = ".".join(str(part) for part in item["loc"])
        # A parameter may have an empty name (?=x): it is still a named place, "query.".
        issues.append(FieldIssue(f"{prefix}.{path}" if item["loc"] else prefix, reason_of(item)))
        codes.append(item["type"] if item["type"] not in _BUILTIN_TYPES else "validation_error")
    code = codes[0] if codes and all(c != "validation_error" for c in codes) else "validation_error"
    return issues, code
