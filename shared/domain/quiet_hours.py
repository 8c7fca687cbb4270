"""Quiet hours: a daily window of local time in which no SMS goes out (email does).

The window may cross midnight (22:00 to 07:00). Times are wall-clock times in the account's zone,
so the window follows daylight saving time; an end that falls into a skipped hour ends the hold
at the first instant after it.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def inside(clock: time, start: time, end: time) -> bool:
    """Whether wall-clock ``clock`` lies in [start, end), the window wrapping past midnight when
    ``end`` is not after ``start``; an empty window (start == end) holds nothing."""
    if start == end:
        return False
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def quiet_until(now: datetime, tz: ZoneInfo, start: time, end: time) -> datetime | None:
    """The instant (UTC) the quiet hours around ``now`` end, or None when ``now`` is not in them."""
    local = now.astimezone(tz)
    clock = local.time().replace(tzinfo=None)
    if not inside(clock, start, end):
        return None
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    until = datetime.combine(day, end, tzinfo=tz).astimezone(UTC)
    return until if until > now else None
