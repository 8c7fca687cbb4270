"""What a client sends to create, change, complete or delete service tasks, and batch results."""

from typing import Annotated

from pydantic import Field, model_validator

from shared.ids import ID_PATTERNS
from shared.models.common import (
    InputModel,
    LongText,
    Name,
    OutputModel,
    Timestamp,
    WholeNumber,
)
from shared.models.conditions import (
    Anchor,
    AttachmentIds,
    Conditions,
    Money,
    Recipients,
    Snapshot,
)
from shared.models.readings import Hours, Odometer
from shared.models.tasks import AssetId, Task


class TaskFields(InputModel):
    name: Name
    description: LongText | None = None
    conditions: Conditions
    start: Snapshot | None = Field(
        None,
        description="Default: now and the asset's current meters; a past time takes the meters read then",
    )
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
    asset_ids: list[Annotated[str, Field(max_length=64)]] = Field(
        min_length=1, max_length=500, json_schema_extra={"uniqueItems": True}
    )
    task: TaskFields

    @model_validator(mode="after")
    def _distinct(self) -> "TaskBatchCreate":
        if len(set(self.asset_ids)) != len(self.asset_ids):
            raise ValueError("asset_ids must not repeat")
        return self


class CompletionIn(InputModel):
    occurrence: Annotated[int, Field(ge=1, le=1_000_000), WholeNumber] | None = Field(
        None,
        description="The occurrence this completes (see the task's occurrence); default: the current one "
        "when the request arrives. If another completion got there first: 409 occurrence_completed",
    )
    at: Timestamp | None = Field(None, description="When the work was done; default now")
    odometer_km: Odometer | None = Field(
        None, description="Default: the asset's odometer at that time (its latest reading then)"
    )
    hours: Hours | None = Field(
        None, description="Default: the asset's hours at that time (its latest reading then)"
    )
    cost: Money | None = None
    comment: LongText | None = None
    attachment_ids: AttachmentIds = Field(default_factory=list)


class TaskIds(InputModel):
    task_ids: list[Annotated[str, Field(max_length=128)]] = Field(min_length=1, max_length=100)


class TaskResult(OutputModel):
    """One item of a batch. ``asset_id`` and ``task_id`` name what the item was about when what
    was sent is an id; they are null when it was not one (``index`` says which item it was)."""

    index: int
    asset_id: AssetId | None = None
    task_id: Annotated[str, Field(pattern=ID_PATTERNS["task_id"])] | None = None
    status: int
    task: Task | None = None
    error: dict[str, object] | None = None


class TaskBatchResult(OutputModel):
    succeeded: int
    failed: int
    results: list[TaskResult]
