"""An order's lines (parts, labour, travel) and notes, as sent and as read."""

from typing import Annotated, Literal

from pydantic import Field, model_validator

from shared.models.common import (
    LEAVE_AS_IS,
    Cursor,
    InputModel,
    LongText,
    OutputModel,
    Page,
    PageLimit,
    PartialUpdate,
    QueryParams,
    ShortText,
    StoredTime,
    rule_broken,
)
from shared.models.settings import Currency

LineKind = Literal["part", "part_returned", "labour", "travel", "other"]
Quantity = Annotated[float, Field(gt=0, le=1_000_000, description="Pieces, or hours for labour")]
Price = Annotated[float, Field(ge=0, le=1_000_000_000, description="Per piece or hour, before tax")]
TaxPercent = Annotated[float, Field(ge=0, le=100)]
RateId = Annotated[str, Field(min_length=1, max_length=64)]


class LineFields(InputModel):
    code: ShortText | None = Field(None, description="Part number or service code")
    description: LongText | None = None
    quantity: Quantity | None = None
    unit_price: Price | None = Field(None, description="Or rate_id")
    rate_id: RateId | None = Field(None, description="An hourly rate (/hourly-rates): its price is copied")
    tax_percent: TaxPercent | None = None
    currency: Currency | None = Field(None, description="Must be the account's currency if given")


class LineCreate(LineFields):
    kind: LineKind
    quantity: Quantity

    @model_validator(mode="after")
    def _priced(self) -> "LineCreate":
        if (self.unit_price is None) == (self.rate_id is None):
            raise rule_broken(self, "price_needed", "give unit_price or rate_id, one of them", "unit_price")
        return self


class LineUpdate(PartialUpdate, LineFields):
    """Fields left out stay; ``unit_price: null`` with a ``rate_id`` prices the line by the rate."""

    kind: LineKind = Field(LEAVE_AS_IS)
    quantity: Quantity = Field(LEAVE_AS_IS)


class Line(OutputModel):
    id: str
    kind: LineKind
    code: str | None = None
    description: str | None = None
    quantity: float
    unit_price: float
    rate_id: str | None = None
    rate_name: str | None = None
    tax_percent: float = 0.0
    currency: str | None = None
    net: float = Field(description="quantity x unit_price, rounded half-up; negative for part_returned")
    tax: float
    gross: float
    created_at: StoredTime
    updated_at: StoredTime


class LinePage(Page[Line]):
    pass


class NoteCreate(InputModel):
    text: Annotated[str, Field(min_length=1, max_length=4000)]
    visibility: Literal["internal", "customer"] = Field(
        "internal", description="customer: shown on the order's public status page"
    )


class Note(OutputModel):
    id: str
    text: str
    visibility: Literal["internal", "customer"]
    author: str | None = None
    created_at: StoredTime


class NotePage(Page[Note]):
    pass


class LineQuery(QueryParams):
    limit: PageLimit = 200
    next: Cursor | None = None


class NoteQuery(QueryParams):
    order: Literal["asc", "desc"] = "asc"
    limit: PageLimit = 50
    next: Cursor | None = None
