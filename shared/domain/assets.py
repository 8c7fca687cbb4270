"""Asset rules that do not depend on storage."""

from collections.abc import Sequence

DEFAULT_METERS: dict[str, list[str]] = {
    "vehicle": ["odometer"],
    "machine": ["hours"],
    "equipment": [],
    "accessory": [],
}


def meters_for(asset_type: str, requested: Sequence[str] | None) -> list[str]:
    """The asset's meters: as requested (deduplicated, in a stable order) or the type's default."""
    return ordered_meters(DEFAULT_METERS[asset_type] if requested is None else requested)


def ordered_meters(meters: Sequence[str]) -> list[str]:
    """Meters without repeats, always in the same order."""
    return [meter for meter in ("odometer", "hours") if meter in meters]


def fold(text: str | None) -> str | None:
    """The form used for case-insensitive matching."""
    return text.casefold() if text is not None else None
