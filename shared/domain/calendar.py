"""Date conditions on the calendar: their due dates, warning instants and cadences, and the
arithmetic under them (months that clamp to month ends, local midnights).

Due dates are calendar dates in the account's time zone; a date falls due at the first instant
of that local day. shared/domain/due.py combines these with the meter conditions; everything
here is pure and deterministic (no clock).
"""

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# Instants past the ends of the datetime range saturate here, so that evaluating an absurd but
# representable date (year 1 in a zone east of UTC) never raises.
_EARLIEST = datetime.min.replace(tzinfo=UTC)
_LATEST = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class DateCondition:
    """A calendar condition of a task (exactly one of due, every_days, every_months)."""

    due: date | None = None  # explicit first due date (local calendar date) ...
    every_days: int | None = None  # ... or start date + N days ...
    every_months: int | None = None  # ... or start date + N calendar months
    notify_before_days: int | None = None
    notify_at_percent: float | None = None
    repeat_days: int | None = None  # later occurrences; None: every_days / every_months, or for an
    repeat_months: int | None = None  # explicit due the first span (start date to due) in days


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, clamped to the month's end (Jan 31 + 1 month = Feb 28 or 29).

    Raises ValueError beyond the calendar's range (year 1 to 9999).
    """
    index = month_index(day) + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"{day.isoformat()} plus {months} months is beyond the calendar")
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_days(day: date, days: int) -> date:
    """``day`` plus whole days; ValueError (not OverflowError) beyond the calendar, like add_months."""
    try:
        return day + timedelta(days=days)
    except OverflowError as beyond:
        raise ValueError(f"{day.isoformat()} plus {days} days is beyond the calendar") from beyond


def month_index(day: date) -> int:
    """Months since year 0, so that month distances are a subtraction."""
    return day.year * 12 + day.month - 1


@lru_cache(maxsize=16_384)  # pure; a fleet's tasks share few dates, and this runs on every read
def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant at which ``day`` begins in ``tz`` (a due date falls due then).

    Where a DST change skips midnight, fold=0 reads the wall time with the offset before the
    change, which lands on the first instant that exists that day; where midnight happens twice,
    fold=0 is the earlier one. Either way: the start of the local day.
    """
    try:
        return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    except OverflowError:
        return _EARLIEST if day.year == 1 else _LATEST


@lru_cache(maxsize=16_384)
def local_date(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar date in ``tz`` at ``moment`` (aware)."""
    try:
        return moment.astimezone(tz).date()
    except OverflowError:  # only at the ends of the range, where the UTC date is the nearest one
        return moment.date()


@dataclass(frozen=True)
class CalendarStep:
    """An interval of a date condition: whole calendar months, or else whole days (> 0)."""

    months: int = 0
    days: int = 0

    @property
    def size(self) -> int:
        return self.months or self.days

    def shift(self, day: date, units: int) -> date:
        """``day`` plus ``units`` of this step's unit (months or days), counted from ``day``."""
        return add_months(day, units) if self.months else add_days(day, units)


def first_point_after(base: date, offset: int, step: CalendarStep, bound: date) -> date:
    """The first point ``base + offset + j * step`` (j >= 0, counts in the step's unit) after ``bound``.

    Every point counts from ``base`` rather than from the point before, so a month-end
    anniversary survives short months: from Jan 31 monthly gives Feb 28, Mar 31, Apr 30.
    """
    behind = (month_index(bound) - month_index(base) if step.months else (bound - base).days) - offset
    # One step short of the estimate is never after ``bound``; walk forward from there (<= 3 steps).
    count = max(0, behind // step.size - 1)
    while (point := step.shift(base, offset + count * step.size)) <= bound:
        count += 1
    return point


def first_due_date(condition: DateCondition, start: date) -> date:
    """The first occurrence's due date, from the local start date."""
    if condition.due is not None:
        return condition.due
    if condition.every_days is not None:
        return add_days(start, condition.every_days)
    if condition.every_months is not None:
        return add_months(start, condition.every_months)
    raise ValueError("a date condition needs due, every_days or every_months")


@lru_cache(maxsize=16_384)  # pure; the same occurrences are evaluated on every read of them
def due_and_warning(
    condition: DateCondition, due_date: date, start: datetime, tz: ZoneInfo
) -> tuple[datetime, datetime]:
    """The due instant (local midnight starting ``due_date``) and the warning instant, clamped into
    the span from ``start`` (when the due instant lies before the start: the due instant)."""
    due = local_midnight(due_date, tz)
    if condition.notify_before_days is not None:
        # A lead longer than the span warns from the start anyway (the clamp below); capping it
        # first keeps the date arithmetic inside the calendar.
        lead = min(condition.notify_before_days, max(0, (due_date - local_date(start, tz)).days))
        warn = local_midnight(due_date - timedelta(days=lead), tz)
    elif condition.notify_at_percent is not None and start < due:
        warn = start + (due - start) * (condition.notify_at_percent / 100)
    else:
        warn = due
    return due, min(max(warn, min(start, due)), due)


def _cadence(
    condition: DateCondition, previous_due: date, previous_start: date, first_start: date | None
) -> tuple[date, int, CalendarStep]:
    """The cadence of a date condition as (base, offset, step): points base + offset + j * step.

    With the first start date known, points count from the first due date (monthly cadences from
    the start date itself, so a month-end anniversary survives short months); without it they
    chain from the previous due date. An explicit due repeats, unless told, by its first span.
    """
    if condition.due is not None:
        span_from, span_to = (
            (first_start, condition.due) if first_start is not None else (previous_start, previous_due)
        )
        initial = CalendarStep(days=max(1, (span_to - span_from).days))
    else:
        initial = CalendarStep(months=condition.every_months or 0, days=condition.every_days or 0)
    if condition.repeat_months:
        step = CalendarStep(months=condition.repeat_months)
    elif condition.repeat_days:
        step = CalendarStep(days=condition.repeat_days)
    else:
        step = initial
    if step.months < 0 or step.days < 0 or step.size <= 0:
        raise ValueError("a date condition needs a positive interval; check_conditions tells what is wrong")
    if first_start is None:
        return previous_due, 0, step
    if condition.every_months and step.months:
        return first_start, condition.every_months, step
    return first_due_date(condition, first_start), 0, step


def next_due_date(
    condition: DateCondition,
    previous_due: date,
    previous_start: date,
    first_start: date | None,
    done: date,
    on_cadence: bool,
) -> date:
    """The due date after a completion on local date ``done``: one interval after it, or (on the
    cadence) the first cadence point after both the completion and the previous due date."""
    base, offset, step = _cadence(condition, previous_due, previous_start, first_start)
    if not on_cadence:
        return step.shift(done, step.size)
    return first_point_after(base, offset, step, max(done, previous_due))


def check_date_condition(condition: DateCondition) -> list[tuple[str, str]]:
    """The rules a date condition breaks, as (field path, reason); see due.check_conditions."""
    issues = []
    firsts = [condition.due, condition.every_days, condition.every_months]
    if sum(first is not None for first in firsts) != 1:
        issues.append(("date", "give exactly one of due, every_days and every_months"))
    for name in ("every_days", "every_months", "repeat_days", "repeat_months"):
        value = getattr(condition, name)
        if value is not None and value <= 0:
            issues.append((f"date.{name}", "must be greater than 0"))
    if condition.repeat_days is not None and condition.repeat_months is not None:
        issues.append(("date.repeat_months", "give repeat_days or repeat_months, not both"))
    if condition.notify_before_days is not None and condition.notify_before_days < 0:
        issues.append(("date.notify_before_days", "must be at least 0"))
    if condition.notify_before_days is not None and condition.notify_at_percent is not None:
        issues.append(("date.notify_at_percent", "give notify_before_days or notify_at_percent, not both"))
    return issues
