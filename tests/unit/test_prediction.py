"""Usage from readings (Theil-Sen) and the predicted due time of each condition."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.domain.due import Condition, DateCondition, MeterCondition, Position, evaluate, first_occurrence
from shared.domain.prediction import Prediction, Usage, predict, usage_from_readings

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
Reading = tuple[datetime, float | None, float | None]


def daily(days: range, km_per_day: float | None, hours_per_day: float | None = None) -> list[Reading]:
    """One reading a day at noon, ``days`` counting back from NOW (0 is now)."""
    return [
        (
            NOW - timedelta(days=back),
            None if km_per_day is None else 50_000 - back * km_per_day,
            None if hours_per_day is None else 3_000 - back * hours_per_day,
        )
        for back in days
    ]


def test_steady_usage_gives_its_rate_per_meter() -> None:
    usage = usage_from_readings(daily(range(20), 80.0, 6.5), NOW)
    assert usage.km_per_day == pytest.approx(80.0)
    assert usage.hours_per_day == pytest.approx(6.5)
    assert (usage.window_days, usage.readings_used) == (30, 20)


def test_the_order_of_the_readings_does_not_matter() -> None:
    readings = daily(range(10), 42.0)
    assert usage_from_readings(readings[::-1], NOW) == usage_from_readings(readings, NOW)


def test_a_gap_of_days_does_not_bias_the_rate() -> None:
    # Readings on days 0-4 and 22-27 back only: a fortnight in the workshop in between
    readings = daily(range(5), 120.0) + daily(range(22, 28), 120.0)
    usage = usage_from_readings(readings, NOW)
    assert usage.km_per_day == pytest.approx(120.0)
    assert usage.readings_used == 11


def test_uneven_readings_several_a_day_still_give_the_rate() -> None:
    readings = [
        (NOW - timedelta(hours=back), 10_000 - back * 2.5, None) for back in (0, 1, 3, 50, 51, 200, 201, 400)
    ]
    assert usage_from_readings(readings, NOW).km_per_day == pytest.approx(60.0)


@pytest.mark.parametrize("index", [0, 7, 14])  # the newest, a middle and the oldest reading
def test_one_outlier_reading_barely_moves_the_rate(index: int) -> None:
    readings = daily(range(15), 100.0)
    at, _, _ = readings[index]
    readings[index] = (at, 50_000 - index * 100.0 + 5_000, None)  # a typo: 5 000 km too many
    usage = usage_from_readings(readings, NOW)
    assert usage.km_per_day == pytest.approx(100.0, rel=0.05)


def test_readings_outside_the_window_are_ignored() -> None:
    old = daily(range(40, 60), 500.0)  # a different life, long ago
    recent = daily(range(10), 30.0)
    future: list[Reading] = [(NOW + timedelta(days=2), 999_999.0, None)]
    usage = usage_from_readings(old + recent + future, NOW, window_days=14)
    assert usage.km_per_day == pytest.approx(30.0)
    assert (usage.window_days, usage.readings_used) == (14, 10)


@pytest.mark.parametrize(
    "readings",
    [
        [],
        [(NOW, 1_000.0, 20.0)],  # a single reading
        [(NOW - timedelta(minutes=30), 1_000.0, 20.0), (NOW, 1_050.0, 21.0)],  # less than an hour apart
        [(NOW - timedelta(days=40), 1_000.0, 20.0), (NOW, 1_050.0, 21.0)],  # one of them outside the window
        [(NOW - timedelta(days=2), 1_000.0, 20.0), (NOW, 1_000.0, 20.0)],  # standing still
    ],
)
def test_too_few_readings_or_no_rise_give_no_rate(readings: list[Reading]) -> None:
    usage = usage_from_readings(readings, NOW)
    assert (usage.km_per_day, usage.hours_per_day) == (None, None)


def test_each_meter_uses_the_readings_that_carry_it() -> None:
    readings = [*daily(range(10), 50.0), (NOW - timedelta(days=3), None, 100.0), (NOW, None, 106.0)]
    usage = usage_from_readings(readings, NOW)
    assert usage.km_per_day == pytest.approx(50.0)
    assert usage.hours_per_day == pytest.approx(2.0)


def test_many_readings_are_thinned_but_give_the_same_rate() -> None:
    readings = [(NOW - timedelta(hours=back * 2), 9_000 - back * 3.0, None) for back in range(300)]
    assert usage_from_readings(readings, NOW).km_per_day == pytest.approx(36.0)


# --- predictions -------------------------------------------------------------------------------------

START = Position(datetime(2026, 5, 1, tzinfo=UTC), 40_000.0, 1_000.0)
USAGE = Usage(km_per_day=100.0, hours_per_day=4.0, window_days=30, readings_used=20)
MEASURED = NOW - timedelta(hours=5)  # when the latest reading was taken


def predicted(
    conditions: list[Condition], km: float | None, h: float | None, usage: Usage = USAGE
) -> Prediction:
    occurrence = first_occurrence(conditions, START, UTC_ZONE)
    evaluation = evaluate(conditions, occurrence, Position(NOW, km, h, MEASURED), UTC_ZONE)
    return predict(evaluation, usage, NOW, MEASURED)


def test_a_distance_condition_is_predicted_at_the_reading_plus_remaining_over_rate() -> None:
    prediction = predicted([MeterCondition("distance", 15_000)], 52_500.0, None)
    assert prediction.per_condition == (("distance", MEASURED + timedelta(days=25)),)
    assert prediction.predicted_at == MEASURED + timedelta(days=25)


def test_a_prediction_does_not_drift_while_no_reading_comes() -> None:
    conditions: list[Condition] = [MeterCondition("distance", 15_000)]
    evaluation = evaluate(
        conditions, first_occurrence(conditions, START, UTC_ZONE), Position(NOW, 52_500.0), UTC_ZONE
    )
    week_later = NOW + timedelta(days=7)
    assert predict(evaluation, USAGE, week_later, MEASURED).predicted_at == MEASURED + timedelta(days=25)
    assert predict(evaluation, USAGE, NOW).predicted_at == NOW + timedelta(days=25)  # unknown: from now


def test_the_task_is_predicted_at_the_earliest_condition() -> None:
    conditions: list[Condition] = [
        MeterCondition("distance", 15_000),  # 2 500 km left at 100/day: 25 days
        MeterCondition("hours", 500),  # 40 h left at 4/day: 10 days
        DateCondition(due=date(2026, 7, 1)),  # 29.5 days
    ]
    prediction = predicted(conditions, 52_500.0, 1_460.0)
    assert prediction.per_condition == (
        ("distance", MEASURED + timedelta(days=25)),
        ("hours", MEASURED + timedelta(days=10)),
        ("date", datetime(2026, 7, 1, tzinfo=UTC)),
    )
    assert prediction.predicted_at == MEASURED + timedelta(days=10)


def test_a_date_counts_with_its_due_instant_even_without_usage() -> None:
    conditions: list[Condition] = [MeterCondition("distance", 15_000), DateCondition(due=date(2026, 6, 20))]
    prediction = predicted(conditions, 41_000.0, None, Usage(None, None, 30, 0))
    assert prediction.per_condition == (("distance", None), ("date", datetime(2026, 6, 20, tzinfo=UTC)))
    assert prediction.predicted_at == datetime(2026, 6, 20, tzinfo=UTC)


def test_a_reached_point_is_predicted_when_it_was_reached() -> None:
    prediction = predicted([MeterCondition("distance", 15_000)], 56_000.0, None)
    assert prediction.predicted_at == MEASURED


def test_no_readings_no_prediction_and_no_error() -> None:
    assert predicted([MeterCondition("hours", 500)], None, None).predicted_at is None
    assert predicted([MeterCondition("hours", 500)], 1_100.0, None).predicted_at is None


def test_a_crawl_that_never_gets_there_has_no_prediction() -> None:
    crawl = Usage(km_per_day=1e-9, hours_per_day=None, window_days=30, readings_used=3)
    assert predicted([MeterCondition("distance", 15_000)], 41_000.0, None, crawl).predicted_at is None
