"""Usage and prediction, pure: how fast an asset uses its meters, and when its tasks fall due.

Usage per day comes from the readings of a recent window with the Theil-Sen estimator: the
median of the slopes between every pair of readings. A median ignores one wild value (a typo,
a meter glitch) and gaps between readings do not bias it, unlike a first-to-last difference
or a least-squares fit.
"""

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from shared.domain.due import Evaluation, Kind

# Pairs closer than this in time say little about a daily rate and amplify rounding.
MIN_PAIR_SPAN = timedelta(hours=1)
# At most this many readings enter the pairwise estimate (evenly thinned), bounding its cost.
MAX_POINTS = 60
_DAY_SECONDS = 86_400.0


@dataclass(frozen=True)
class Usage:
    km_per_day: float | None
    hours_per_day: float | None
    window_days: int
    readings_used: int


@dataclass(frozen=True)
class Prediction:
    predicted_at: datetime | None
    per_condition: tuple[tuple[Kind, datetime | None], ...]


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    if len(points) <= MAX_POINTS:
        return points
    step = (len(points) - 1) / (MAX_POINTS - 1)
    return [points[round(i * step)] for i in range(MAX_POINTS)]


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
    rate = statistics.median(slopes)
    return rate if rate > 0 else None


def usage_from_readings(
    readings: Sequence[tuple[datetime, float | None, float | None]], now: datetime, window_days: int = 30
) -> Usage:
    """Usage per day of each meter from the readings within ``window_days`` before ``now``."""
    since = now - timedelta(days=window_days)
    recent = [r for r in readings if since <= r[0] <= now]
    km = [(r[0].timestamp(), r[1]) for r in recent if r[1] is not None]
    hours = [(r[0].timestamp(), r[2]) for r in recent if r[2] is not None]
    return Usage(_rate(km), _rate(hours), window_days, len(recent))


def predict(evaluation: Evaluation, usage: Usage, now: datetime) -> Prediction:
    """When each condition falls due at the current usage; the task's prediction is the earliest."""
    per_condition: list[tuple[Kind, datetime | None]] = []
    for state in evaluation.conditions:
        if state.kind == "date":
            when = state.due if isinstance(state.due, datetime) else None
        elif state.status == "overdue":
            when = state.due_at or now
        else:
            rate = usage.km_per_day if state.kind == "distance" else usage.hours_per_day
            when = (
                None
                if rate is None or state.remaining is None
                else now + timedelta(days=state.remaining / rate)
            )
        per_condition.append((state.kind, when))
    known = [when for _, when in per_condition if when is not None]
    return Prediction(min(known) if known else None, tuple(per_condition))
