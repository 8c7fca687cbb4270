"""API models of an account's work-order catalogues: statuses, types, close reasons and hourly
rates (sites: shared/models/sites.py). docs/work-orders.md ("Catalogues") explains them."""

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from shared.ids import KEY_PATTERN
from shared.models.common import (
    LEAVE_AS_IS,
    NOT_BLANK,
    Cursor,
    InputModel,
    OutputModel,
    Page,
    PageLimit,
    PartialUpdate,
    QueryParams,
    ShortText,
    StoredTime,
    WholeNumber,
    described_pattern,
)

CatalogueKey = Annotated[
    str,
    Field(
        pattern=described_pattern(
            KEY_PATTERN, "lower-case letters, digits and _, starting with a letter, at most 40 characters"
        ),
        examples=["waiting_for_parts"],
    ),
]
Position = Annotated[int, Field(ge=1, le=999, description="Step in the workflow, 1 to 999"), WholeNumber]
Outcome = Literal["complete", "incomplete"]
Transitions = Annotated[
    list[CatalogueKey],
    Field(
        max_length=50,
        description="The open statuses an order may move to from this one; null: any later open "
        "status or the one just before (by position)",
    ),
]


class OrderStatusCreate(InputModel):
    key: CatalogueKey = Field(description="How orders and API calls name the status; fixed once made")
    name: ShortText
    position: Position
    category: Literal["open"] = Field(
        "open", description="Only open statuses can be added: the two closed ones are the system's"
    )
    starts_work: bool = Field(False, description="Moving into it records the order's actual start")
    transitions: Transitions | None = None


class OrderStatusUpdate(PartialUpdate):
    """Only the fields sent change. A closed (system) status takes a new name and position only."""

    name: ShortText = Field(LEAVE_AS_IS)
    position: Position = Field(LEAVE_AS_IS)
    category: Literal["open"] = Field(LEAVE_AS_IS)
    starts_work: bool = Field(LEAVE_AS_IS)
    transitions: Transitions | None = None


class OrderStatus(OutputModel):
    key: str
    name: str
    position: int
    category: Literal["open", "closed"]
    starts_work: bool
    transitions: list[str] | None = None
    seeded: bool = Field(description="Every account has it from the start (changed, it stays seeded)")
    version: int = Field(description="0 for a seeded status the account never changed")
    updated_at: StoredTime | None = None


class OrderStatusList(OutputModel):
    items: list[OrderStatus] = Field(description="In position order")


class OrderTypeCreate(InputModel):
    key: CatalogueKey
    name: ShortText


class OrderTypeUpdate(PartialUpdate):
    name: ShortText = Field(LEAVE_AS_IS)


class OrderType(OutputModel):
    key: str
    name: str
    code: int | None = Field(None, description="The built-in types' numeric code (1001 install ... 1007)")
    built_in: bool
    version: int = Field(description="0 for a built-in type the account never renamed")
    updated_at: StoredTime | None = None


class OrderTypeList(OutputModel):
    items: list[OrderType] = Field(description="The built-in types by code, then the account's by key")


class OrderReasonCreate(InputModel):
    code: CatalogueKey = Field(description="Unique across both outcomes")
    outcome: Outcome = Field(description="The close it explains")
    name: ShortText


class OrderReasonQuery(QueryParams):
    outcome: Outcome | None = Field(None, description="Only the reasons for this close")


class OrderReason(OutputModel):
    code: str
    outcome: Outcome
    name: str
    seeded: bool
    version: int
    updated_at: StoredTime | None = None


class OrderReasonList(OutputModel):
    items: list[OrderReason] = Field(description="By outcome, then code")


PricePerHour = Annotated[
    float,
    Field(
        gt=0,
        le=1_000_000,
        description="In the account's currency, kept to its minor unit (2 decimals for EUR)",
    ),
]
RateCode = Annotated[
    str,
    StringConstraints(min_length=1, max_length=40, pattern=NOT_BLANK),
    Field(description="Your own code, e.g. an ERP article number"),
]


class HourlyRateCreate(InputModel):
    name: ShortText
    code: RateCode | None = None
    price_per_hour: PricePerHour
    active: bool = Field(True, description="Only active rates can go on a work order's labour")


class HourlyRateUpdate(PartialUpdate):
    name: ShortText = Field(LEAVE_AS_IS)
    code: RateCode | None = None
    price_per_hour: PricePerHour = Field(LEAVE_AS_IS)
    active: bool = Field(LEAVE_AS_IS)


class HourlyRate(OutputModel):
    id: str
    name: str
    code: str | None = None
    price_per_hour: float
    currency: str = Field(description="The account's currency when the rate was made")
    active: bool
    version: int
    created_at: StoredTime
    updated_at: StoredTime


class HourlyRateQuery(QueryParams):
    active: bool | None = Field(None, description="Only active (true) or inactive (false) rates")
    limit: PageLimit = 50
    next: Cursor | None = None


class HourlyRatePage(Page[HourlyRate]):
    pass
