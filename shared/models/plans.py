"""API models of service plans: named sets of planned services that assignments turn into tasks.

A planned service says when a service falls due on any asset the plan is assigned to: every so
many operating hours, km, days or months, whichever comes first, each with a warning lead and an
optional offset (the first service at the offset, then every interval: a grid on the asset's
lifetime meter, 250 h, 750 h, 1250 h). docs/plans.md has the rules and examples.
"""

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from shared.ids import ID_PATTERNS
from shared.models.common import (
    LEAVE_AS_IS,
    Cursor,
    InputModel,
    LongText,
    Name,
    OutputModel,
    Page,
    PageLimit,
    PartialUpdate,
    QueryParams,
    ShortText,
    StoredTime,
    described_pattern,
    given,
    rule_broken,
)
from shared.models.conditions import Anchor, Days, Km, Lead, LeadDays, Months

MAX_PLANNED_SERVICES = 20
NetworkId = Annotated[
    str,
    Field(pattern=described_pattern(ID_PATTERNS["network_id"], "not a network id (net_ and 26 characters)")),
]
PlannedServiceId = Annotated[
    str,
    Field(
        pattern=described_pattern(
            ID_PATTERNS["planned_service_id"], "not a planned service id (psv_ and 26 characters)"
        )
    ),
]
PlanAccess = Literal["own", "network", "public", "assigned"]


class PlanHours(InputModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"every_h": 500, "notify_before_h": 50}]})
    every_h: Km = Field(description="Due every this many operating hours")
    notify_before_h: Lead | None = Field(None, description="Upcoming from this many hours before due")
    offset_h: Km | None = Field(
        None, description="The first service at this lifetime reading, then every every_h after it"
    )


class PlanDistance(InputModel):
    every_km: Km = Field(description="Due every this many km")
    notify_before_km: Lead | None = Field(None, description="Upcoming from this many km before due")
    offset_km: Km | None = Field(
        None, description="The first service at this lifetime odometer value, then every every_km after it"
    )


class PlanDate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={"oneOf": [given("every_days", "integer"), given("every_months", "integer")]}
    )
    every_days: Days | None = Field(None, description="Due every this many days")
    every_months: Months | None = Field(None, description="Or: every this many calendar months")
    notify_before_days: LeadDays | None = Field(None, description="Upcoming from this many days before due")
    offset_days: Days | None = Field(
        None,
        description="The first service this many days after the assignment is active, then every interval",
    )

    @model_validator(mode="after")
    def _one_interval(self) -> "PlanDate":
        if (self.every_days is None) == (self.every_months is None):
            raise ValueError("give exactly one of every_days and every_months")
        return self


class PlanConditions(InputModel):
    """One or more conditions; the service is due at whichever comes first."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [given("distance", "object"), given("hours", "object"), given("date", "object")]
        }
    )
    distance: PlanDistance | None = None
    hours: PlanHours | None = None
    date: PlanDate | None = None

    @model_validator(mode="after")
    def _at_least_one(self) -> "PlanConditions":
        if self.distance is None and self.hours is None and self.date is None:
            raise ValueError("give at least one condition: distance, hours or date")
        return self


class PlannedServiceIn(InputModel):
    id: PlannedServiceId | None = Field(
        None, description="On a change of the plan: the planned service this one replaces (its id is kept)"
    )
    name: Name
    description: LongText | None = None
    conditions: PlanConditions
    recurrent: bool = Field(True, description="Due again after each service; false: once")
    anchor: Anchor = Field(
        "cadence",
        description="cadence: the grid of the plan (500 h, 1000 h, ... whenever the work was done); "
        "completion: the next service counts from the completion",
    )


class PublicListing(InputModel):
    """Published for the assets of one brand and model (matched case-insensitively)."""

    brand: ShortText
    model: ShortText


def _distinct_services(services: list[PlannedServiceIn] | None, model: InputModel) -> None:
    seen: set[str] = set()
    for index, service in enumerate(services or []):
        if service.id is not None and service.id in seen:
            raise rule_broken(
                model,
                "duplicate_item",
                f"planned service {index} names the same id as one before it",
                "planned_services",
            )
        if service.id is not None:
            seen.add(service.id)


_SERVICES = Field(min_length=1, max_length=MAX_PLANNED_SERVICES)


class PlanCreate(InputModel):
    name: Name
    description: LongText | None = None
    planned_services: list[PlannedServiceIn] = _SERVICES
    public: PublicListing | None = Field(None, description="Publish the plan for a brand and model")

    @model_validator(mode="after")
    def _distinct(self) -> "PlanCreate":
        _distinct_services(self.planned_services, self)
        return self


class PlanUpdate(PartialUpdate):
    """A merge of the fields sent; ``planned_services`` is replaced whole (an entry with an ``id``
    keeps that planned service). A plan in use gets a new revision (docs/plans.md)."""

    name: Name = Field(LEAVE_AS_IS)
    description: LongText | None = None
    planned_services: list[PlannedServiceIn] = Field(
        LEAVE_AS_IS, min_length=1, max_length=MAX_PLANNED_SERVICES
    )
    public: PublicListing | None = None

    @model_validator(mode="after")
    def _distinct(self) -> "PlanUpdate":
        if "planned_services" in self.model_fields_set:
            _distinct_services(self.planned_services, self)
        return self


class PlanHoursOut(OutputModel):
    every_h: float
    notify_before_h: float | None = None
    offset_h: float | None = None


class PlanDistanceOut(OutputModel):
    every_km: float
    notify_before_km: float | None = None
    offset_km: float | None = None


class PlanDateOut(OutputModel):
    every_days: int | None = None
    every_months: int | None = None
    notify_before_days: int | None = None
    offset_days: int | None = None


class PlanConditionsOut(OutputModel):
    distance: PlanDistanceOut | None = None
    hours: PlanHoursOut | None = None
    date: PlanDateOut | None = None


class PlannedService(OutputModel):
    id: str
    name: str
    description: str | None = None
    conditions: PlanConditionsOut
    recurrent: bool
    anchor: Anchor


class PublicListingOut(OutputModel):
    brand: str
    model: str


class Plan(OutputModel):
    id: str
    owner_account_id: str
    name: str
    description: str | None = None
    planned_services: list[PlannedService]
    public: PublicListingOut | None = None
    revision: int = Field(description="1 for the first; +1 for every change made while the plan was in use")
    in_use: bool = Field(
        description="Assigned since its current revision began: a change makes a new revision (owner's view)"
    )
    access: PlanAccess = Field(
        description="How the caller sees the plan: its own, through a network it is a member of, published, "
        "or assigned to an asset it owns or provides for"
    )
    version: int
    created_at: StoredTime
    updated_at: StoredTime


class PlanQuery(QueryParams):
    limit: PageLimit = 50
    next: Cursor | None = None


class PlanListQuery(PlanQuery):
    network_id: (
        Annotated[
            str,
            Field(
                pattern=described_pattern(ID_PATTERNS["network_id"], "not a network id (net_ and 26 chars)")
            ),
        ]
        | None
    ) = Field(None, description="The plans of a network you own or are a member of, instead of your own")


class PublicPlanQuery(PlanQuery):
    brand: ShortText
    model: ShortText


class PlanPage(Page[Plan]):
    pass


class PlanRevision(OutputModel):
    """A revision of a plan, as the assignments that follow it see it (the current one too)."""

    plan_id: str
    revision: int
    name: str
    planned_services: list[PlannedService]
    created_at: StoredTime = Field(description="When the revision began")
    superseded_at: StoredTime | None = Field(
        None, description="When the next revision replaced it; null: current"
    )
