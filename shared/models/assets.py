"""API models of assets: what a client sends and what it gets back."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field

from shared.ids import ID_PATTERNS
from shared.models.common import (
    LEAVE_AS_IS,
    CommaList,
    Cursor,
    ExternalId,
    InputModel,
    Name,
    NotEmpty,
    OutputModel,
    Page,
    PageLimit,
    PartialUpdate,
    QueryParams,
    ShortText,
    StoredTime,
    WholeNumber,
    described_pattern,
)

AssetType = Literal["vehicle", "machine", "equipment", "accessory"]
Meter = Literal["odometer", "hours"]
ProductionYear = Annotated[int, Field(ge=1900, le=2100), WholeNumber]
Meters = Annotated[
    list[Meter],
    Field(
        max_length=2,
        description="Meters the asset has. Default: vehicle -> odometer, machine -> hours, others none.",
    ),
]


class AssetCreate(InputModel):
    name: Name
    type: AssetType = "vehicle"
    brand: ShortText | None = None
    model: ShortText | None = None
    serial_number: ShortText | None = None
    production_year: ProductionYear | None = None
    external_id: ExternalId | None = Field(None, description="Your own reference; unique per account")
    meters: Meters | None = None


class AssetUpdate(PartialUpdate):
    """Partial update: only the fields present change; ``null`` clears an optional field."""

    name: Name = Field(LEAVE_AS_IS)
    type: AssetType = Field(LEAVE_AS_IS)
    brand: ShortText | None = None
    model: ShortText | None = None
    serial_number: ShortText | None = None
    production_year: ProductionYear | None = None
    external_id: ExternalId | None = None
    meters: Meters = Field(LEAVE_AS_IS)


class MeterPosition(OutputModel):
    at: StoredTime | None = Field(None, description="Time of the latest accepted reading")
    odometer_km: float | None = None
    hours: float | None = None


class MeterOffsets(OutputModel):
    odometer_km: float = Field(0.0, description="Added to raw odometer values after a meter replacement")
    hours: float = Field(0.0, description="Added to raw hour-meter values after a meter replacement")


ServiceStatus = Literal["planned", "upcoming", "overdue"]


class AssetService(OutputModel):
    """The asset's open service tasks in short: the worst status now and what comes next."""

    status: ServiceStatus | None = Field(None, description="Worst status of the open tasks; null without any")
    open_tasks: int = 0
    next_task_id: str | None = None
    next_task_name: str | None = None
    next_due_at: datetime | None = Field(None, description="When the next task falls due, known or predicted")


class AssetUsage(OutputModel):
    km_per_day: float | None = None
    hours_per_day: float | None = None


class Asset(OutputModel):
    id: str
    name: str
    type: AssetType
    brand: str | None = None
    model: str | None = None
    serial_number: str | None = None
    production_year: int | None = None
    external_id: str | None = None
    meters: list[Meter]
    current: MeterPosition
    meter_offsets: MeterOffsets
    usage: AssetUsage = Field(description="Usage per day over the last 30 days of readings")
    service: AssetService
    version: int
    created_at: datetime
    updated_at: datetime


class AssetListQuery(QueryParams):
    type: AssetType | None = None
    brand: ShortText | None = None
    model: ShortText | None = None
    external_id: ExternalId | None = None
    q: ShortText | None = Field(None, description="Case-insensitive text in name, serial or external id")
    service_status: Annotated[list[ServiceStatus], CommaList, NotEmpty] | None = Field(
        None, description="Assets whose worst open task has one of these statuses"
    )
    plan_id: (
        Annotated[
            str,
            Field(
                pattern=described_pattern(ID_PATTERNS["plan_id"], "not a plan id (pln_ and 26 characters)")
            ),
        ]
        | None
    ) = Field(None, description="Assets on this service plan (any revision), by revision and asset")
    limit: PageLimit = 50
    next: Cursor | None = None


class AssetPage(Page[Asset]):
    pass
