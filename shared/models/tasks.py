"""API models of service tasks: conditions, snapshots, recipients, and what a task looks like."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, EmailStr, Field, model_validator

from shared.models.common import (
    LEAVE_AS_IS,
    CommaList,
    Cursor,
    Day,
    InputModel,
    Name,
    OutputModel,
    Page,
    PageLimit,
    PartialUpdate,
    QueryParams,
    ShortText,
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


# E.164 exactly: "+", country code and number, digits only, so what is stored is what is dialled.
Phone = Annotated[
    str, Field(pattern=r"^\+[1-9][0-9]{6,14}$", examples=["+4915112345678"]), AfterValidator(_assigned_number)
]


class Recipients(InputModel):
    sms: list[Phone] = Field(default_factory=list, max_length=20, description="Phone numbers in E.164")
    emails: list[EmailStr] = Field(default_factory=list, max_length=20)
    push: bool = False


AttachmentIds = Annotated[list[Annotated[str, Field(min_length=1, max_length=64)]], Field(max_length=20)]


class TaskFields(InputModel):
    name: Name
    description: LongText | None = None
    conditions: Conditions
    start: Snapshot | None = Field(None, description="Default: now and the asset's current meters")
    repeat: bool = Field(False, description="Start the next occurrence when this one is done")
    anchor: Anchor = Field(
        "completion",
        description=(
            "completion: the next occurrence counts from the completion; "
            "cadence: fixed points on the meter or calendar (500 h, 1000 h, ...)"
        ),
    )
    unplanned: bool = Field(False, description="A repair recorded after the fact")
    cost: Money | None = None
    comment: LongText | None = None
    attachment_ids: AttachmentIds = Field(default_factory=list)
    recipients: Recipients = Field(default_factory=Recipients)


class TaskCreate(TaskFields):
    asset_id: str = Field(max_length=64)


class TaskBatchCreate(InputModel):
    asset_ids: list[Annotated[str, Field(max_length=64)]] = Field(min_length=1, max_length=500)
    task: TaskFields

    @model_validator(mode="after")
    def _distinct(self) -> "TaskBatchCreate":
        if len(set(self.asset_ids)) != len(self.asset_ids):
            raise ValueError("asset_ids must not repeat")
        return self


class TaskUpdate(PartialUpdate):
    """Changes to a task. New conditions replace the old ones and apply to the current occurrence."""

    name: Name = Field(LEAVE_AS_IS)
    description: LongText | None = None
    conditions: Conditions = Field(LEAVE_AS_IS)
    repeat: bool = Field(LEAVE_AS_IS)
    anchor: Anchor = Field(LEAVE_AS_IS)
    unplanned: bool = Field(LEAVE_AS_IS)
    cost: Money | None = None
    comment: LongText | None = None
    attachment_ids: AttachmentIds = Field(LEAVE_AS_IS)
    recipients: Recipients = Field(LEAVE_AS_IS)


class CompletionIn(InputModel):
    at: Timestamp | None = Field(None, description="When the work was done; default now")
    odometer_km: Odometer | None = Field(None, description="Default: the asset's current odometer")
    hours: Hours | None = Field(None, description="Default: the asset's current hours")
    cost: Money | None = None
    comment: LongText | None = None
    attachment_ids: AttachmentIds = Field(default_factory=list)


class TaskIds(InputModel):
    task_ids: list[Annotated[str, Field(max_length=128)]] = Field(min_length=1, max_length=100)


class Position(OutputModel):
    at: datetime | None = None
    odometer_km: float | None = None
    hours: float | None = None


class DuePoints(OutputModel):
    odometer_km: float | None = None
    hours: float | None = None
    date: CalendarDate | None = None


class ConditionState(OutputModel):
    kind: ConditionKind
    status: Literal["planned", "upcoming", "overdue"]
    due: float | datetime = Field(description="km, hours, or the due instant")
    warn: float | datetime = Field(description="Where the task becomes upcoming, same unit")
    current: float | datetime | None = None
    remaining: float | None = Field(None, description="km or hours left, or days left; negative when overdue")
    used_percent: float | None = None
    predicted_due_at: datetime | None = None


class Task(OutputModel):
    id: str
    asset_id: str
    name: str
    description: str | None = None
    status: TaskStatus
    occurrence: int = Field(description="1 for the first occurrence, +1 per completion")
    conditions: Conditions
    start: Position
    due: DuePoints
    current: Position
    condition_states: list[ConditionState]
    wear_percent: float | None = Field(None, description="Largest share of any condition used")
    predicted_due_at: datetime | None = Field(None, description="Earliest predicted due time, from usage")
    repeat: bool
    anchor: Anchor
    unplanned: bool
    cost: Money | None = None
    comment: str | None = None
    attachment_ids: list[str]
    recipients: Recipients
    completion: Position | None = Field(None, description="The latest completion snapshot")
    completed_at: datetime | None = None
    version: int
    created_at: datetime
    updated_at: datetime


class TaskResult(OutputModel):
    index: int
    asset_id: str | None = None
    task_id: str | None = None
    status: int
    task: Task | None = None
    error: dict[str, object] | None = None


class TaskBatchResult(OutputModel):
    succeeded: int
    failed: int
    results: list[TaskResult]


SortKey = Literal[
    "due", "-due", "predicted", "-predicted", "wear", "-wear", "name", "-name", "status", "-status"
]


class TaskListQuery(QueryParams):
    asset_id: (
        Annotated[list[Annotated[str, Field(max_length=64)]], CommaList, Field(max_length=100)] | None
    ) = None
    status: Annotated[list[TaskStatus], CommaList] | None = None
    condition: Annotated[list[ConditionKind], CommaList] | None = Field(
        None, description="Has a condition of these kinds"
    )
    due_before: Timestamp | None = None
    due_after: Timestamp | None = None
    q: ShortText | None = Field(None, description="Case-insensitive text in the name")
    repeat: bool | None = None
    unplanned: bool | None = None
    sort: SortKey = Field(
        "due", description="due (earliest first), predicted, wear, name or status; -key reverses"
    )
    limit: PageLimit = 50
    next: Cursor | None = None


class TaskPage(Page[Task]):
    pass


class HistoryEntry(OutputModel):
    task_id: str
    asset_id: str
    occurrence: int
    name: str
    unplanned: bool
    completed_at: datetime
    odometer_km: float | None = None
    hours: float | None = None
    cost: Money | None = None
    comment: str | None = None
    attachment_ids: list[str] = Field(default_factory=list)
    completed_by: str | None = None


class HistoryQuery(QueryParams):
    limit: PageLimit = 50
    next: Cursor | None = None


class HistoryPage(Page[HistoryEntry]):
    pass
