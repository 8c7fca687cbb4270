"""API models of providers: the accounts an asset owner lets see and service some of its assets,
and what such a provider sees of them (docs/plans.md, "Providers")."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from shared.ids import ID_PATTERNS
from shared.models.assets import Asset, ServiceStatus
from shared.models.assignments import PlanId
from shared.models.common import (
    CommaList,
    Cursor,
    InputModel,
    ItemError,
    NotEmpty,
    OutputModel,
    Page,
    PageLimit,
    QueryParams,
    StoredTime,
    described_pattern,
    rule_broken,
    some_entries,
)
from shared.models.tasks import AssetId

MAX_BULK = 500
AccountId = Annotated[
    str,
    Field(
        pattern=described_pattern(
            ID_PATTERNS["account_id"], "not an account id (1 to 64 of A-Z, a-z, 0-9, _ and -)"
        )
    ),
]


class ProviderAssets(InputModel):
    model_config = ConfigDict(json_schema_extra=some_entries("add", "remove"))
    add: list[AssetId] = Field(
        default_factory=list, max_length=MAX_BULK, description="Let the provider see these"
    )
    remove: list[AssetId] = Field(
        default_factory=list,
        max_length=MAX_BULK,
        description="Take them back (at once; for good after 4 hours)",
    )

    @model_validator(mode="after")
    def _distinct(self) -> "ProviderAssets":
        if not self.add and not self.remove:
            raise ValueError("give at least one asset in add or remove")
        for name in ("add", "remove"):
            values = getattr(self, name)
            if len(set(values)) != len(values):
                raise rule_broken(self, "duplicate_item", "an asset is named twice", name)
        if set(self.add) & set(self.remove):
            raise rule_broken(self, "duplicate_item", "an asset is both added and removed", "remove")
        return self


class ProviderAssetResult(OutputModel):
    index: int
    operation: Literal["add", "remove"]
    asset_id: str
    status: int = Field(description="200 or 201 when done; else the status the entry alone would get")
    error: ItemError | None = None


class ProviderAssetsResult(OutputModel):
    provider_account_id: str
    succeeded: int
    failed: int
    results: list[ProviderAssetResult]


class Grant(OutputModel):
    provider_account_id: str
    asset_id: str
    granted_at: StoredTime
    revoked_at: StoredTime | None = Field(None, description="Taken back: hidden from the provider since")
    version: int


class GrantQuery(QueryParams):
    asset_id: AssetId | None = Field(None, description="The providers of one of your assets")
    limit: PageLimit = 50
    next: Cursor | None = None


class GrantPage(Page[Grant]):
    pass


class ProvidedAsset(Asset):
    customer_account_id: str = Field(description="The asset's owner, whose provider you are")


class ProvidedService(OutputModel):
    """Your own open tasks on the asset (those of the plans you provide for), in short."""

    status: ServiceStatus | None = Field(
        None, description="Worst status of your open tasks; null without any"
    )
    open_tasks: int = 0
    warn_at: datetime | None = Field(
        None, description="When the first of them entered or enters its warning range"
    )
    due_at: datetime | None = Field(None, description="When the first of them fell or falls due, if known")
    plan_ids: list[str] = Field(description="The plans you provide for on the asset that have open tasks")


class ProvidedAssetEntry(OutputModel):
    asset_id: str
    name: str
    customer_account_id: str = Field(description="The asset's owner, whose provider you are")
    granted_at: StoredTime
    service: ProvidedService


class ProvidedAssetQuery(QueryParams):
    customer_id: AccountId | None = Field(None, description="Only this customer's assets")
    service_status: Annotated[list[ServiceStatus], CommaList, NotEmpty] | None = Field(
        None, description="Assets whose worst open task of yours has one of these statuses, soonest first"
    )
    plan_id: PlanId | None = Field(None, description="Assets with open tasks of this plan of yours")
    limit: PageLimit = 50
    next: Cursor | None = None


class ProvidedAssetPage(Page[ProvidedAssetEntry]):
    pass
