"""API models of sites: the customers' locations where work orders are done, and the depots that
do them. A work order copies its site as it was (a later change of the site leaves it as is)."""

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints

from shared.models.common import (
    LEAVE_AS_IS,
    NOT_BLANK,
    Cursor,
    InputModel,
    Name,
    OutputModel,
    Page,
    PageLimit,
    PartialUpdate,
    QueryParams,
    ShortText,
    StoredTime,
)

# ISO 3166-1 alpha-2: the 249 officially assigned codes.
_CODES = (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS "
    "BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE "
    "EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM "
    "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC "
    "LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA "
    "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO "
    "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW "
)
COUNTRIES = frozenset(_CODES.split())


def _known_country(code: str) -> str:
    if code not in COUNTRIES:
        raise ValueError("not an ISO 3166-1 alpha-2 country code in capitals, e.g. DE")
    return code


def _list_countries(schema: dict[str, Any]) -> None:
    schema["enum"] = sorted(COUNTRIES)


Country = Annotated[
    str, Field(examples=["DE"], json_schema_extra=_list_countries), AfterValidator(_known_country)
]
PostalCode = Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=NOT_BLANK)]
SiteKind = Literal["customer", "depot"]


class Address(InputModel):
    """Every part optional: what is known of the place."""

    line1: ShortText | None = None
    line2: ShortText | None = None
    line3: ShortText | None = None
    line4: ShortText | None = None
    type: ShortText | None = Field(None, description="Your own kind of address, e.g. delivery or billing")
    city: ShortText | None = None
    region: ShortText | None = None
    postal_code: PostalCode | None = None
    country: Country | None = Field(None, description="ISO 3166-1 alpha-2 code")


class SiteCreate(InputModel):
    name: Name
    number: ShortText | None = Field(None, description="Your customer or depot number for the place")
    kind: SiteKind = Field("customer", description="customer: where work is done; depot: who does it")
    address: Address | None = None


class SiteUpdate(PartialUpdate):
    """Only the fields sent change; ``address`` is replaced whole, ``null`` clears an optional field."""

    name: Name = Field(LEAVE_AS_IS)
    number: ShortText | None = None
    kind: SiteKind = Field(LEAVE_AS_IS)
    address: Address | None = None


class SiteAddress(OutputModel):
    line1: str | None = None
    line2: str | None = None
    line3: str | None = None
    line4: str | None = None
    type: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = None


class Site(OutputModel):
    id: str
    name: str
    number: str | None = None
    kind: SiteKind
    address: SiteAddress | None = None
    version: int
    created_at: StoredTime
    updated_at: StoredTime


class SiteQuery(QueryParams):
    kind: SiteKind | None = Field(None, description="Only customer sites, or only depots")
    limit: PageLimit = 50
    next: Cursor | None = None


class SitePage(Page[Site]):
    pass
