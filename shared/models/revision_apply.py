"""API models of applying a plan revision to the assets that follow another one (or a preview)."""

from typing import Annotated

from pydantic import Field, model_validator

from shared.models.common import InputModel, ItemError, OutputModel, rule_broken
from shared.models.tasks import AssetId, DuePoints

MAX_ASSETS = 500


class RevisionApply(InputModel):
    asset_ids: Annotated[list[AssetId], Field(min_length=1, max_length=MAX_ASSETS)] | None = Field(
        None,
        description="Only these of your assets (default: every asset of yours on the plan)",
        json_schema_extra={"uniqueItems": True},
    )
    dry_run: bool = Field(False, description="Tell what would change and change nothing")

    @model_validator(mode="after")
    def _each_once(self) -> "RevisionApply":
        if self.asset_ids and len(set(self.asset_ids)) != len(self.asset_ids):
            raise rule_broken(self, "duplicate_item", "an asset is named twice", "asset_ids")
        return self


class ServiceAdded(OutputModel):
    planned_service_id: str
    due: DuePoints


class ServiceChanged(OutputModel):
    planned_service_id: str
    task_id: str
    due_before: DuePoints
    due_after: DuePoints


class ServiceRemoved(OutputModel):
    planned_service_id: str
    task_id: str


class AssetApplied(OutputModel):
    asset_id: str
    status: int = Field(
        description="200 when applied (or, in a dry run, when it would be); else the error's status"
    )
    revision_before: int | None = None
    added: list[ServiceAdded] = Field(default_factory=list)
    changed: list[ServiceChanged] = Field(default_factory=list)
    removed: list[ServiceRemoved] = Field(default_factory=list)
    error: ItemError | None = None


class RevisionApplied(OutputModel):
    plan_id: str
    revision: int
    dry_run: bool
    succeeded: int
    failed: int
    results: list[AssetApplied]
