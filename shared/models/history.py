"""An asset's service history: the completed occurrences of its tasks."""

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


class HistoryEntry(OutputModel):
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


class HistoryQuery(QueryParams):
    limit: PageLimit = 50
    next: Cursor | None = None


class HistoryPage(Page[HistoryEntry]):
    pass
