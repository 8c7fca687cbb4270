"""Account settings: what applies to everything an account owns."""

from datetime import datetime
from functools import cache
from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator

from shared.models.common import (
    LEAVE_AS_IS,
    InputModel,
    OutputModel,
    PartialUpdate,
    described_pattern,
    rule_broken,
)

DEFAULT_TIME_ZONE = "UTC"


@cache
def time_zone_names() -> frozenset[str]:
    """The IANA zone names this runtime knows (tzdata). Folders such as ``America`` are not zones."""
    from zoneinfo import available_timezones  # noqa: PLC0415 - reads tzdata (0.1 s): only when needed

    return frozenset(available_timezones())


def _known_zone(name: str) -> str:
    if name not in time_zone_names():
        raise ValueError("not an IANA time zone name, e.g. Europe/Berlin")
    return name


def _list_zones(schema: dict[str, Any]) -> None:
    schema["enum"] = sorted(time_zone_names())


TimeZone = Annotated[
    str, Field(examples=["Europe/Berlin"], json_schema_extra=_list_zones), AfterValidator(_known_zone)
]
CURRENCY_PATTERN = described_pattern("^[A-Z]{3}$", "an ISO 4217 code of three capital letters, e.g. EUR")
Currency = Annotated[str, Field(pattern=CURRENCY_PATTERN, description="ISO 4217 code, e.g. EUR")]

# ISO 4217 minor units where they are not 2 (money amounts are kept to these).
_MINOR_UNITS = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(["CLF", "UYW"], 4),
}


def minor_unit(currency: str | None) -> int:
    """Decimals an amount in ``currency`` keeps; 2 when the currency is not given."""
    return _MINOR_UNITS.get(currency or "", 2)


CLOCK_PATTERN = described_pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$", "a local time as HH:MM, 00:00 to 23:59")
ClockTime = Annotated[str, Field(pattern=CLOCK_PATTERN)]


class QuietHours(InputModel):
    """No SMS from ``start`` to ``end`` (local time in the account's zone; may cross midnight).
    SMS due meanwhile are held and go out at ``end``; email is not held."""

    start: ClockTime = Field(examples=["22:00"])
    end: ClockTime = Field(examples=["06:30"])

    @model_validator(mode="after")
    def _not_empty(self) -> "QuietHours":
        if self.start == self.end:
            raise rule_broken(self, "empty_window", "end must differ from start", "end")
        return self


class NotificationSettings(InputModel):
    quiet_hours: QuietHours | None = Field(None, description="null: SMS go out at any hour")


class SettingsUpdate(PartialUpdate):
    time_zone: TimeZone = Field(
        LEAVE_AS_IS, description="Date conditions fall due at local midnight in this zone"
    )
    currency: Currency | None = Field(None, description="Default currency of costs")
    notifications: NotificationSettings | None = Field(
        None, description="How notifications go out; replaced as a whole, null: the defaults"
    )


class Settings(OutputModel):
    time_zone: str = DEFAULT_TIME_ZONE
    currency: str | None = None
    notifications: NotificationSettings = Field(default_factory=NotificationSettings)
    version: int = 0
    updated_at: datetime | None = None
