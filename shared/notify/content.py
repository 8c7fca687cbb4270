"""What a notification tells, as plain values, and the wording the SMS and the email share.

``Transition`` is the input of both renderers: a task whose status became upcoming or overdue,
with a ``Fact`` per condition that is the reason. The helpers word its parts the same way in
every channel: meter values with thousands separators and no needless decimals (``15,120 km``,
``512.5 h``), dates and times in the account's time zone, names on one line, and names shortened
with "..." to fit a length. Pure: only the standard library.
"""

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Kind = Literal["distance", "hours", "date"]
Told = Literal["upcoming", "overdue"]
Status = Literal["planned", "upcoming", "overdue"]

LABELS: dict[str, str] = {"distance": "Distance", "hours": "Operating hours", "date": "Date"}
UNITS: dict[str, str] = {"distance": "km", "hours": "h"}
ELLIPSIS = "..."
NO_NAME = "(no name)"
# When two names must be shortened to fit, each keeps at least this much (or all of it) before
# anything else of the message is given up; the asset gets 2/5 of the room when both are long.
TASK_LEAST = 24
ASSET_LEAST = 16
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_BREAKING = frozenset({"Cc", "Zs", "Zl", "Zp"})  # controls, spaces, line and paragraph separators


@dataclass(frozen=True)
class Fact:
    """One condition of the task that is upcoming or overdue.

    ``due`` is the due point in km or h, or for a date condition the due instant (aware, UTC: the
    start of the due day in the account's zone). ``current`` is the meter now (None: no reading
    yet), or for a date condition the instant of the transition.
    """

    kind: Kind
    status: Status
    due: float | datetime
    current: float | datetime | None


@dataclass(frozen=True)
class Transition:
    """A task whose status became ``status`` (from ``previous``) at ``at``, to be told."""

    status: Told
    previous: Literal["planned", "upcoming"]
    task_name: str
    asset_name: str
    at: datetime  # aware, UTC
    time_zone: str  # the account's IANA zone, in which dates and times are shown
    facts: tuple[Fact, ...]
    task_id: str
    asset_id: str


@dataclass(frozen=True)
class FactView:
    """A fact in words: ``current`` and ``remaining`` are None when they are not known."""

    label: str
    status: str
    due: str
    current: str | None
    remaining: str | None


def one_line(text: str) -> str:
    """``text`` on one line: control characters, line breaks and runs of spaces become one space,
    bidirectional overrides (which could make a name read backwards) go, the ends are trimmed."""
    kept = (
        " " if unicodedata.category(char) in _BREAKING else char
        for char in text
        if char not in _BIDI_CONTROLS
    )
    return " ".join("".join(kept).split())


def name(text: str) -> str:
    """A task or asset name on one line, or a placeholder if nothing of it is left."""
    return one_line(text) or NO_NAME


def number(value: float) -> str:
    """``15,120`` or ``15,120.5``: thousands separators, at most two decimals, none needless."""
    if not math.isfinite(value):
        return "?"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def quantity(value: float, kind: Kind) -> str:
    """A meter value with its unit: ``15,000 km``, ``512.5 h``."""
    unit = UNITS.get(kind)
    return f"{number(value)} {unit}" if unit else number(value)


def account_zone(time_zone: str) -> tuple[tzinfo, str]:
    """The account's zone and the name to show for it; UTC if the name is not a known zone (a
    message with UTC times is better than none)."""
    try:
        return ZoneInfo(time_zone), time_zone
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC, "UTC"


def in_zone(instant: datetime, zone: tzinfo) -> datetime:
    """``instant`` in ``zone`` (a naive instant is taken as UTC; one at the very ends of the
    datetime range, which cannot move, stays as it is)."""
    aware = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
    try:
        return aware.astimezone(zone)
    except OverflowError:
        return aware


def local_date(instant: datetime, zone: tzinfo) -> date:
    """The calendar date of ``instant`` in ``zone``."""
    return in_zone(instant, zone).date()


def local_time(instant: datetime, zone: tzinfo, zone_name: str) -> str:
    """``2026-12-04 09:30 (Europe/Berlin, UTC+01:00)``: the local time with the zone."""
    local = in_zone(instant, zone)
    shown = f"{local:%Y-%m-%d %H:%M}"
    offset = local.utcoffset()
    if zone_name == "UTC" or offset is None:
        return f"{shown} ({zone_name})"
    return f"{shown} ({zone_name}, UTC{_offset(offset)})"


def _offset(offset: timedelta) -> str:
    minutes = round(offset.total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def shown(value: float | datetime, kind: Kind, zone: tzinfo) -> str:
    """A due or current value: a date (``2026-12-01``, in ``zone``) or a meter value with unit."""
    if isinstance(value, datetime):
        return local_date(value, zone).isoformat()
    return quantity(value, kind)


def _count(amount: int, unit: str) -> str:
    return f"{amount:,} {unit}" if amount == 1 else f"{amount:,} {unit}s"


def remaining(fact: Fact, zone: tzinfo) -> str | None:
    """How far the fact is from its due point: ``120 km left``, ``3 days past due``, ``due
    today``; None when it cannot be told (no reading)."""
    due, current = fact.due, fact.current
    if isinstance(due, datetime) and isinstance(current, datetime):
        days = (local_date(due, zone) - local_date(current, zone)).days
        if days == 0:
            return "due today"
        return f"{_count(abs(days), 'day')} {'left' if days > 0 else 'past due'}"
    if isinstance(due, datetime) or current is None or isinstance(current, datetime):
        return None
    left = due - current
    if not math.isfinite(left):
        return None
    if number(left) == "0":
        return "due now"
    return f"{quantity(abs(left), fact.kind)} {'left' if left > 0 else 'past due'}"


def fact_view(fact: Fact, zone: tzinfo) -> FactView:
    """The fact in words, dates in ``zone``."""
    return FactView(
        label=LABELS.get(fact.kind, fact.kind),
        status=fact.status,
        due=shown(fact.due, fact.kind, zone),
        current=None if fact.current is None else shown(fact.current, fact.kind, zone),
        remaining=remaining(fact, zone),
    )


def shorten(text: str, budget: int, weight: Callable[[str], int] = len) -> str:
    """``text`` if it weighs at most ``budget``, else its start and "..." within ``budget``.

    ``weight`` measures a text (characters by default; an SMS counts some characters twice).
    """
    if weight(text) <= budget:
        return text
    room = budget - weight(ELLIPSIS)
    if room < 0:
        return ELLIPSIS[: max(budget, 0)]
    kept: list[str] = []
    used = 0
    for char in text:
        used += weight(char)
        if used > room:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ELLIPSIS


def name_rooms(task_weight: int, asset_weight: int, budget: int) -> tuple[int, int]:
    """How much of ``budget`` the task and the asset name get: a short name stays whole and the
    other gets the rest; when both are long the task name, which says what to do, keeps 3/5."""
    if task_weight + asset_weight <= budget:
        return task_weight, asset_weight
    asset_room = min(asset_weight, max(budget - task_weight, budget * 2 // 5))
    return budget - asset_room, asset_room


def names_fit(task: str, asset: str, budget: int, weight: Callable[[str], int] = len) -> bool:
    """Whether both names fit in ``budget`` keeping at least ``TASK_LEAST`` and ``ASSET_LEAST``
    (or all) of each: if not, a caller gives up something else before shortening them more."""
    task_weight, asset_weight = weight(task), weight(asset)
    task_room, asset_room = name_rooms(task_weight, asset_weight, budget)
    return task_room >= min(task_weight, TASK_LEAST) and asset_room >= min(asset_weight, ASSET_LEAST)


def fit_names(task: str, asset: str, budget: int, weight: Callable[[str], int] = len) -> tuple[str, str]:
    """The task and asset names, shortened with "..." (see ``name_rooms``) so that together they
    weigh at most ``budget``."""
    task_room, asset_room = name_rooms(weight(task), weight(asset), budget)
    return shorten(task, task_room, weight), shorten(asset, asset_room, weight)
