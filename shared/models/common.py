"""Base classes and small types shared by every API model."""

import re
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)


class InputModel(BaseModel):
    """A JSON body: unknown fields are refused, not silently dropped; no NaN or Infinity; types
    as documented (strict: ``0`` is not ``false``, ``"5"`` is not ``5``).

    Text is stored exactly as sent (no trimming), so what a client writes is what it reads back.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)


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


class OutputModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


T = TypeVar("T")


class Page(OutputModel, Generic[T]):
    items: list[T]
    next: str | None = Field(None, description="Opaque cursor for the next page; absent on the last page")


def _split_commas(value: object) -> object:
    """``a,b`` and ``a&a`` both mean a list; an empty item (``status=``) is kept, so it is refused."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",")]
    return value


# Text fields must hold something besides white space.
_NOT_BLANK = r"\S"
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_NOT_BLANK)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=_NOT_BLANK)]
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=128)]
PageLimit = Annotated[int, Field(ge=1, le=200, description="Items per page, 1 to 200")]
Cursor = Annotated[str, StringConstraints(min_length=1, max_length=2048)]
CommaList = BeforeValidator(_split_commas)

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_text(pattern: re.Pattern[str], example: str) -> Any:
    """Only ISO 8601 text, as documented: pydantic would also read numbers as Unix times."""

    def check(value: object) -> object:
        if isinstance(value, str) and pattern.match(value):
            return value
        if isinstance(value, str | int | float | bool):
            raise ValueError(f"use ISO 8601, e.g. {example}")
        return value

    return BeforeValidator(check)


# Lax after the text check: the checked ISO text is then parsed as a date or time.
Timestamp = Annotated[AwareDatetime, Field(strict=False), _iso_text(_ISO_DATETIME, "2026-03-01T08:00:00Z")]
Day = Annotated[
    date, Field(strict=False, ge=date(1900, 1, 1), le=date(2999, 12, 31)), _iso_text(_ISO_DATE, "2026-03-01")
]
