"""Time as the product sees it: always timezone-aware UTC, stored as fixed-width ISO strings.

Fixed width (four-digit year, microseconds, trailing Z) makes the stored strings sort in time
order, which the key design relies on. The API accepts the years 1970 to 2999 only
(shared/models/common.py), so every stored time has that width.
"""

import re
from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S.%f}Z"


# A year written with fewer than four digits ("999-06-01T..."): items stored before the accepted
# range existed. They are read as the time they mean rather than failing the read.
_SHORT_YEAR = re.compile(r"^(\d{1,3})-")


def from_iso(text: str) -> datetime:
    short = _SHORT_YEAR.match(text)
    if short:
        text = f"{int(short.group(1)):04d}{text[short.end(1) :]}"
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
