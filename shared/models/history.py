"""An asset's service history: the completed occurrences of its tasks and its closed work orders
(a work order's task completions are inside its entry, not listed again)."""

from typing import Annotated, Literal

from pydantic import Field

from shared.models.common import (
    Cursor,
    OutputModel,
    Page,
    PageLimit,
    QueryParams,
    StoredTime,
)
from shared.models.conditions import Money
from shared.models.work_orders import CoveredTask, OrderTotals


class TaskHistoryEntry(OutputModel):
    kind: Literal["task"] = "task"
    task_id: str
    asset_id: str
    occurrence: int
    name: str
    unplanned: bool
    completed_at: StoredTime
    odometer_km: float | None = None
    hours: float | None = None
    cost: Money | None = None
    comment: str | None = None
    attachment_ids: list[str] = Field(default_factory=list)
    completed_by: str | None = None
    outcome: Literal["performed", "skipped"] = Field(
        "performed", description="skipped: a registration said the service was not done (comment: why)"
    )
    planned_service_id: str | None = Field(None, description="The planned service a registration settled")


class OrderHistoryEntry(OutputModel):
    """A closed work order, in the history of each asset it covered."""

    kind: Literal["work_order"]
    work_order_id: str
    asset_id: str
    number: int
    display_number: str
    title: str
    type: str
    outcome: Literal["complete", "incomplete"]
    reason_code: str | None = None
    comment: str | None = None
    completed_at: StoredTime = Field(description="When the order was closed")
    planned_start: StoredTime | None = None
    actual_start: StoredTime | None = None
    actual_end: StoredTime | None = None
    site: str | None = Field(None, description="The site's name")
    totals: OrderTotals | None = None
    completed_by: str | None = None
    status: str = Field(description="The closed status the order ended in")
    ordered_at: StoredTime = Field(description="When the order was made")
    customer: dict[str, str] | None = None
    assignees: list[str] = Field(default_factory=list, description="The assignees' ids")
    primary_assignee: str | None = None
    service_codes: list[str] = Field(default_factory=list)
    tasks: list[CoveredTask] = Field(default_factory=list, description="This asset's tasks in the order")


HistoryEntry = Annotated[TaskHistoryEntry | OrderHistoryEntry, Field(discriminator="kind")]


class HistoryQuery(QueryParams):
    limit: PageLimit = 50
    next: Cursor | None = None


class HistoryPage(Page[HistoryEntry]):
    pass
