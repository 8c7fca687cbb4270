"""API models of service registrations: what was done (or skipped) of an asset's planned services."""

from typing import Literal

from pydantic import Field, model_validator

from shared.models.common import InputModel, LongText, OutputModel, StoredTime, Timestamp, rule_broken
from shared.models.plans import MAX_PLANNED_SERVICES, PlannedServiceId
from shared.models.readings import Hours, Odometer
from shared.models.tasks import AssetId, Task

Outcome = Literal["performed", "skipped"]


class RegisteredService(InputModel):
    planned_service_id: PlannedServiceId
    outcome: Outcome = "performed"
    reason: LongText | None = Field(None, description="Why it was skipped (required then)")

    @model_validator(mode="after")
    def _reason_for_a_skip(self) -> "RegisteredService":
        if self.outcome == "skipped" and not self.reason:
            raise rule_broken(self, "reason_needed", "say why the service was skipped", "reason")
        return self


class RegistrationCreate(InputModel):
    asset_id: AssetId
    performed_at: Timestamp | None = Field(
        None, description="Default: now. Earlier: back-filled, with the meters of that time unless given"
    )
    odometer_km: Odometer | None = Field(None, description="Default: the asset's odometer at performed_at")
    hours: Hours | None = Field(None, description="Default: the asset's hours at performed_at")
    comment: LongText | None = None
    services: list[RegisteredService] = Field(min_length=1, max_length=MAX_PLANNED_SERVICES)

    @model_validator(mode="after")
    def _each_once(self) -> "RegistrationCreate":
        seen: set[str] = set()
        for index, service in enumerate(self.services):
            if service.planned_service_id in seen:
                reason = f"service {index} names the same planned service as one before it"
                raise rule_broken(self, "duplicate_item", reason, "services")
            seen.add(service.planned_service_id)
        return self


class RegisteredResult(OutputModel):
    planned_service_id: str
    task_id: str
    outcome: Outcome
    occurrence: int = Field(
        description="The occurrence it settled (for a back-filled one: the one it preceded)"
    )
    restarted: bool = Field(description="The next occurrence counts from this registration")


class Registration(OutputModel):
    asset_id: str
    performed_at: StoredTime
    services: list[RegisteredResult]
    tasks: list[Task] = Field(
        description="The asset's plan tasks that this registration changed, as they are now"
    )
