"""What a client sends to create, change, complete or delete service tasks, and batch results."""

from typing import Annotated

from pydantic import Field, model_validator

from shared.models.common import (
    LEAVE_AS_IS,
    InputModel,
    Name,
    OutputModel,
    PartialUpdate,
    Timestamp,
)
from shared.models.conditions import (
    Anchor,
    AttachmentIds,
    Conditions,
    LongText,
    Money,
    Recipients,
    Snapshot,
)
from shared.models.readings import Hours, Odometer
from shared.models.tasks import Task


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
