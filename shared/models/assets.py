"""API models of assets: what a client sends and what it gets back."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from shared.models.common import (
    Cursor,
    ExternalId,
    InputModel,
    Name,
    OutputModel,
    Page,
    PageLimit,
    ShortText,
)

AssetType = Literal["vehicle", "machine", "equipment", "accessory"]
Meter = Literal["odometer", "hours"]
ProductionYear = Annotated[int, Field(ge=1900, le=2100)]
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


class AssetUpdate(InputModel):
    """Partial update: only the fields present change; ``null`` clears an optional field."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1})

    # Required on an asset: may be left out of an update, but not set to null.
    name: Name | SkipJsonSchema[None] = None
    type: AssetType | SkipJsonSchema[None] = None
    brand: ShortText | None = None
    model: ShortText | None = None
    serial_number: ShortText | None = None
    production_year: ProductionYear | None = None
    external_id: ExternalId | None = None
    meters: Meters | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _something_to_change(self) -> "AssetUpdate":
        if not self.model_fields_set:
            raise ValueError("send at least one field to change")
        for required in ("name", "type", "meters"):
            if required in self.model_fields_set and getattr(self, required) is None:
                raise ValueError(f"{required} cannot be null")
        return self


class MeterPosition(OutputModel):
    at: datetime | None = Field(None, description="Time of the latest accepted reading")
    odometer_km: float | None = None
    hours: float | None = None


class MeterOffsets(OutputModel):
    odometer_km: float = Field(0.0, description="Added to raw odometer values after a meter replacement")
    hours: float = Field(0.0, description="Added to raw hour-meter values after a meter replacement")


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
    version: int
    created_at: datetime
    updated_at: datetime


class AssetListQuery(InputModel):
    type: AssetType | None = None
    brand: ShortText | None = None
    model: ShortText | None = None
    external_id: ExternalId | None = None
    q: ShortText | None = Field(None, description="Case-insensitive text in name, serial or external id")
    limit: PageLimit = 50
    next: Cursor | None = None


class AssetPage(Page[Asset]):
    pass
