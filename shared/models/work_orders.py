"""What a client sends to create and change work orders, and what it reads back."""

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from shared.ids import KEY_PATTERN
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
    Timestamp,
    described_pattern,
    rule_broken,
)
from shared.models.contact import Email, Phone

NUMBER_PATTERN = described_pattern("^([Ww][Oo]-)?[0-9]{1,12}$", "an order number such as WO-000042 or 42")
Priority = Literal["low", "normal", "high", "urgent"]
Key = Annotated[str, Field(pattern=KEY_PATTERN, description="lower case letters, digits and _")]
# Ids in a body: anything that is not one of the account's is a 404 naming the field.
BodyId = Annotated[str, Field(min_length=1, max_length=64)]
ServiceCode = Annotated[str, Field(min_length=1, max_length=40)]


class Customer(InputModel):
    """Who the work is for, as known when the order was made (a snapshot, not a reference)."""

    number: ShortText | None = None
    name: Name | None = None
    email: Email | None = None
    phone: Phone | None = None


class Assignee(InputModel):
    id: ShortText = Field(description="The user's id in the account's identity provider")
    name: Name | None = None
    primary: bool = Field(False, description="The one responsible; default: the first assignee")


def _unique(values: list[str], field: str, model: InputModel) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            raise rule_broken(model, "repeated", f"{field}[{index}] is given twice", field)
        seen.add(value)


class OrderFields(InputModel):
    """What create and update have in common: every field optional but the title."""

    description: LongText | None = None
    type: Key | None = Field(None, description="Default: install")
    priority: Priority | None = Field(None, description="Default: normal")
    customer: Customer | None = None
    site_id: BodyId | None = Field(None, description="Where the work is done (a site of kind customer)")
    depot_id: BodyId | None = Field(None, description="The depot that does it (a site of kind depot)")
    assignees: list[Assignee] | None = Field(None, max_length=5)
    planned_start: Timestamp | None = None
    planned_end: Timestamp | None = None
    actual_start: Timestamp | None = Field(None, description="Default: when a starts_work status is reached")
    actual_end: Timestamp | None = None
    asset_ids: list[BodyId] | None = Field(None, max_length=10)
    task_ids: list[BodyId] | None = Field(
        None, max_length=20, description="Open tasks the order does; their assets are added"
    )
    service_codes: list[ServiceCode] | None = Field(None, max_length=20)

    @model_validator(mode="after")
    def _consistent(self) -> "OrderFields":
        for name in ("asset_ids", "task_ids", "service_codes"):
            _unique(getattr(self, name) or [], name, self)
        assignees = self.assignees or []
        _unique([a.id for a in assignees], "assignees", self)
        if sum(a.primary for a in assignees) > 1:
            raise rule_broken(self, "two_primaries", "at most one assignee is primary", "assignees")
        for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
            began, ended = getattr(self, start), getattr(self, end)
            if began is not None and ended is not None and ended < began:
                raise rule_broken(self, "ends_before_start", f"{end} is before {start}", end)
        return self


class OrderCreate(OrderFields):
    title: Name
    status: Key | None = Field(None, description="An open status; default: the first one")


class OrderUpdate(PartialUpdate, OrderFields):
    """Fields left out stay; ``null`` clears an optional one (lists become empty)."""

    title: Name = Field(LEAVE_AS_IS)
    type: Key = Field(LEAVE_AS_IS)
    priority: Priority = Field(LEAVE_AS_IS)


class StatusMove(InputModel):
    status: Key
    from_: Key | None = Field(
        None, alias="from", description="The status the client saw; 409 status_changed if it moved since"
    )
    comment: LongText | None = None


class AssetMeters(InputModel):
    asset_id: BodyId
    odometer_km: float | None = Field(None, ge=0, le=100_000_000)
    hours: float | None = Field(None, ge=0, le=10_000_000)


class OrderClose(InputModel):
    outcome: Literal["complete", "incomplete"]
    reason_code: Key | None = Field(None, description="Required for incomplete (/work-order-reasons)")
    comment: LongText | None = None
    at: Timestamp | None = Field(None, description="When the work ended; default: now")
    meters: list[AssetMeters] = Field(
        default_factory=list, max_length=10, description="Meters read when the work ended, per asset"
    )

    @model_validator(mode="after")
    def _one_per_asset(self) -> "OrderClose":
        _unique([m.asset_id for m in self.meters], "meters", self)
        return self


class OrderReopen(InputModel):
    status: Key | None = Field(None, description="An open status; default: the one before the close")
    comment: LongText | None = None


class SiteCopy(OutputModel):
    id: str
    name: str
    number: str | None = None
    kind: str | None = None
    address: dict[str, str] | None = None


class KindTotal(OutputModel):
    net: float
    tax: float
    gross: float


class OrderTotals(OutputModel):
    currency: str | None = None
    net: float = 0.0
    tax: float = 0.0
    gross: float = 0.0
    by_kind: dict[str, KindTotal] = Field(default_factory=dict)


class CoveredTask(OutputModel):
    id: str
    asset_id: str
    name: str
    occurrence: int = Field(description="The occurrence the order does")
    result: Literal["open", "completed", "skipped", "released"] = "open"


class ClosedAs(OutputModel):
    outcome: Literal["complete", "incomplete"]
    reason_code: str | None = None
    comment: str | None = None
    at: StoredTime
    by: str | None = None


class PublicLinkState(OutputModel):
    created_at: StoredTime = Field(description="When the current public link was made")


class WorkOrder(OutputModel):
    id: str
    number: int
    display_number: str = Field(description="The number as shown to people: WO-000042")
    title: str
    description: str | None = None
    type: str
    priority: Priority
    status: str
    state: Literal["open", "closed"]
    customer: dict[str, str] | None = None
    site: SiteCopy | None = None
    depot: SiteCopy | None = None
    assignees: list[dict[str, str | bool]] = Field(default_factory=list)
    planned_start: StoredTime | None = None
    planned_end: StoredTime | None = None
    actual_start: StoredTime | None = None
    actual_end: StoredTime | None = None
    asset_ids: list[str] = Field(default_factory=list)
    tasks: list[CoveredTask] = Field(default_factory=list)
    service_codes: list[str] = Field(default_factory=list)
    closed: ClosedAs | None = None
    totals: OrderTotals = Field(default_factory=OrderTotals)
    version: int
    created_at: StoredTime
    updated_at: StoredTime
    created_by: str | None = None
    public_link: PublicLinkState | None = Field(None, description="Set while a public status link exists")


class OrderEvent(OutputModel):
    model_config = ConfigDict(from_attributes=True, serialize_by_alias=True, validate_by_name=True)

    seq: int
    at: StoredTime
    by: str | None = None
    type: str
    from_: str | None = Field(None, alias="from")
    to: str | None = None
    comment: str | None = None
    changes: dict[str, dict[str, object]] = Field(default_factory=dict)


OrderSort = Literal["number", "-number", "planned", "-planned", "closed", "-closed"]


class OrderQuery(QueryParams):
    """Which orders, in which order: what GET /work-orders and its report (format=...) share."""

    state: Literal["open", "closed"] | None = None
    status: Key | None = None
    type: Key | None = None
    priority: Priority | None = None
    assignee: ShortText | None = Field(None, description="An assignee's id")
    asset_id: BodyId | None = None
    site_id: BodyId | None = None
    depot_id: BodyId | None = None
    customer_number: ShortText | None = None
    planned_from: Timestamp | None = None
    planned_to: Timestamp | None = None
    closed_from: Timestamp | None = None
    closed_to: Timestamp | None = None
    q: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        None, description="Text in the number, title, customer, site, assets or notes (any case)"
    )
    customer: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        None, description="Text in the customer's number, name, email or phone (any case)"
    )
    number: Annotated[str, Field(pattern=NUMBER_PATTERN)] | None = Field(
        None, description="One order by its number: WO-000042 or 42"
    )
    sort: OrderSort = Field("number", description="number (default), planned or closed; - reverses")

    @model_validator(mode="after")
    def _one_text_search(self) -> "OrderQuery":
        if self.q is not None and (self.customer is not None or self.number is not None):
            raise rule_broken(
                self, "q_combined", "q searches everything; send it without customer or number", "q"
            )
        return self


class OrderListQuery(OrderQuery):
    limit: PageLimit = 50
    next: Cursor | None = None


class OrderPage(Page[WorkOrder]):
    pass


class EventQuery(QueryParams):
    order: Literal["asc", "desc"] = "asc"
    limit: PageLimit = 50
    next: Cursor | None = None


class EventPage(Page[OrderEvent]):
    pass
