"""The due engine by example: every boundary, each kind, calendars, time zones and repeats.

docs/due-semantics.md states these rules in prose; a failing test here means the contract broke.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.domain.condition_rules import check_conditions
from shared.domain.due import (
    Anchor,
    Condition,
    ConditionState,
    DateCondition,
    MeterCondition,
    Occurrence,
    Position,
    evaluate,
    first_occurrence,
    next_occurrence,
)

UTC_ZONE = ZoneInfo("UTC")
AUCKLAND = ZoneInfo("Pacific/Auckland")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
START = datetime(2026, 1, 10, 9, 30, tzinfo=UTC)
READ_AT = datetime(2026, 1, 20, 8, 0, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def on_day(day: date | None, hour: int = 0) -> datetime:
    assert day is not None
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def distance(limit: float, **options: float) -> MeterCondition:
    return MeterCondition("distance", limit, **options)


def hours(limit: float, **options: float) -> MeterCondition:
    return MeterCondition("hours", limit, **options)


def now_at(km: float | None = None, h: float | None = None, at: datetime = READ_AT) -> Position:
    return Position(at, km, h, READ_AT if km is not None or h is not None else None)


def single(
    condition: Condition, start: Position, current: Position, tz: ZoneInfo = UTC_ZONE
) -> ConditionState:
    occurrence = first_occurrence([condition], start, tz)
    return evaluate([condition], occurrence, current, tz).conditions[0]


# --- meter conditions: due 60 000 km, warning 59 000 km --------------------------------------------


@pytest.mark.parametrize(
    ("km", "status", "remaining"),
    [
        (50_000.0, "planned", 10_000.0),
        (58_999.0, "planned", 1_001.0),
        (58_999.9, "planned", 1_000.1),
        (59_000.0, "upcoming", 1_000.0),
        (59_999.0, "upcoming", 1.0),
        (60_000.0, "overdue", 0.0),
        (61_500.0, "overdue", -1_500.0),
    ],
)
def test_distance_boundaries_are_inclusive(km: float, status: str, remaining: float) -> None:
    condition = distance(10_000, notify_before=1_000)
    state = single(condition, Position(START, 50_000.0), now_at(km=km))
    assert state.kind == "distance"
    assert (state.status, state.due, state.warn, state.current) == (status, 60_000.0, 59_000.0, km)
    assert state.remaining == pytest.approx(remaining)
    assert state.fraction == pytest.approx((km - 50_000) / 10_000)


@pytest.mark.parametrize(
    ("h", "status"),
    [
        (1_649.0, "planned"),
        (1_649.99, "planned"),
        (1_650.0, "upcoming"),
        (1_700.0, "overdue"),
        (1_800.0, "overdue"),
    ],
)
def test_hours_boundaries_are_inclusive(h: float, status: str) -> None:
    state = single(hours(500, notify_before=50), Position(START, hours=1_200.0), now_at(h=h))
    assert (state.kind, state.status, state.due, state.warn) == ("hours", status, 1_700.0, 1_650.0)


def test_meter_instants_are_the_reading_time_once_a_point_is_reached() -> None:
    condition = distance(10_000, notify_before=1_000)
    start = Position(START, 50_000.0)
    planned = single(condition, start, now_at(km=58_000.0))
    upcoming = single(condition, start, now_at(km=59_500.0))
    overdue = single(condition, start, now_at(km=60_000.0))
    assert (planned.warn_at, planned.due_at) == (None, None)
    assert (upcoming.warn_at, upcoming.due_at) == (READ_AT, None)
    assert (overdue.warn_at, overdue.due_at) == (READ_AT, READ_AT)


@pytest.mark.parametrize(
    ("km", "status"),
    [(57_999.0, "planned"), (58_000.0, "upcoming"), (59_999.0, "upcoming"), (60_000.0, "overdue")],
)
def test_percent_lead_warns_when_that_share_of_the_span_is_used(km: float, status: str) -> None:
    state = single(distance(10_000, notify_at_percent=80), Position(START, 50_000.0), now_at(km=km))
    assert (state.warn, state.status) == (58_000.0, status)


@pytest.mark.parametrize(("km", "status"), [(59_999.9, "planned"), (60_000.0, "overdue")])
def test_without_a_lead_there_is_no_upcoming_phase(km: float, status: str) -> None:
    state = single(distance(10_000), Position(START, 50_000.0), now_at(km=km))
    assert (state.warn, state.status) == (60_000.0, status)


def test_a_percent_of_100_warns_only_at_the_due_point() -> None:
    state = single(hours(100, notify_at_percent=100), Position(START, hours=0.0), now_at(h=99.0))
    assert (state.warn, state.status) == (100.0, "planned")


def test_a_meter_without_any_reading_is_planned_with_nothing_known() -> None:
    state = single(distance(10_000, notify_before=1_000), Position(START, 50_000.0), now_at())
    assert state.status == "planned"
    assert (state.current, state.remaining, state.fraction, state.due_at, state.warn_at) == (None,) * 5
    assert (state.due, state.warn) == (60_000.0, 59_000.0)


def test_an_unknown_start_value_leaves_the_fraction_unknown_and_warns_by_the_interval() -> None:
    condition = distance(10_000, notify_at_percent=90)
    occurrence = Occurrence(2, Position(START), due_km=60_000.0)
    state = evaluate([condition], occurrence, now_at(km=59_100.0), UTC_ZONE).conditions[0]
    assert (state.status, state.warn, state.fraction) == ("upcoming", 59_000.0, None)


def test_a_lead_longer_than_a_later_span_warns_from_that_occurrences_start() -> None:
    condition = distance(10_000, notify_before=5_000, repeat=3_000)
    first = first_occurrence([condition], Position(START, 50_000.0), UTC_ZONE)
    second = next_occurrence([condition], first, Position(READ_AT, 70_000.0), "completion", UTC_ZONE)
    state = evaluate([condition], second, now_at(km=70_000.0), UTC_ZONE).conditions[0]
    assert (second.due_km, state.warn, state.status) == (73_000.0, 70_000.0, "upcoming")


# --- date conditions: due 2026-03-01 (UTC zone), warning 7 days before -------------------------------

DUE_INSTANT = datetime(2026, 3, 1, tzinfo=UTC)
WARN_INSTANT = datetime(2026, 2, 22, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (WARN_INSTANT - timedelta(days=1), "planned"),
        (WARN_INSTANT - MICROSECOND, "planned"),
        (WARN_INSTANT, "upcoming"),
        (DUE_INSTANT - MICROSECOND, "upcoming"),
        (DUE_INSTANT, "overdue"),
        (DUE_INSTANT + timedelta(hours=12), "overdue"),
        (DUE_INSTANT + timedelta(days=30), "overdue"),
    ],
)
def test_date_boundaries_are_inclusive(now: datetime, status: str) -> None:
    condition = DateCondition(due=date(2026, 3, 1), notify_before_days=7)
    state = single(condition, Position(START), Position(now))
    assert (state.kind, state.status, state.due, state.warn) == ("date", status, DUE_INSTANT, WARN_INSTANT)
    assert (state.due_at, state.warn_at, state.current) == (DUE_INSTANT, WARN_INSTANT, now)
    assert state.remaining == pytest.approx((DUE_INSTANT - now) / timedelta(days=1))
    assert state.fraction == pytest.approx((now - START) / (DUE_INSTANT - START))


def test_on_the_due_date_itself_the_task_is_overdue_from_local_midnight() -> None:
    condition = DateCondition(due=date(2026, 3, 1))
    assert single(condition, Position(START), Position(datetime(2026, 3, 1, 0, 0, 1, tzinfo=UTC))).status == (
        "overdue"
    )
    assert single(condition, Position(START), Position(datetime(2026, 2, 28, 23, 59, tzinfo=UTC))).status == (
        "planned"
    )


def test_date_percent_lead_is_a_share_of_the_time_from_the_start_instant() -> None:
    start = Position(datetime(2026, 1, 1, tzinfo=UTC))
    condition = DateCondition(every_days=10, notify_at_percent=80)
    warn = datetime(2026, 1, 9, tzinfo=UTC)
    assert single(condition, start, Position(warn - MICROSECOND)).status == "planned"
    state = single(condition, start, Position(warn))
    assert (state.status, state.warn) == ("upcoming", warn)
    assert state.fraction == pytest.approx(0.8)


def test_a_date_lead_longer_than_the_span_warns_from_the_start() -> None:
    state = single(DateCondition(every_days=5, notify_before_days=30), Position(START), Position(START))
    assert (state.status, state.warn) == ("upcoming", START)


def test_an_explicit_due_date_already_past_at_the_start_is_overdue_at_once() -> None:
    state = single(
        DateCondition(due=date(2025, 12, 1), notify_before_days=10), Position(START), Position(START)
    )
    assert (state.status, state.warn, state.fraction) == ("overdue", datetime(2025, 12, 1, tzinfo=UTC), None)


# --- several conditions: whichever comes first -----------------------------------------------------

BOTH: list[Condition] = [
    distance(10_000, notify_before=1_000),
    DateCondition(due=date(2026, 3, 1), notify_before_days=7),
]


@pytest.mark.parametrize(
    ("km", "now", "status"),
    [
        (50_000.0, DUE_INSTANT + timedelta(days=1), "overdue"),  # date overdue, km planned
        (60_000.0, START, "overdue"),  # km overdue, date planned
        (59_000.0, START, "upcoming"),  # km upcoming, date planned
        (50_000.0, WARN_INSTANT, "upcoming"),  # date upcoming, km planned
        (59_000.0, DUE_INSTANT, "overdue"),  # km upcoming, date overdue
        (50_000.0, START, "planned"),
    ],
)
def test_the_task_takes_the_worst_condition(km: float, now: datetime, status: str) -> None:
    occurrence = first_occurrence(BOTH, Position(START, 50_000.0), UTC_ZONE)
    evaluation = evaluate(BOTH, occurrence, now_at(km=km, at=now), UTC_ZONE)
    assert evaluation.status == status
    assert [s.kind for s in evaluation.conditions] == ["distance", "date"]


def test_wear_and_instants_summarise_the_conditions() -> None:
    occurrence = first_occurrence(BOTH, Position(START, 50_000.0), UTC_ZONE)
    evaluation = evaluate(BOTH, occurrence, now_at(km=59_500.0), UTC_ZONE)
    date_state = evaluation.conditions[1]
    assert evaluation.wear == pytest.approx(0.95)  # the distance, ahead of the date's share
    assert date_state.fraction is not None and date_state.fraction < 0.95
    assert evaluation.warn_at == READ_AT  # the km warning was reached before the date's
    assert evaluation.due_at == DUE_INSTANT  # only the date has a due instant so far
    unread = evaluate(BOTH, occurrence, now_at(), UTC_ZONE)
    assert (unread.warn_at, unread.due_at, unread.wear) == (WARN_INSTANT, DUE_INSTANT, date_state.fraction)


def test_wear_is_unknown_when_no_condition_knows_its_share() -> None:
    occurrence = first_occurrence([hours(100)], Position(START, hours=0.0), UTC_ZONE)
    evaluation = evaluate([hours(100)], occurrence, now_at(), UTC_ZONE)
    assert (evaluation.status, evaluation.wear, evaluation.warn_at, evaluation.due_at) == (
        "planned",
        None,
        None,
        None,
    )


# --- first occurrence: calendars and time zones ----------------------------------------------------


def first_due_date(condition: DateCondition, start_at: datetime, tz: ZoneInfo = UTC_ZONE) -> date | None:
    return first_occurrence([condition], Position(start_at), tz).due_date


@pytest.mark.parametrize(
    ("start_day", "months", "due"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamps to the month's end
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # ... in a leap year to the 29th
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # a leap day a year on
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # ... and four years on
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),  # across the year
        (date(2026, 5, 20), 1200, date(2126, 5, 20)),
    ],
)
def test_months_are_calendar_months_clamped_to_the_month_end(start_day: date, months: int, due: date) -> None:
    start_at = on_day(start_day, 10)
    assert first_due_date(DateCondition(every_months=months), start_at) == due


def test_days_and_explicit_dates_and_meters_count_from_the_start() -> None:
    conditions: list[Condition] = [distance(15_000), hours(250), DateCondition(every_days=90)]
    occurrence = first_occurrence(conditions, Position(START, 12_345.5, 99.5), UTC_ZONE)
    assert (occurrence.number, occurrence.start) == (1, Position(START, 12_345.5, 99.5))
    assert (occurrence.due_km, occurrence.due_hours, occurrence.due_date) == (
        27_345.5,
        349.5,
        date(2026, 4, 10),
    )
    assert first_due_date(DateCondition(due=date(2030, 5, 1)), START) == date(2030, 5, 1)


def test_a_meter_condition_needs_the_start_value() -> None:
    with pytest.raises(ValueError, match="distance"):
        first_occurrence([distance(1_000)], Position(START, hours=5.0), UTC_ZONE)


def test_the_start_date_is_the_local_date_in_the_account_time_zone() -> None:
    instant = datetime(2026, 6, 15, 20, 0, tzinfo=UTC)  # Jun 16 08:00 in Auckland, Jun 15 13:00 in LA
    condition = DateCondition(every_days=10)
    assert first_due_date(condition, instant, AUCKLAND) == date(2026, 6, 26)
    assert first_due_date(condition, instant, LOS_ANGELES) == date(2026, 6, 25)


@pytest.mark.parametrize(
    ("tz", "due_day", "instant"),
    [
        (AUCKLAND, date(2026, 6, 26), datetime(2026, 6, 25, 12, 0, tzinfo=UTC)),  # NZST, +12
        (AUCKLAND, date(2026, 1, 26), datetime(2026, 1, 25, 11, 0, tzinfo=UTC)),  # NZDT, +13
        (AUCKLAND, date(2026, 4, 5), datetime(2026, 4, 4, 11, 0, tzinfo=UTC)),  # DST ends that night
        (AUCKLAND, date(2026, 4, 6), datetime(2026, 4, 5, 12, 0, tzinfo=UTC)),
        (LOS_ANGELES, date(2026, 6, 25), datetime(2026, 6, 25, 7, 0, tzinfo=UTC)),  # PDT, -7
        (LOS_ANGELES, date(2026, 3, 8), datetime(2026, 3, 8, 8, 0, tzinfo=UTC)),  # DST starts 02:00
        (LOS_ANGELES, date(2026, 3, 9), datetime(2026, 3, 9, 7, 0, tzinfo=UTC)),
        (ZoneInfo("America/Santiago"), date(2026, 9, 6), datetime(2026, 9, 6, 4, 0, tzinfo=UTC)),  # no 00:00
        (
            ZoneInfo("America/Havana"),
            date(2026, 11, 1),
            datetime(2026, 11, 1, 4, 0, tzinfo=UTC),
        ),  # 00:00 twice
    ],
)
def test_a_date_falls_due_at_the_first_instant_of_the_local_day(
    tz: ZoneInfo, due_day: date, instant: datetime
) -> None:
    condition = DateCondition(due=due_day)
    start = Position(datetime(2026, 1, 1, tzinfo=UTC))
    assert single(condition, start, Position(instant - MICROSECOND), tz).status == "planned"
    state = single(condition, start, Position(instant), tz)
    assert (state.status, state.due) == ("overdue", instant)


def test_a_warning_across_a_dst_change_is_local_midnight_too() -> None:
    condition = DateCondition(due=date(2026, 3, 9), notify_before_days=1)  # the 23-hour day in LA
    state = single(condition, Position(datetime(2026, 1, 1, tzinfo=UTC)), Position(START), LOS_ANGELES)
    assert (state.warn, state.due) == (
        datetime(2026, 3, 8, 8, tzinfo=UTC),
        datetime(2026, 3, 9, 7, tzinfo=UTC),
    )


def test_the_same_instant_is_overdue_in_auckland_and_not_yet_in_los_angeles() -> None:
    condition = DateCondition(due=date(2026, 6, 16))
    now = Position(datetime(2026, 6, 15, 20, 0, tzinfo=UTC))
    start = Position(datetime(2026, 6, 1, tzinfo=UTC))
    assert single(condition, start, now, AUCKLAND).status == "overdue"
    assert single(condition, start, now, LOS_ANGELES).status == "planned"


# --- next occurrence ---------------------------------------------------------------------------------


def completed(
    conditions: list[Condition],
    occurrence: Occurrence,
    at: datetime,
    km: float | None = None,
    h: float | None = None,
    anchor: Anchor = "completion",
    tz: ZoneInfo = UTC_ZONE,
) -> Occurrence:
    return next_occurrence(conditions, occurrence, Position(at, km, h), anchor, tz)


def test_completion_anchor_counts_the_next_occurrence_from_the_completion() -> None:
    conditions: list[Condition] = [distance(15_000), hours(500, repeat=250), DateCondition(every_months=6)]
    first = first_occurrence(conditions, Position(START, 10_000.0, 100.0), UTC_ZONE)
    done_at = datetime(2026, 8, 20, 15, 0, tzinfo=UTC)
    second = completed(conditions, first, done_at, km=26_200.0, h=640.0)
    assert (second.number, second.start) == (2, Position(done_at, 26_200.0, 640.0))
    assert (second.due_km, second.due_hours, second.due_date) == (41_200.0, 890.0, date(2027, 2, 20))
    assert second.first_start_date == first.first_start_date == date(2026, 1, 10)
    third = completed(conditions, second, datetime(2026, 9, 1, tzinfo=UTC), km=30_000.0, h=700.0)
    assert (third.number, third.due_km, third.due_hours, third.due_date) == (
        3,
        45_000.0,
        950.0,
        date(2027, 3, 1),
    )


@pytest.mark.parametrize(
    ("done_h", "next_due"),
    [
        (480.0, 1_000.0),  # early: the plan stays at 1000
        (500.0, 1_000.0),  # on the point
        (999.0, 1_000.0),  # very late, still before the next point
        (1_000.0, 1_500.0),  # exactly on the next point: strictly beyond it
        (1_320.0, 1_500.0),  # late: no backlog of instantly overdue occurrences
        (500.0 + 3.7 * 500.0, 2_500.0),  # 3.7 intervals late: the next future point
        (12.0, 1_000.0),  # absurdly early: still the point after the one due
    ],
)
def test_cadence_anchor_keeps_fixed_points_on_the_meter(done_h: float, next_due: float) -> None:
    conditions: list[Condition] = [hours(500)]
    first = first_occurrence(conditions, Position(START, hours=0.0), UTC_ZONE)
    following = completed(conditions, first, READ_AT, h=done_h, anchor="cadence")
    assert following.due_hours == next_due
    assert following.start == Position(READ_AT, hours=done_h)


def test_cadence_uses_the_repeat_interval_after_the_first_limit() -> None:
    conditions: list[Condition] = [distance(1_000, repeat=300)]
    first = first_occurrence(conditions, Position(START, 0.0), UTC_ZONE)
    assert completed(conditions, first, READ_AT, km=1_650.0, anchor="cadence").due_km == 1_900.0


@pytest.mark.parametrize("anchor", ["completion", "cadence"])
def test_a_completion_without_the_meter_value_carries_on_from_the_due_point(anchor: Anchor) -> None:
    conditions: list[Condition] = [distance(10_000, repeat=5_000)]
    first = first_occurrence(conditions, Position(START, 50_000.0), UTC_ZONE)
    assert completed(conditions, first, READ_AT, anchor=anchor).due_km == 65_000.0


def test_completion_dates_are_local_dates_of_the_completion() -> None:
    conditions: list[Condition] = [DateCondition(every_days=10)]
    first = first_occurrence(conditions, Position(datetime(2026, 6, 1, tzinfo=UTC)), AUCKLAND)
    done_at = datetime(2026, 6, 15, 20, 0, tzinfo=UTC)  # Jun 16 in Auckland
    assert completed(conditions, first, done_at, tz=AUCKLAND).due_date == date(2026, 6, 26)


@pytest.mark.parametrize(
    ("condition", "done", "next_due"),
    [
        (DateCondition(every_days=30, repeat_days=90), date(2026, 2, 1), date(2026, 5, 2)),
        (DateCondition(every_days=30, repeat_months=12), date(2026, 2, 1), date(2027, 2, 1)),
        (DateCondition(every_months=1), date(2026, 1, 31), date(2026, 2, 28)),  # completion's anniversary
        (
            DateCondition(due=date(2026, 1, 30)),
            date(2026, 2, 5),
            date(2026, 2, 25),
        ),  # the first span: 20 days
        (DateCondition(due=date(2026, 1, 30), repeat_months=3), date(2026, 2, 5), date(2026, 5, 5)),
    ],
)
def test_completion_anchor_date_intervals(condition: DateCondition, done: date, next_due: date) -> None:
    first = first_occurrence([condition], Position(START), UTC_ZONE)
    done_at = on_day(done, 16)
    assert completed([condition], first, done_at).due_date == next_due


def test_monthly_cadence_keeps_the_month_end_anniversary() -> None:
    conditions: list[Condition] = [DateCondition(every_months=1)]
    occurrence = first_occurrence(conditions, Position(datetime(2026, 1, 31, 10, tzinfo=UTC)), UTC_ZONE)
    due_dates = [occurrence.due_date]
    for _ in range(4):  # each done on its due day
        done_at = on_day(due_dates[-1], 9)
        occurrence = completed(conditions, occurrence, done_at, anchor="cadence")
        due_dates.append(occurrence.due_date)
    assert due_dates == [
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
        date(2026, 6, 30),
    ]


def test_without_the_first_start_date_a_cadence_chains_from_the_previous_due_date() -> None:
    stored = Occurrence(2, Position(START), due_date=date(2026, 2, 28))  # as stored before the field existed
    following = completed(
        [DateCondition(every_months=1)], stored, datetime(2026, 2, 28, 9, tzinfo=UTC), anchor="cadence"
    )
    assert following.due_date == date(2026, 3, 28)


@pytest.mark.parametrize(
    ("condition", "start_day", "done", "next_due"),
    [
        # Quarterly from Jan 15: done far too late (Jul 20) -> the next future point, Oct 15
        (DateCondition(every_months=3), date(2025, 10, 15), date(2026, 7, 20), date(2026, 10, 15)),
        (
            DateCondition(every_months=3),
            date(2025, 10, 15),
            date(2026, 7, 15),
            date(2026, 10, 15),
        ),  # on a point
        (DateCondition(every_months=3), date(2025, 10, 15), date(2025, 11, 1), date(2026, 4, 15)),  # early
        (
            DateCondition(every_months=3, repeat_months=12),
            date(2025, 10, 31),
            date(2026, 2, 2),
            date(2027, 1, 31),
        ),
        (
            DateCondition(every_days=7),
            date(2026, 1, 1),
            date(2026, 1, 30),
            date(2026, 2, 5),
        ),  # 3.x weeks late
        (DateCondition(due=date(2026, 1, 31)), date(2026, 1, 1), date(2026, 1, 25), date(2026, 3, 2)),
        (DateCondition(due=date(2026, 1, 31)), date(2026, 1, 1), date(2026, 3, 3), date(2026, 4, 1)),
        (
            DateCondition(due=date(2026, 1, 31), repeat_months=1),
            date(2026, 1, 1),
            date(2026, 4, 2),
            date(2026, 4, 30),
        ),
    ],
)
def test_cadence_anchor_keeps_fixed_points_on_the_calendar(
    condition: DateCondition, start_day: date, done: date, next_due: date
) -> None:
    start_at = on_day(start_day, 8)
    first = first_occurrence([condition], Position(start_at), UTC_ZONE)
    done_at = on_day(done, 17)
    following = completed([condition], first, done_at, anchor="cadence")
    assert (following.due_date, following.start.at) == (next_due, done_at)


def test_an_explicit_due_cadence_keeps_its_first_span_across_early_completions() -> None:
    conditions: list[Condition] = [DateCondition(due=date(2026, 1, 31))]  # a 30-day span from Jan 1
    occurrence = first_occurrence(conditions, Position(datetime(2026, 1, 1, 8, tzinfo=UTC)), UTC_ZONE)
    for done_day in (date(2026, 1, 20), date(2026, 2, 25), date(2026, 3, 30)):
        done_at = on_day(done_day)
        occurrence = completed(conditions, occurrence, done_at, anchor="cadence")
    assert occurrence.due_date == date(2026, 4, 1) + timedelta(days=30)  # Jan 31 + 3 x 30 days


# --- check_conditions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "conditions",
    [
        [distance(15_000, notify_before=1_000)],
        [hours(500, notify_at_percent=100, repeat=250)],
        [distance(0.5, notify_before=0)],
        [DateCondition(due=date(2026, 5, 1), notify_before_days=0)],
        [DateCondition(every_months=12, notify_at_percent=90, repeat_days=30)],
        [distance(1), hours(1), DateCondition(every_days=1, repeat_months=1)],
    ],
)
def test_valid_conditions_break_no_rule(conditions: list[Condition]) -> None:
    assert check_conditions(conditions) == []


@pytest.mark.parametrize(
    ("conditions", "path", "reason"),
    [
        ([], "", "at least one"),
        ([distance(10), distance(20)], "distance", "at most one"),
        ([DateCondition(every_days=1), DateCondition(every_days=2)], "date", "at most one"),
        ([distance(0)], "distance.limit_km", "greater than 0"),
        ([hours(-5)], "hours.limit_h", "greater than 0"),
        ([distance(float("nan"))], "distance.limit_km", "greater than 0"),
        ([distance(float("inf"))], "distance.limit_km", "greater than 0"),
        ([distance(100, notify_before=-1)], "distance.notify_before_km", "at least 0"),
        ([distance(100, notify_before=100)], "distance.notify_before_km", "less than limit_km"),
        ([hours(100, notify_before=150)], "hours.notify_before_h", "less than limit_h"),
        ([hours(100, notify_before=10, notify_at_percent=50)], "hours.notify_at_percent", "not both"),
        ([distance(100, notify_at_percent=0)], "distance.notify_at_percent", "more than 0"),
        ([distance(100, notify_at_percent=100.5)], "distance.notify_at_percent", "at most 100"),
        ([distance(100, repeat=0)], "distance.repeat_km", "greater than 0"),
        ([hours(100, repeat=-1)], "hours.repeat_h", "greater than 0"),
        ([DateCondition()], "date", "exactly one"),
        ([DateCondition(due=date(2026, 1, 1), every_days=3)], "date", "exactly one"),
        ([DateCondition(every_days=3, every_months=1)], "date", "exactly one"),
        ([DateCondition(every_days=0)], "date.every_days", "greater than 0"),
        ([DateCondition(every_months=-1)], "date.every_months", "greater than 0"),
        ([DateCondition(every_days=3, repeat_days=0)], "date.repeat_days", "greater than 0"),
        ([DateCondition(every_days=3, repeat_months=0)], "date.repeat_months", "greater than 0"),
        ([DateCondition(every_days=3, repeat_days=2, repeat_months=1)], "date.repeat_months", "not both"),
        ([DateCondition(every_days=3, notify_before_days=-1)], "date.notify_before_days", "at least 0"),
        (
            [DateCondition(every_days=3, notify_before_days=1, notify_at_percent=5)],
            "date.notify_at_percent",
            "not both",
        ),
        ([DateCondition(every_days=3, notify_at_percent=-5)], "date.notify_at_percent", "more than 0"),
    ],
)
def test_each_broken_rule_is_named_by_its_field(conditions: list[Condition], path: str, reason: str) -> None:
    issues = check_conditions(conditions)
    assert [issue_path for issue_path, _ in issues] == [path]
    assert reason in issues[0][1]


def test_every_broken_rule_is_reported_at_once() -> None:
    issues = check_conditions([distance(-1, repeat=-1), DateCondition(every_days=0, notify_before_days=-2)])
    assert {path for path, _ in issues} == {
        "distance.limit_km",
        "distance.repeat_km",
        "date.every_days",
        "date.notify_before_days",
    }


# --- the edges of arithmetic -------------------------------------------------------------------------


@pytest.mark.parametrize("anchor", ["completion", "cadence"])
def test_an_interval_too_small_for_the_float_still_moves_the_due_point_forward(anchor: Anchor) -> None:
    conditions: list[Condition] = [distance(1e-300)]
    first = first_occurrence(conditions, Position(START, 50_000.0), UTC_ZONE)
    assert first.due_km is not None and first.due_km > 50_000.0
    following = completed(conditions, first, READ_AT, km=60_000.0, anchor=anchor)
    assert following.due_km is not None and following.due_km > 60_000.0


def test_dates_at_the_ends_of_the_calendar_evaluate_without_error() -> None:
    start = Position(datetime(2026, 1, 1, tzinfo=UTC))
    ancient = single(
        DateCondition(due=date(1, 1, 1), notify_before_days=36_500), start, Position(START), AUCKLAND
    )
    assert ancient.status == "overdue"
    remote = single(
        DateCondition(due=date(9999, 12, 31), notify_before_days=30), start, Position(START), LOS_ANGELES
    )
    assert remote.status == "planned"


def test_a_next_due_date_beyond_the_calendar_is_a_value_error() -> None:
    conditions: list[Condition] = [DateCondition(due=date(9999, 12, 1), repeat_months=12)]
    first = first_occurrence(conditions, Position(START), UTC_ZONE)
    assert completed(conditions, first, READ_AT).due_date == date(2027, 1, 20)  # a year after the work
    with pytest.raises(ValueError, match="beyond the calendar"):
        completed(conditions, first, READ_AT, anchor="cadence")  # a year after 9999-12-01


def test_invalid_or_mismatched_inputs_are_value_errors() -> None:
    occurrence = first_occurrence([distance(100)], Position(START, 0.0), UTC_ZONE)
    with pytest.raises(ValueError, match="hours"):
        evaluate([hours(100)], occurrence, now_at(h=5.0), UTC_ZONE)
    with pytest.raises(ValueError, match="date"):
        evaluate([DateCondition(every_days=1)], occurrence, now_at(), UTC_ZONE)
    with pytest.raises(ValueError, match="interval"):
        completed([distance(100, repeat=0)], occurrence, READ_AT, km=50.0)
    dated = first_occurrence([DateCondition(every_days=3)], Position(START), UTC_ZONE)
    with pytest.raises(ValueError, match="interval"):
        completed([DateCondition(every_days=-3)], dated, READ_AT)
    with pytest.raises(ValueError, match="due, every_days or every_months"):
        first_occurrence([DateCondition()], Position(START), UTC_ZONE)
