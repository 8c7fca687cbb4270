"""API models of plan assignments: a plan on an asset, and who provides the service.

An assignment is active when it has both a plan and a provider; then each planned service of its
revision is a service task on the asset (docs/plans.md, "Assignments").
"""

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from shared.ids import ID_PATTERNS
from shared.models.common import (
    Cursor,
    InputModel,
    ItemError,
    OutputModel,
    Page,
    PageLimit,
    QueryParams,
    StoredTime,
    Timestamp,
    described_pattern,
    rule_broken,
    some_entries,
)
from shared.models.readings import Hours, Odometer
from shared.models.tasks import AssetId

MAX_BULK = 500
PlanId = Annotated[
    str, Field(pattern=described_pattern(ID_PATTERNS["plan_id"], "not a plan id (pln_ and 26 characters)"))
]
AssignmentState = Literal["active", "pending", "inactive"]


class LastService(InputModel):
    """When the service was last done, where the plan should count from."""

    at: Timestamp
    odometer_km: Odometer | None = Field(
        None, description="The odometer then; default: counted from the grid"
    )
    hours: Hours | None = Field(None, description="The operating hours then; default: counted from the grid")


class AssignmentAdd(InputModel):
    asset_id: AssetId
    plan_id: PlanId
    provide_for: bool = Field(False, description="You provide the service (you can only name yourself)")
    last_service: LastService | None = Field(
        None, description="The first service counts from here instead of the plan's grid (it may be overdue)"
    )


class AssignmentRemove(InputModel):
    asset_id: AssetId
    plan_id: PlanId


def _repeated(model: InputModel, field: str, pairs: list[tuple[str, str]]) -> None:
    seen: set[tuple[str, str]] = set()
    for index, pair in enumerate(pairs):
        if pair in seen:
            raise rule_broken(
                model,
                "duplicate_item",
                f"entry {index} names the same asset and plan as one before it",
                field,
            )
        seen.add(pair)


class AssignmentChanges(InputModel):
    model_config = ConfigDict(json_schema_extra=some_entries("add", "remove"))
    add: list[AssignmentAdd] = Field(default_factory=list, max_length=MAX_BULK)
    remove: list[AssignmentRemove] = Field(default_factory=list, max_length=MAX_BULK)

    @model_validator(mode="after")
    def _distinct(self) -> "AssignmentChanges":
        if not self.add and not self.remove:
            raise ValueError("give at least one entry in add or remove")
        _repeated(self, "add", [(entry.asset_id, entry.plan_id) for entry in self.add])
        _repeated(self, "remove", [(entry.asset_id, entry.plan_id) for entry in self.remove])
        both = {(e.asset_id, e.plan_id) for e in self.add} & {(e.asset_id, e.plan_id) for e in self.remove}
        if both:
            raise rule_broken(
                self, "duplicate_item", "an asset and plan are both added and removed", "remove"
            )
        return self


class Assignment(OutputModel):
    asset_id: str
    plan_id: str
    plan_owner_account_id: str
    revision: int = Field(description="The plan revision the asset follows")
    outdated: bool = Field(description="The plan has a newer revision than this assignment follows")
    provider_account_id: str | None = None
    state: AssignmentState = Field(
        description="active: plan and provider, its tasks open; pending: no provider yet; "
        "inactive: the provider left, its tasks kept as they were"
    )
    task_ids: list[str]
    version: int
    created_at: StoredTime
    updated_at: StoredTime


class AssignmentResult(OutputModel):
    index: int
    operation: Literal["add", "remove"]
    asset_id: str
    plan_id: str
    status: int = Field(description="200, 201 or 204 when done; else the status the entry alone would get")
    assignment: Assignment | None = None
    error: ItemError | None = None


class AssignmentChangeResult(OutputModel):
    succeeded: int
    failed: int
    results: list[AssignmentResult]


class AssignmentQuery(QueryParams):
    asset_id: AssetId | None = Field(None, description="The assignments of one asset")
    provided: bool = Field(
        False, description="The assignments you provide for, on your customers' assets and yours, by plan"
    )
    limit: PageLimit = 50
    next: Cursor | None = None


class AssignmentPage(Page[Assignment]):
    pass
