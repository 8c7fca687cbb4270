"""Account settings: what applies to everything an account owns."""

from datetime import datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field

from shared.models.common import LEAVE_AS_IS, OutputModel, PartialUpdate

DEFAULT_TIME_ZONE = "UTC"


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("not an IANA time zone name, e.g. Europe/Berlin") from None
    return name


TimeZone = Annotated[
    str,
    Field(min_length=1, max_length=64, pattern=r"^[A-Za-z][A-Za-z0-9_+\-/]*$", examples=["Europe/Berlin"]),
    AfterValidator(_known_zone),
]
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. EUR")]


class SettingsUpdate(PartialUpdate):
    time_zone: TimeZone = Field(
        LEAVE_AS_IS, description="Date conditions fall due at local midnight in this zone"
    )
    currency: Currency | None = Field(None, description="Default currency of costs")


class Settings(OutputModel):
    time_zone: str = DEFAULT_TIME_ZONE
    currency: str | None = None
    version: int = 0
    updated_at: datetime | None = None
