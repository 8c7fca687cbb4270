"""What a service task is made of: conditions, snapshots, costs and who to tell.

The rules between fields that a JSON Schema can state (one lead or a percentage, not both;
exactly one way to set a date) are in the document and checked here. Those it cannot state (a
lead shorter than its interval) are checked by the due engine and refused as
``invalid_conditions``.
"""

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from shared.ids import ID_PATTERNS
from shared.models.common import (
    METER_DECIMALS,
    Day,
    InputModel,
    MeterPrecision,
    Timestamp,
    WholeNumber,
    at_most_one,
    described_pattern,
    given,
)
from shared.models.contact import Email, Phone
from shared.models.readings import Hours, Odometer
from shared.models.settings import Currency, minor_unit

CalendarDate = date  # for fields that are themselves named "date"
_SMALLEST = 10**-METER_DECIMALS
# km or hours: an interval (more than 0 at the kept precision) and a lead (0 or more).
Km = Annotated[float, Field(ge=_SMALLEST, le=10_000_000), MeterPrecision]
Lead = Annotated[float, Field(ge=0, le=10_000_000), MeterPrecision]
Percent = Annotated[
    float,
    Field(ge=0.01, le=100, description="Warn when this share of the interval is used (kept to 0.01)"),
    AfterValidator(lambda value: round(value, 2)),
]
Days = Annotated[int, Field(ge=1, le=36_500), WholeNumber]
Months = Annotated[int, Field(ge=1, le=1_200), WholeNumber]
LeadDays = Annotated[int, Field(ge=0, le=36_500), WholeNumber]
# inactive: a plan task whose provider left (docs/plans.md, "Revocation"); kept as it was.
TaskStatus = Literal["planned", "upcoming", "overdue", "done", "inactive"]
ConditionKind = Literal["distance", "hours", "date"]
Anchor = Literal["completion", "cadence"]


def _one_lead(model: InputModel, lead: str) -> None:
    if getattr(model, lead) is not None and getattr(model, "notify_at_percent", None) is not None:
        raise ValueError(f"give {lead} or notify_at_percent, not both")


class DistanceCondition(InputModel):
    model_config = ConfigDict(json_schema_extra=at_most_one("notify_before_km", "notify_at_percent"))
    limit_km: Km = Field(description="Due this many km after the start")
    notify_before_km: Lead | None = Field(
        None, description="Upcoming from this many km before due; less than limit_km"
    )
    notify_at_percent: Percent | None = None
    repeat_km: Km | None = Field(None, description="Interval of later occurrences; default limit_km")

    @model_validator(mode="after")
    def _one_warning(self) -> "DistanceCondition":
        _one_lead(self, "notify_before_km")
        return self


class HoursCondition(InputModel):
    model_config = ConfigDict(json_schema_extra=at_most_one("notify_before_h", "notify_at_percent"))
    limit_h: Km = Field(description="Due this many operating hours after the start")
    notify_before_h: Lead | None = Field(
        None, description="Upcoming from this many hours before due; less than limit_h"
    )
    notify_at_percent: Percent | None = None
    repeat_h: Km | None = Field(None, description="Interval of later occurrences; default limit_h")

    @model_validator(mode="after")
    def _one_warning(self) -> "HoursCondition":
        _one_lead(self, "notify_before_h")
        return self


_FIRST_DUE = ("due", "every_days", "every_months")


class DateCondition(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                given("due", "string"),
                given("every_days", "integer"),
                given("every_months", "integer"),
            ],
            "allOf": [
                at_most_one("notify_before_days", "notify_at_percent"),
                at_most_one("repeat_days", "repeat_months"),
            ],
        }
    )
    due: Day | None = Field(None, description="Due on this date (account time zone)")
    every_days: Days | None = Field(None, description="Or: due this many days after the start")
    every_months: Months | None = Field(None, description="Or: due this many calendar months after the start")
    notify_before_days: LeadDays | None = Field(
        None, description="Upcoming from this many days before due; fewer than the days to the first due date"
    )
    notify_at_percent: Percent | None = None
    repeat_days: Days | None = None
    repeat_months: Months | None = None

    @model_validator(mode="after")
    def _one_of_each(self) -> "DateCondition":
        if sum(getattr(self, name) is not None for name in _FIRST_DUE) != 1:
            raise ValueError("give exactly one of due, every_days and every_months")
        _one_lead(self, "notify_before_days")
        if self.repeat_days is not None and self.repeat_months is not None:
            raise ValueError("give repeat_days or repeat_months, not both")
        return self


class Conditions(InputModel):
    """One or more conditions; the task is due at whichever comes first."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [given("distance", "object"), given("hours", "object"), given("date", "object")]
        }
    )
    distance: DistanceCondition | None = None
    hours: HoursCondition | None = None
    date: DateCondition | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> "Conditions":
        if self.distance is None and self.hours is None and self.date is None:
            raise ValueError("give at least one condition: distance, hours or date")
        return self


class Snapshot(InputModel):
    """Where the asset stood: "last serviced at 45,000 km on 2026-03-01"."""

    at: Timestamp | None = Field(None, description="Default: now")
    odometer_km: Odometer | None = Field(
        None, description="Default: the asset's odometer at that time (its latest reading then)"
    )
    hours: Hours | None = Field(
        None, description="Default: the asset's hours at that time (its latest reading then)"
    )


class Money(InputModel):
    amount: float = Field(
        ge=0,
        le=1_000_000_000,
        description="Kept to the currency's minor unit (2 decimals without a currency)",
    )
    currency: Currency | None = Field(None, description="Default: the account's currency")

    @model_validator(mode="after")
    def _minor_unit(self) -> "Money":
        self.amount = round(self.amount, minor_unit(self.currency)) + 0.0
        return self


class Recipients(InputModel):
    sms: list[Phone] = Field(default_factory=list, max_length=20, description="Phone numbers in E.164")
    emails: list[Email] = Field(default_factory=list, max_length=20)
    push: bool = False


# Files declared with POST /files, uploaded and completed: a well-formed id that names no available
# file of the account is a 422 unknown_file naming its entry (services/files.py, require_files).
FileId = Annotated[
    str, Field(pattern=described_pattern(ID_PATTERNS["file_id"], "not a file id (fil_ and 26 characters)"))
]
AttachmentIds = Annotated[
    list[FileId], Field(max_length=20, description="Available files of the account (POST /files)")
]
