"""API models of overlays: a provider's own warning thresholds over a plan it provides for
(docs/plans.md, "Overlays")."""

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from shared.models.assignments import PlanId
from shared.models.common import Cursor, InputModel, OutputModel, Page, PageLimit, QueryParams, StoredTime
from shared.models.conditions import Lead, LeadDays
from shared.models.plans import PlannedServiceId
from shared.models.tasks import AssetId

_LEADS = ("notify_before_h", "notify_before_km", "notify_before_days")


class OverlayPut(InputModel):
    # JSON Schema: at least one lead is given, and not null.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": [lead], "properties": {lead: {"not": {"type": "null"}}}} for lead in _LEADS
            ]
        }
    )
    plan_id: PlanId
    planned_service_id: PlannedServiceId | None = Field(None, description="One planned service; default: all")
    asset_id: AssetId | None = Field(
        None, description="One asset; default: every asset you provide the plan for"
    )
    notify_before_h: Lead | None = Field(None, description="Upcoming from this many hours before due")
    notify_before_km: Lead | None = Field(None, description="Upcoming from this many km before due")
    notify_before_days: LeadDays | None = Field(None, description="Upcoming from this many days before due")

    @model_validator(mode="after")
    def _some_lead(self) -> "OverlayPut":
        if self.notify_before_h is None and self.notify_before_km is None and self.notify_before_days is None:
            raise ValueError("give at least one of notify_before_h, notify_before_km, notify_before_days")
        return self


class Overlay(OutputModel):
    id: str
    plan_id: str
    planned_service_id: str | None = None
    asset_id: str | None = None
    notify_before_h: float | None = None
    notify_before_km: float | None = None
    notify_before_days: int | None = None
    applied: Literal["done", "in_progress"] = Field(
        description="done: every task it covers has its thresholds; in_progress: the rest follow within "
        "a few evaluation periods (more than 500 assets)"
    )
    assets: int = Field(description="Assets brought to it by this request")
    version: int
    created_at: StoredTime
    updated_at: StoredTime


class OverlayQuery(QueryParams):
    plan_id: PlanId | None = Field(None, description="The overlays over one plan")
    limit: PageLimit = 50
    next: Cursor | None = None


class OverlayPage(Page[Overlay]):
    pass
