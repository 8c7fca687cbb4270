"""Properties of the due engine that must hold for every valid task, not just the examples.

Values stay inside what the API accepts (meters up to 10^7, day spans up to 100 years, dates from
1970 to 2200) so that the calendar never runs out; zones include ones with odd DST rules.
"""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain.calendar import CalendarStep, first_point_after, local_date, local_midnight
from shared.domain.condition_rules import check_conditions
from shared.domain.due import (
    SEVERITY,
    Anchor,
    Condition,
    DateCondition,
    Evaluation,
    MeterCondition,
    Occurrence,
    Position,
    evaluate,
    first_occurrence,
    next_occurrence,
)

ZONES = [
    ZoneInfo(name)
    for name in (
        "UTC",
        "Pacific/Auckland",
        "America/Los_Angeles",
        "America/Santiago",  # DST skips midnight
        "America/Havana",  # midnight happens twice
        "Pacific/Kiritimati",  # +14
        "Pacific/Pago_Pago",  # -11
        "Asia/Kathmandu",  # +05:45
    )
]
zones = st.sampled_from(ZONES)
instants = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
meter_values = st.floats(min_value=0, max_value=10_000_000, allow_nan=False)
intervals = st.floats(min_value=0.01, max_value=1_000_000, allow_nan=False)
percents = st.floats(min_value=0.01, max_value=100, allow_nan=False)
anchors = st.sampled_from(["completion", "cadence"])
# Enough examples to reach the odd corners (month ends, DST days) while the suite stays fast.
thorough = settings(max_examples=200)


@st.composite
def meter_conditions(draw: st.DrawFn, kind: str) -> MeterCondition:
    limit = draw(intervals)
    lead = draw(st.sampled_from(["none", "before", "percent"]))
    before = draw(st.floats(min_value=0, max_value=limit, exclude_max=True)) if lead == "before" else None
    percent = draw(percents) if lead == "percent" else None
    return MeterCondition(
        "distance" if kind == "distance" else "hours", limit, before, percent, draw(st.none() | intervals)
    )


@st.composite
def date_conditions(draw: st.DrawFn) -> DateCondition:
    first = draw(st.sampled_from(["due", "every_days", "every_months"]))
    lead = draw(st.sampled_from(["none", "before", "percent"]))
    repeat = draw(st.sampled_from(["none", "days", "months"]))
    return DateCondition(
        due=draw(st.dates(date(1970, 1, 1), date(2100, 1, 1))) if first == "due" else None,
        every_days=draw(st.integers(1, 36_500)) if first == "every_days" else None,
        every_months=draw(st.integers(1, 1_200)) if first == "every_months" else None,
        notify_before_days=draw(st.integers(0, 36_500)) if lead == "before" else None,
        notify_at_percent=draw(percents) if lead == "percent" else None,
        repeat_days=draw(st.integers(1, 36_500)) if repeat == "days" else None,
        repeat_months=draw(st.integers(1, 1_200)) if repeat == "months" else None,
    )


@st.composite
def tasks(draw: st.DrawFn) -> tuple[list[Condition], Occurrence, ZoneInfo]:
    """Valid conditions (one to three kinds) and their first occurrence."""
    kinds = draw(st.sets(st.sampled_from(["distance", "hours", "date"]), min_size=1))
    conditions: list[Condition] = [
        draw(date_conditions()) if kind == "date" else draw(meter_conditions(kind)) for kind in sorted(kinds)
    ]
    assert check_conditions(conditions) == []
    tz = draw(zones)
    start = Position(draw(instants), draw(meter_values), draw(meter_values))
    return conditions, first_occurrence(conditions, start, tz), tz


def worse_or_same(before: Evaluation, after: Evaluation) -> bool:
    return SEVERITY[before.status] <= SEVERITY[after.status]


def current(at: datetime, km: float | None, h: float | None) -> Position:
    return Position(at, km, h, at)


@thorough
@given(tasks(), instants, meter_values, meter_values, meter_values, meter_values)
def test_status_never_gets_better_as_the_meters_grow(
    task: tuple[list[Condition], Occurrence, ZoneInfo],
    now: datetime,
    km: float,
    more_km: float,
    h: float,
    more_h: float,
) -> None:
    conditions, occurrence, tz = task
    low = evaluate(conditions, occurrence, current(now, km, h), tz)
    high = evaluate(conditions, occurrence, current(now, km + more_km, h + more_h), tz)
    assert worse_or_same(low, high)
    if low.wear is not None and high.wear is not None:
        assert high.wear >= low.wear


@thorough
@given(tasks(), instants, st.timedeltas(timedelta(0), timedelta(days=40_000)), meter_values, meter_values)
def test_status_never_gets_better_as_time_passes(
    task: tuple[list[Condition], Occurrence, ZoneInfo], now: datetime, later: timedelta, km: float, h: float
) -> None:
    conditions, occurrence, tz = task
    meters = current(now, km, h)
    earlier = evaluate(conditions, occurrence, meters, tz)
    assert worse_or_same(earlier, evaluate(conditions, occurrence, replace(meters, at=now + later), tz))


@thorough
@given(tasks(), instants, st.none() | meter_values, st.none() | meter_values)
def test_the_task_status_is_the_worst_of_its_conditions_alone(
    task: tuple[list[Condition], Occurrence, ZoneInfo], now: datetime, km: float | None, h: float | None
) -> None:
    conditions, occurrence, tz = task
    together = evaluate(conditions, occurrence, current(now, km, h), tz)
    alone = [evaluate([condition], occurrence, current(now, km, h), tz) for condition in conditions]
    assert SEVERITY[together.status] == max(SEVERITY[evaluation.status] for evaluation in alone)
    assert together.conditions == tuple(evaluation.conditions[0] for evaluation in alone)
    known_due = [e.due_at for e in alone if e.due_at is not None]
    assert together.due_at == (min(known_due) if known_due else None)


def status_by_points(value: float | datetime | None, warn: float | datetime, due: float | datetime) -> str:
    """The status rule restated: inclusive points, nothing reached without a value."""
    if value is None:
        return "planned"
    return "overdue" if value >= due else "upcoming" if value >= warn else "planned"  # type: ignore[operator]


@thorough
@given(tasks(), instants, st.none() | meter_values, st.none() | meter_values)
def test_each_condition_has_its_warning_inside_the_span_and_the_status_of_its_points(
    task: tuple[list[Condition], Occurrence, ZoneInfo], now: datetime, km: float | None, h: float | None
) -> None:
    conditions, occurrence, tz = task
    starts = {
        "distance": occurrence.start.odometer_km,
        "hours": occurrence.start.hours,
        "date": occurrence.start.at,
    }
    for state in evaluate(conditions, occurrence, current(now, km, h), tz).conditions:
        start = starts[state.kind]
        assert start is not None
        assert min(start, state.due) <= state.warn <= state.due  # type: ignore[operator]
        assert state.status == status_by_points(state.current, state.warn, state.due)


@thorough
@given(
    tasks(),
    anchors,
    st.lists(
        st.tuples(st.timedeltas(timedelta(0), timedelta(days=3_000)), meter_values, meter_values), max_size=4
    ),
)
def test_repeats_are_always_due_strictly_after_their_start(
    task: tuple[list[Condition], Occurrence, ZoneInfo],
    anchor: Anchor,
    completions: list[tuple[timedelta, float, float]],
) -> None:
    conditions, occurrence, tz = task
    for after, more_km, more_h in completions:
        before, start = occurrence, occurrence.start
        done = Position(start.at + after, (start.odometer_km or 0) + more_km, (start.hours or 0) + more_h)
        occurrence = next_occurrence(conditions, occurrence, done, anchor, tz)
        assert (occurrence.number, occurrence.start) == (before.number + 1, done)
        for due, previous, value in (
            (occurrence.due_km, before.due_km, done.odometer_km),
            (occurrence.due_hours, before.due_hours, done.hours),
        ):
            if due is not None:
                assert value is not None and due > value
                assert previous is not None and (anchor == "completion" or due > previous)
        if occurrence.due_date is not None:
            assert occurrence.due_date > local_date(done.at, tz)
            assert local_midnight(occurrence.due_date, tz) > done.at
            assert before.due_date is not None and (
                anchor == "completion" or occurrence.due_date > before.due_date
            )
        assert evaluate(conditions, occurrence, done, tz).status in ("planned", "upcoming")


@thorough
@given(tasks(), instants, st.none() | meter_values, st.none() | meter_values, st.none() | instants)
def test_evaluation_never_raises_even_for_odd_positions(
    task: tuple[list[Condition], Occurrence, ZoneInfo],
    now: datetime,
    km: float | None,
    h: float | None,
    meters_at: datetime | None,
) -> None:
    conditions, occurrence, tz = task
    blank_start = replace(occurrence, start=Position(occurrence.start.at))  # start values unknown
    for candidate in (occurrence, blank_start):
        evaluation = evaluate(conditions, candidate, Position(now, km, h, meters_at), tz)
        assert len(evaluation.conditions) == len(conditions)


@thorough
@given(st.dates(date(1900, 1, 1), date(2200, 1, 1)), zones)
def test_a_due_date_falls_due_at_the_first_instant_of_that_local_day(day: date, tz: ZoneInfo) -> None:
    instant = local_midnight(day, tz)
    assert instant.utcoffset() == timedelta(0)
    assert instant.astimezone(tz).date() == day
    assert (instant - timedelta(microseconds=1)).astimezone(tz).date() < day


@thorough
@given(
    st.dates(date(1970, 1, 1), date(2100, 1, 1)),
    st.integers(0, 40),
    st.sampled_from(
        [CalendarStep(months=1), CalendarStep(months=3), CalendarStep(months=12), CalendarStep(days=7)]
    ),
    st.dates(date(1970, 1, 1), date(2150, 1, 1)),
)
def test_the_first_cadence_point_after_a_date_is_the_brute_force_one(
    base: date, offset: int, step: CalendarStep, bound: date
) -> None:
    points = (step.shift(base, offset + count * step.size) for count in range(100_000))
    expected = next(point for point in points if point > bound)
    assert first_point_after(base, offset, step, bound) == expected
