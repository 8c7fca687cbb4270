"""API models of meter readings."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from shared.models.assets import Meter
from shared.models.common import (
    Cursor,
    ExternalId,
    InputModel,
    MeterPrecision,
    OutputModel,
    Page,
    PageLimit,
    QueryParams,
    StoredTime,
    Timestamp,
    rule_broken,
)

Odometer = Annotated[
    float, Field(ge=0, le=100_000_000, description="Odometer in km, kept to 0.001 km"), MeterPrecision
]
Hours = Annotated[
    float, Field(ge=0, le=10_000_000, description="Operating hours, kept to 0.001 h"), MeterPrecision
]
Source = Annotated[str, Field(min_length=1, max_length=64, description="Who sent it, e.g. telematics")]


def _present(*names: str) -> dict[str, Any]:
    """JSON Schema: these properties are given and not null (what the model validators check)."""
    kinds = {"odometer_km": "number", "hours": "number", "asset_id": "string", "external_id": "string"}
    return {"required": list(names), "properties": {name: {"type": kinds[name]} for name in names}}


# The cross-field rule of a reading, stated in the schema too so clients and tools can see it. A
# replaced meter needs its value: a rule of its own (replacement_without_value), as stating it in
# the schema takes if/then, which schemathesis' coverage phase cannot yet generate for.
_READING_RULES: dict[str, Any] = {"anyOf": [_present("odometer_km"), _present("hours")]}


class ReadingIn(InputModel):
    model_config = ConfigDict(json_schema_extra=_READING_RULES)
    time: Timestamp | None = Field(
        None,
        description="When the meters showed these values; default now. Not in the future "
        "(5 minutes of clock skew allowed)",
    )
    odometer_km: Odometer | None = None
    hours: Hours | None = None
    meter_replaced: list[Meter] = Field(
        default_factory=list,
        max_length=2,
        description="Meters that were replaced or reset: their values start a new meter, not a decrease. "
        "A meter named here needs its value in the reading (else 422 replacement_without_value)",
    )
    source: Source | None = None

    @model_validator(mode="after")
    def _has_a_value(self) -> "ReadingIn":
        if self.odometer_km is None and self.hours is None:
            raise ValueError("a reading needs odometer_km, hours or both")
        for meter in self.meter_replaced:
            name = "odometer_km" if meter == "odometer" else "hours"
            if getattr(self, name) is None:
                reason = f"names the {meter} meter but the reading has no {name}"
                raise rule_broken(self, "replacement_without_value", reason, "meter_replaced")
        return self


class BatchReadingIn(ReadingIn):
    model_config = ConfigDict(
        json_schema_extra={**_READING_RULES, "oneOf": [_present("asset_id"), _present("external_id")]}
    )
    asset_id: str | None = Field(None, max_length=64)
    external_id: ExternalId | None = Field(None, description="The asset by your own reference instead")

    @model_validator(mode="after")
    def _names_one_asset(self) -> "BatchReadingIn":
        if (self.asset_id is None) == (self.external_id is None):
            raise ValueError("give exactly one of asset_id and external_id")
        return self


class ReadingBatch(InputModel):
    readings: list[BatchReadingIn] = Field(min_length=1, max_length=1000)


class RawValues(OutputModel):
    odometer_km: float | None = None
    hours: float | None = None


class Reading(OutputModel):
    asset_id: str
    time: StoredTime
    odometer_km: float | None = Field(None, description="Lifetime odometer: raw value plus meter offset")
    hours: float | None = Field(None, description="Lifetime hours: raw value plus meter offset")
    raw: RawValues
    meter_replaced: list[Meter] = Field(default_factory=list)
    source: str | None = None
    applied: bool = Field(description="True when it moved the asset's current meters; false for history")
    recorded_at: StoredTime


ReadingOutcome = Literal["applied", "history", "duplicate", "rejected"]


class ReadingResult(OutputModel):
    # Why a reading was refused, for the one-reading route to answer with (not part of the body).
    _fault: Any = PrivateAttr(None)
    index: int
    outcome: ReadingOutcome
    status: int = Field(description="The HTTP status this reading alone would have had")
    reading: Reading | None = None
    error: dict[str, Any] | None = None


class ReadingBatchResult(OutputModel):
    accepted: int
    rejected: int
    results: list[ReadingResult]


class ReadingListQuery(QueryParams):
    from_: Timestamp | None = Field(None, alias="from")
    to: Timestamp | None = None
    order: Literal["asc", "desc"] = "desc"
    limit: PageLimit = 50
    next: Cursor | None = None

    @field_validator("to")
    @classmethod
    def _range_in_order(cls, to: datetime | None, info: ValidationInfo) -> datetime | None:
        start = info.data.get("from_")
        if start is not None and to is not None and start > to:
            # Not a rule a schema can state: its own code, not validation_error.
            raise PydanticCustomError("invalid_range", "to must not be before from")
        return to


class ReadingPage(Page[Reading]):
    pass
