"""Usage and prediction, pure: how fast an asset uses its meters, and when its tasks fall due.

Usage per day comes from the readings of a recent window with the Theil-Sen estimator: the
median of the slopes between every pair of readings. A median ignores one wild value (a typo,
a meter glitch) that would drag a least-squares fit or decide a first-to-last difference, and
gaps between readings (a week in the workshop, a forgotten app) do not bias it: every pair
across the gap still measures the same average rate. docs/due-semantics.md has the details.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.domain.due import ConditionState, Evaluation, Kind

# Pairs closer than this in time say little about a daily rate and amplify rounding.
MIN_PAIR_SPAN = timedelta(hours=1)
# At most this many readings enter the pairwise estimate (evenly thinned), bounding its cost.
MAX_POINTS = 60
_DAY_SECONDS = 86_400.0


@dataclass(frozen=True)
class Usage:
    km_per_day: float | None  # None: not known (too few readings) or not rising
    hours_per_day: float | None
    window_days: int
    readings_used: int  # readings inside the window (with either meter)


@dataclass(frozen=True)
class Prediction:
    predicted_at: datetime | None  # earliest over the conditions; None when none can be told
    per_condition: tuple[tuple[Kind, datetime | None], ...]  # in the evaluation's order


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    if len(points) <= MAX_POINTS:
        return points
    step = (len(points) - 1) / (MAX_POINTS - 1)
    return [points[round(i * step)] for i in range(MAX_POINTS)]


def _median(values: list[float]) -> float:
    """The median (statistics.median, without importing that module and its dependencies)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _rate(points: list[tuple[float, float]]) -> float | None:
    """Theil-Sen slope per day of (seconds, value) points; None when it cannot be told or is not up."""
    points = _thin(sorted(points))
    slopes = [
        (v2 - v1) / (t2 - t1) * _DAY_SECONDS
        for i, (t1, v1) in enumerate(points)
        for t2, v2 in points[i + 1 :]
        if t2 - t1 >= MIN_PAIR_SPAN.total_seconds()
    ]
    if not slopes:
        return None
    rate = _median(slopes)
    return rate if rate > 0 else None


def usage_from_readings(
    readings: Sequence[tuple[datetime, float | None, float | None]], now: datetime, window_days: int = 30
) -> Usage:
    """Usage per day of each meter from the readings within ``window_days`` before ``now``."""
    since = now - timedelta(days=window_days)
    recent = [reading for reading in readings if since <= reading[0] <= now]
    km = [(at.timestamp(), odometer) for at, odometer, _ in recent if odometer is not None]
    hours = [(at.timestamp(), value) for at, _, value in recent if value is not None]
    return Usage(_rate(km), _rate(hours), window_days, len(recent))


def _days_after(now: datetime, days: float) -> datetime | None:
    """``now`` plus ``days``; None past the end of the calendar (a crawl that never gets there)."""
    try:
        return now + timedelta(days=days)
    except OverflowError:
        return None


def _predicted(state: ConditionState, usage: Usage, measured_at: datetime) -> datetime | None:
    if state.kind == "date":
        return state.due if isinstance(state.due, datetime) else None
    if state.status == "overdue":
        return state.due_at or measured_at
    rate = usage.km_per_day if state.kind == "distance" else usage.hours_per_day
    if rate is None or state.remaining is None:
        return None
    return _days_after(measured_at, state.remaining / rate)


def predict(
    evaluation: Evaluation, usage: Usage, now: datetime, measured_at: datetime | None = None
) -> Prediction:
    """When each condition falls due at the current usage; the task's prediction is the earliest.

    A meter point not yet reached is due ``remaining / rate`` days after the reading the
    remaining was measured at (``measured_at``; now when unknown), so a prediction does not
    drift as days pass without readings; one already reached was due when it was reached
    (``due_at``); a date is due at its due instant.
    """
    since = measured_at or now
    per_condition = [(state.kind, _predicted(state, usage, since)) for state in evaluation.conditions]
    known = [when for _, when in per_condition if when is not None]
    return Prediction(min(known) if known else None, tuple(per_condition))
