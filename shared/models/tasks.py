"""What a service task looks like when read, and how lists of tasks are asked for."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from shared.models.common import (
    CommaList,
    Cursor,
    OutputModel,
    Page,
    PageLimit,
    QueryParams,
    ShortText,
    Timestamp,
)
from shared.models.conditions import (
    Anchor,
    CalendarDate,
    ConditionKind,
    Conditions,
    Money,
    Recipients,
    TaskStatus,
)


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
    due_at: datetime | None = Field(
        None,
        description="When the occurrence falls due: the earliest of a date's due instant and the time a "
        "reading reached a meter's due point, else the predicted time; what sort=due orders by",
    )
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


SortKey = Literal[
    "due", "-due", "predicted", "-predicted", "wear", "-wear", "name", "-name", "status", "-status"
]


class TaskFilters(QueryParams):
    """Which tasks: the filters of the task list, shared by its report."""

    status: Annotated[list[TaskStatus], CommaList] | None = None
    condition: Annotated[list[ConditionKind], CommaList] | None = Field(
        None, description="Has a condition of these kinds"
    )
    due_before: Timestamp | None = None
    due_after: Timestamp | None = None
    q: ShortText | None = Field(None, description="Case-insensitive text in the name")
    repeat: bool | None = None
    unplanned: bool | None = None


class TaskListQuery(TaskFilters):
    asset_id: (
        Annotated[list[Annotated[str, Field(max_length=64)]], CommaList, Field(max_length=100)] | None
    ) = None
    sort: SortKey = Field(
        "due", description="due (earliest first), predicted, wear, name or status; -key reverses"
    )
    limit: PageLimit = 50
    next: Cursor | None = None


class TaskPage(Page[Task]):
    pass
