"""How long raw readings are kept, and which of them are kept for good (docs/data-model.md, R6).

A reading expires ``READINGS_RETENTION_DAYS`` after its time (the table's TTL; 0 keeps every
reading). The last reading of each UTC day has no expiry, so beyond the retention an asset's
history stays at daily resolution: its meters at the end of every day it reported. Which
reading closed a day is known once a reading of a later day comes: that write takes the expiry
off the asset's previous latest reading (one small put a day per reporting asset), and in a
request that spans days the last of each day is stored without one.
"""

import os
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

RETENTION_DAYS = int(os.environ.get("READINGS_RETENTION_DAYS", "396"))  # 13 months
# The usage estimate reads 30 days of readings (services.task_engine.USAGE_WINDOW_DAYS): a
# shorter retention would starve it; infra.stages refuses one.
SHORTEST_RETENTION_DAYS = 31


def expiry(time: datetime) -> int | None:
    """When a reading taken at ``time`` may go, in epoch seconds; None when readings are kept."""
    if RETENTION_DAYS <= 0:
        return None
    return int((time + timedelta(days=RETENTION_DAYS)).timestamp())


def expired(time: datetime, now: datetime) -> bool:
    moment = expiry(time)
    return moment is not None and moment <= now.timestamp()


def kept_times(times: Iterable[datetime], now: datetime) -> set[datetime]:
    """Of the times of readings written together, those stored without an expiry: each that a
    reading of a later UTC day follows (it closed its day), and the newest when it is already
    past the retention (it would go before a later reading could close its day)."""
    ordered = sorted(set(times))
    kept = {a for a, b in pairwise(ordered) if _day(b) > _day(a)}
    if ordered and expired(ordered[-1], now):
        kept.add(ordered[-1])
    return kept


def closes_a_day(latest: datetime | None, times: Iterable[datetime]) -> bool:
    """Whether readings at ``times`` include one of a later UTC day than the asset's latest,
    which then closed its day and is kept."""
    return latest is not None and any(_day(time) > _day(latest) for time in times)


def _day(moment: datetime) -> date:
    """The UTC day of ``moment``, whatever offset it was sent with."""
    return moment.astimezone(UTC).date()
