"""What a service task looks like when read, and how lists of tasks are asked for."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from shared.ids import ID_PATTERNS
from shared.models.common import (
    CommaList,
    Cursor,
    NotEmpty,
    OutputModel,
    Page,
    PageLimit,
    QueryParams,
    ShortText,
    StoredTime,
    Timestamp,
    described_pattern,
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
    at: StoredTime | None = None
    odometer_km: float | None = None
    hours: float | None = None


class DuePoints(OutputModel):
    odometer_km: float | None = None
    hours: float | None = None
    date: CalendarDate | None = None


class ConditionState(OutputModel):
    kind: ConditionKind
    status: TaskStatus = Field(
        description="The condition's own status; done for every condition of a done task"
    )
    due: float | datetime = Field(description="km, hours, or the due instant")
    warn: float | datetime = Field(description="Where the task becomes upcoming, same unit")
    current: float | datetime | None = None
    remaining: float | None = Field(None, description="km or hours left, or days left; negative when overdue")
    used_percent: float | None = None
    predicted_due_at: datetime | None = None


class TaskPlan(OutputModel):
    """The plan assignment a task carries out (docs/plans.md)."""

    plan_id: str
    planned_service_id: str
    revision: int
    provider_account_id: str | None = None


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
    predicted_due_at: datetime | None = Field(
        None,
        description="The predicted end date (seed term): the same instant as due_at for an open task; "
        "null for a done one",
    )
    due_at: datetime | None = Field(
        None,
        description="When the occurrence falls due, whichever condition comes first: the earliest of the "
        "known instants (a date's due instant, the time a reading reached a meter's due point) and the "
        "predicted ones (a meter point at the asset's usage). A prediction is never earlier than now "
        "while the task is not overdue. What sort=due orders by and due_before/due_after filter on",
    )
    repeat: bool
    anchor: Anchor
    unplanned: bool
    cost: Money | None = None
    comment: str | None = None
    attachment_ids: list[str]
    recipients: Recipients
    plan: TaskPlan | None = Field(None, description="Set on a task a plan assignment made")
    completion: Position | None = Field(None, description="The latest completion snapshot")
    completed_at: StoredTime | None = None
    version: int
    created_at: datetime
    updated_at: datetime


SortKey = Literal[
    "due", "-due", "predicted", "-predicted", "wear", "-wear", "name", "-name", "status", "-status"
]


# An id that cannot exist is refused rather than passed over: a list filtered by a mistyped id
# would otherwise be silently empty.
AssetId = Annotated[
    str, Field(pattern=described_pattern(ID_PATTERNS["asset_id"], "not an asset id (ast_ and 26 characters)"))
]


class TaskFilters(QueryParams):
    """Which tasks: the filters of the task list, shared by its report."""

    asset_id: Annotated[list[AssetId], CommaList, Field(min_length=1, max_length=100)] | None = Field(
        None, description="Tasks of these assets (comma-separated or repeated)"
    )
    status: Annotated[list[TaskStatus], CommaList, NotEmpty] | None = None
    condition: Annotated[list[ConditionKind], CommaList, NotEmpty] | None = Field(
        None, description="Has a condition of these kinds"
    )
    due_before: Timestamp | None = Field(None, description="Tasks whose due_at is before this time")
    due_after: Timestamp | None = Field(None, description="Tasks whose due_at is at or after this time")
    q: ShortText | None = Field(None, description="Case-insensitive text in the name")
    repeat: bool | None = None
    unplanned: bool | None = None


class TaskListQuery(TaskFilters):
    sort: SortKey = Field(
        "due", description="due (earliest first), predicted, wear, name or status; -key reverses"
    )
    limit: PageLimit = 50
    next: Cursor | None = None


class TaskPage(Page[Task]):
    pass
