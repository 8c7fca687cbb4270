"""Time as the product sees it: always timezone-aware UTC, stored as fixed-width ISO strings.

Fixed width (microseconds, trailing Z) makes the stored strings sort in time order, which the
key design relies on.
"""

from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))
