"""The meter rules, without AWS: what a reading does to an asset's current meters."""

from datetime import UTC, datetime, timedelta

import pytest

from shared.domain.meters import (
    Mark,
    MeterRuleViolation,
    MeterState,
    Neighbours,
    ReadingValues,
    accept_reading,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
BOTH = ("odometer", "hours")


def at(hours_ago: float) -> datetime:
    return NOW - timedelta(hours=hours_ago)


def test_first_reading_sets_the_current_meters() -> None:
    accepted, state = accept_reading(BOTH, MeterState(), ReadingValues(at(1), 1200.0, 35.5), NOW)
    assert accepted.applied
    assert (state.at, state.odometer_km, state.hours) == (at(1), 1200.0, 35.5)


def test_a_higher_reading_moves_only_the_meters_it_carries() -> None:
    start = MeterState(at(10), 1000.0, 50.0)
    _, state = accept_reading(BOTH, start, ReadingValues(at(1), odometer_km=1100.0), NOW)
    assert (state.odometer_km, state.hours, state.at) == (1100.0, 50.0, at(1))


def test_an_equal_value_is_not_a_decrease() -> None:
    _, state = accept_reading(BOTH, MeterState(at(10), 1000.0), ReadingValues(at(1), 1000.0), NOW)
    assert state.odometer_km == 1000.0


def test_a_lower_value_is_refused_with_the_field_and_both_values() -> None:
    with pytest.raises(MeterRuleViolation) as refused:
        accept_reading(BOTH, MeterState(at(10), 1000.0), ReadingValues(at(1), 999.5), NOW)
    assert refused.value.field == "odometer_km"
    assert refused.value.code == "meter_decreased"
    assert "999.5" in refused.value.reason and "1000" in refused.value.reason


def test_a_replaced_meter_starts_an_offset_that_keeps_lifetime_values_rising() -> None:
    start = MeterState(at(10), 250_000.0, 4000.0)
    accepted, state = accept_reading(
        BOTH, start, ReadingValues(at(5), odometer_km=12.0, meter_replaced=frozenset({"odometer"})), NOW
    )
    assert accepted.odometer_km == 250_000.0
    assert state.odometer_offset == 249_988.0
    # The next raw value from the new meter counts on from the lifetime value.
    accepted, state = accept_reading(BOTH, state, ReadingValues(at(1), odometer_km=112.0), NOW)
    assert accepted.odometer_km == 250_100.0
    assert state.hours == 4000.0 and state.hours_offset == 0.0


def test_after_a_replacement_a_value_below_the_new_meter_is_still_a_decrease() -> None:
    _, state = accept_reading(
        BOTH,
        MeterState(at(10), 500.0),
        ReadingValues(at(5), 10.0, meter_replaced=frozenset({"odometer"})),
        NOW,
    )
    with pytest.raises(MeterRuleViolation):
        accept_reading(BOTH, state, ReadingValues(at(1), 9.0), NOW)


def test_an_older_reading_is_history_and_moves_nothing() -> None:
    start = MeterState(at(1), 1000.0, 40.0)
    accepted, state = accept_reading(BOTH, start, ReadingValues(at(5), 900.0, 38.0), NOW, Neighbours())
    assert not accepted.applied
    assert state == start
    assert accepted.odometer_km == 900.0


def test_a_history_reading_takes_the_offset_in_effect_at_its_time() -> None:
    # The odometer was replaced at 3 h ago (offset 500); a reading from 5 h ago is from the old one.
    start = MeterState(at(1), 1000.0, odometer_offset=500.0)
    before = Neighbours(before={"odometer": Mark(at(8), 400.0, 0.0)})
    accepted, _ = accept_reading(BOTH, start, ReadingValues(at(5), odometer_km=450.0), NOW, before)
    assert accepted.odometer_km == 450.0
    after_replacement = Neighbours(before={"odometer": Mark(at(3), 900.0, 500.0)})
    accepted, _ = accept_reading(BOTH, start, ReadingValues(at(2), odometer_km=450.0), NOW, after_replacement)
    assert accepted.odometer_km == 950.0


@pytest.mark.parametrize(
    ("value", "bound"),
    [
        (4_000.0, "lower than the 5000 km read earlier, at 2026-06-01T02:00:00Z"),
        (9_000.0, "higher than the 6000 km read later, at 2026-06-01T09:00:00Z"),
    ],
)
def test_a_history_reading_must_fit_between_its_neighbours(value: float, bound: str) -> None:
    around = Neighbours(
        before={"odometer": Mark(at(10), 5_000.0, 0.0)}, after={"odometer": Mark(at(3), 6_000.0, 0.0)}
    )
    with pytest.raises(MeterRuleViolation) as refused:
        accept_reading(BOTH, MeterState(at(1), 7_000.0), ReadingValues(at(5), value), NOW, around)
    assert (refused.value.field, refused.value.code) == ("odometer_km", "meter_out_of_order")
    assert bound in refused.value.reason
    fits, _ = accept_reading(BOTH, MeterState(at(1), 7_000.0), ReadingValues(at(5), 5_500.0), NOW, around)
    assert fits.odometer_km == 5_500.0


def test_a_replacement_older_than_the_latest_reading_is_refused() -> None:
    with pytest.raises(MeterRuleViolation) as refused:
        accept_reading(
            BOTH,
            MeterState(at(1), 1000.0),
            ReadingValues(at(5), 3.0, meter_replaced=frozenset({"odometer"})),
            NOW,
            Neighbours(),
        )
    assert refused.value.field == "meter_replaced"


def test_a_meter_the_asset_does_not_have_is_refused() -> None:
    with pytest.raises(MeterRuleViolation) as refused:
        accept_reading(("odometer",), MeterState(), ReadingValues(at(1), hours=12.0), NOW)
    assert (refused.value.field, refused.value.code) == ("hours", "meter_not_on_asset")


@pytest.mark.parametrize(("ahead", "refused"), [(timedelta(minutes=4), False), (timedelta(minutes=6), True)])
def test_readings_from_the_future_are_refused_beyond_clock_skew(ahead: timedelta, refused: bool) -> None:
    reading = ReadingValues(NOW + ahead, 10.0)
    if refused:
        with pytest.raises(MeterRuleViolation, match="future"):
            accept_reading(BOTH, MeterState(), reading, NOW)
    else:
        accepted, _ = accept_reading(BOTH, MeterState(), reading, NOW)
        assert accepted.applied


def test_the_neighbours_of_a_time_are_the_nearest_readings_with_each_meter() -> None:
    from shared.domain.meters import neighbours_in  # noqa: PLC0415

    odo = lambda hours, value: {"odometer": Mark(at(hours), value, 0.0)}  # noqa: E731
    timeline = [
        (at(10), {**odo(10, 100.0), "hours": Mark(at(10), 5.0, 0.0)}),
        (at(8), odo(8, 120.0)),
        (at(5), odo(5, 150.0)),
        (at(2), {"hours": Mark(at(2), 9.0, 0.0)}),
        (at(1), odo(1, 200.0)),
    ]
    around = neighbours_in(timeline, at(5), {"odometer", "hours"})
    assert (around.before["odometer"].value, around.before["hours"].value) == (120.0, 5.0)
    assert (around.after["odometer"].value, around.after["hours"].value) == (200.0, 9.0)
    first = neighbours_in(timeline, at(12), {"odometer"})
    assert first.before == {} and first.after["odometer"].value == 100.0
