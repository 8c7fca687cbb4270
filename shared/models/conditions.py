"""What a service task is made of: conditions, snapshots, costs and who to tell."""

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from shared.models.common import (
    Day,
    InputModel,
    Timestamp,
)
from shared.models.readings import Hours, Odometer
from shared.models.settings import Currency

CalendarDate = date  # for fields that are themselves named "date"
Km = Annotated[float, Field(gt=0, le=10_000_000)]
Lead = Annotated[float, Field(ge=0, le=10_000_000)]
Percent = Annotated[float, Field(gt=0, le=100, description="Warn when this share of the interval is used")]
Days = Annotated[int, Field(gt=0, le=36_500)]
Months = Annotated[int, Field(gt=0, le=1_200)]
LeadDays = Annotated[int, Field(ge=0, le=36_500)]
LongText = Annotated[str, Field(max_length=2000)]
TaskStatus = Literal["planned", "upcoming", "overdue", "done"]
ConditionKind = Literal["distance", "hours", "date"]
Anchor = Literal["completion", "cadence"]


class DistanceCondition(InputModel):
    limit_km: Km = Field(description="Due this many km after the start")
    notify_before_km: Lead | None = Field(None, description="Upcoming from this many km before due")
    notify_at_percent: Percent | None = None
    repeat_km: Km | None = Field(None, description="Interval of later occurrences; default limit_km")


class HoursCondition(InputModel):
    limit_h: Km = Field(description="Due this many operating hours after the start")
    notify_before_h: Lead | None = Field(None, description="Upcoming from this many hours before due")
    notify_at_percent: Percent | None = None
    repeat_h: Km | None = Field(None, description="Interval of later occurrences; default limit_h")


class DateCondition(InputModel):
    due: Day | None = Field(None, description="Due on this date (account time zone)")
    every_days: Days | None = Field(None, description="Or: due this many days after the start")
    every_months: Months | None = Field(None, description="Or: due this many calendar months after the start")
    notify_before_days: LeadDays | None = Field(None, description="Upcoming from this many days before due")
    notify_at_percent: Percent | None = None
    repeat_days: Days | None = None
    repeat_months: Months | None = None


class Conditions(InputModel):
    """One or more conditions; the task is due at whichever comes first."""

    distance: DistanceCondition | None = None
    hours: HoursCondition | None = None
    date: DateCondition | None = None


class Snapshot(InputModel):
    """Where the asset stood: "last serviced at 45,000 km on 2026-03-01"."""

    at: Timestamp | None = Field(None, description="Default: now")
    odometer_km: Odometer | None = Field(None, description="Default: the asset's current odometer")
    hours: Hours | None = Field(None, description="Default: the asset's current hours")


class Money(InputModel):
    amount: float = Field(ge=0, le=1_000_000_000)
    currency: Currency | None = Field(None, description="Default: the account's currency")


def _assigned_number(number: str) -> str:
    """The number must also exist in its country's numbering plan, not just look like E.164."""
    import phonenumbers  # noqa: PLC0415 - only routes with recipients pay for its import

    try:
        valid = phonenumbers.is_valid_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        valid = False
    if not valid:
        raise ValueError("not a valid phone number for its country code")
    return number


def _deliverable_form(address: str) -> str:
    """An address in a form mail can be sent to (checked by email-validator, without DNS)."""
    from email_validator import EmailNotValidError, validate_email  # noqa: PLC0415 - only when used

    try:
        return validate_email(address, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(f"value is not a valid email address: {error}") from None


Email = Annotated[
    str, Field(max_length=254, json_schema_extra={"format": "email"}), AfterValidator(_deliverable_form)
]

# E.164 exactly: "+", country code and number, digits only, so what is stored is what is dialled.
Phone = Annotated[
    str, Field(pattern=r"^\+[1-9][0-9]{6,14}$", examples=["+4915112345678"]), AfterValidator(_assigned_number)
]


class Recipients(InputModel):
    sms: list[Phone] = Field(default_factory=list, max_length=20, description="Phone numbers in E.164")
    emails: list[Email] = Field(default_factory=list, max_length=20)
    push: bool = False


AttachmentIds = Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(max_length=20)]
