"""Base classes and small types shared by every API model.

Every constrained type here is written so that its JSON Schema (the OpenAPI document) states
exactly what validation accepts: patterns instead of hidden checks, whole numbers that JSON also
writes as ``3.0``, and date and time ranges as patterns on the year. What a schema cannot state
(a lead shorter than its interval, meters that only go up) is refused with an error code of its
own, never with ``validation_error`` (see shared/errors.py).
"""

import re
from datetime import date, datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from shared.clock import from_iso


class InputModel(BaseModel):
    """A JSON body: unknown fields are refused, not silently dropped; no NaN or Infinity; types
    as documented (strict: ``0`` is not ``false``, ``"5"`` is not ``5``).

    Text is stored exactly as sent (no trimming), so what a client writes is what it reads back.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True, defer_build=True)


class QueryParams(InputModel):
    """Query-string parameters: every value arrives as text, so numbers and booleans are parsed."""

    model_config = ConfigDict(strict=False)


# Default of an update field the item cannot be without: it may be left out (and then is None,
# since pydantic does not validate defaults), but an explicit null fails on that very field.
LEAVE_AS_IS: Any = None


class PartialUpdate(InputModel):
    """A partial update: fields left out stay as they are, ``null`` clears an optional field."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    @model_validator(mode="after")
    def _something_to_change(self) -> "PartialUpdate":
        if not self.model_fields_set:
            raise ValueError("send at least one field to change")
        return self


def rule_broken(model: BaseModel, code: str, reason: str, field: str) -> ValidationError:
    """A rule beyond the schema, broken at ``field`` of ``model``: raised from a model validator,
    it reads as the error of that field (``body.readings.3.meter_replaced``) with its own code."""
    error = PydanticCustomError(code, reason)
    details = InitErrorDetails(type=error, loc=(field,), input=getattr(model, field))
    return ValidationError.from_exception_data(type(model).__name__, [details])


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True, defer_build=True)


class ItemError(OutputModel):
    """Why one entry of a bulk request was refused: what it alone would have been answered."""

    code: str
    message: str
    field: str | None = None


def some_entries(*names: str) -> dict[str, Any]:
    """JSON Schema: at least one of the list properties ``names`` is given and not empty."""
    return {
        "anyOf": [
            {"required": [name], "properties": {name: {"type": "array", "minItems": 1}}} for name in names
        ]
    }


def _stored_time(value: object) -> object:
    return from_iso(value) if isinstance(value, str) else value


# A time as stored (fixed-width ISO); one stored with a short year by an older version still reads.
StoredTime = Annotated[datetime, BeforeValidator(_stored_time)]


T = TypeVar("T")


class Page(OutputModel, Generic[T]):
    items: list[T]
    next: str | None = Field(None, description="Opaque cursor for the next page; absent on the last page")


def _split_commas(value: object) -> object:
    """``a,b`` and ``a&a`` both mean a list; an empty item (``status=``) is kept, so it is refused."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",")]
    return value


# What a pattern means, in words a client can act on; the error reasons say this instead of the
# pattern itself (shared/http/validation.py reads it).
PATTERN_REASONS: dict[str, str] = {}


def described_pattern(pattern: str, reason: str) -> str:
    """Register the plain-words meaning of ``pattern`` and return the pattern."""
    PATTERN_REASONS[pattern] = reason
    return pattern


# Text fields must hold something besides white space. The class is spelled out: Rust's regex
# (pydantic) and ECMA's (clients, the document) disagree on what \s means (U+FEFF, U+0085).
_WHITE_SPACE = r"\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_BLANK = described_pattern(f"[^{_WHITE_SPACE}]", "must contain something besides white space")
Name = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=NOT_BLANK)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=NOT_BLANK)]
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=128)]
LongText = Annotated[str, Field(max_length=2000)]
PageLimit = Annotated[int, Field(ge=1, le=200, description="Items per page, 1 to 200")]
Cursor = Annotated[str, StringConstraints(min_length=1, max_length=2048)]
CommaList = BeforeValidator(_split_commas)
# A list parameter, when given, names at least one value (``?status=`` is refused, not "all").
NotEmpty = Field(min_length=1)


def given(name: str, json_type: str) -> dict[str, Any]:
    """JSON Schema: property ``name`` is present and of ``json_type`` (not null)."""
    return {"required": [name], "properties": {name: {"type": json_type}}}


def not_given(name: str) -> dict[str, Any]:
    """JSON Schema: property ``name`` is absent or null."""
    return {"properties": {name: {"type": "null"}}}


def at_most_one(first: str, second: str) -> dict[str, Any]:
    """JSON Schema: not both ``first`` and ``second`` (a null counts as not given)."""
    return {"anyOf": [not_given(first), not_given(second)]}


def _whole(value: object) -> object:
    """JSON writes a whole number as ``3`` or ``3.0`` and JSON Schema's integer takes both."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


WholeNumber = BeforeValidator(_whole)


def _rounded(decimals: int) -> AfterValidator:
    """Keep a number to a stated precision (``+ 0.0`` turns -0.0 into 0.0)."""
    return AfterValidator(lambda value: round(value, decimals) + 0.0)


# Distances (km) and operating hours are kept to three decimals: a metre, 3.6 seconds.
METER_DECIMALS = 3
MeterPrecision = _rounded(METER_DECIMALS)

# Dates and times are accepted in the years 1970 to 2999 as written (an offset may move the UTC
# instant a few hours beyond): fixed-width, sortable and far from the ends of the calendar.
_YEAR = "(19[7-9][0-9]|2[0-9]{3})"
_DAY = "-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
DATE_PATTERN = described_pattern(
    f"^{_YEAR}{_DAY}$", "use an ISO 8601 date in the years 1970 to 2999, e.g. 2026-03-01"
)
DATETIME_PATTERN = described_pattern(
    f"^{_YEAR}{_DAY}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{{1,9}})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$",
    "use an ISO 8601 time with seconds and a time zone in the years 1970 to 2999, e.g. "
    "2026-03-01T08:00:00Z (in a query string, write + as %2B)",
)
_DATE_RE = re.compile(DATE_PATTERN)
_DATETIME_RE = re.compile(DATETIME_PATTERN)


def _matching(pattern: re.Pattern[str]) -> BeforeValidator:
    """Only text of the documented form: pydantic alone would also read numbers as Unix times."""

    def check(value: object) -> object:
        if isinstance(value, str) and pattern.match(value):
            return value
        if isinstance(value, str | int | float | bool):
            raise ValueError(PATTERN_REASONS[pattern.pattern])
        return value

    return BeforeValidator(check)


# Lax after the text check: the checked ISO text is then parsed as a date or time (to the
# microsecond; more digits are accepted and cut).
Timestamp = Annotated[
    AwareDatetime,
    Field(strict=False, json_schema_extra={"pattern": DATETIME_PATTERN}),
    _matching(_DATETIME_RE),
]
Day = Annotated[date, Field(strict=False, json_schema_extra={"pattern": DATE_PATTERN}), _matching(_DATE_RE)]
