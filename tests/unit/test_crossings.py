"""When readings reached a task's meter points, and where the next change of status lies."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.domain.crossings import record_reached, settle, watch_points
from shared.domain.due import DateCondition, MeterCondition, Position, evaluate, first_occurrence

T0 = datetime(2026, 3, 1, tzinfo=UTC)
UTC_ZONE = ZoneInfo("UTC")
OIL = MeterCondition("distance", 10_000, notify_before=1_000)  # from 50 000: warn 59 000, due 60 000
HOURS = MeterCondition("hours", 500, notify_before=50)  # from 1 000 h: warn 1 450, due 1 500


def hour(n: float) -> datetime:
    return T0 + timedelta(hours=n)


def occurrence():  # type: ignore[no-untyped-def]
    return first_occurrence([OIL, HOURS], Position(T0, 50_000, 1_000), UTC_ZONE)


def test_the_first_reading_at_or_beyond_a_point_reached_it() -> None:
    readings = [(hour(1), 58_000, 1_200), (hour(2), 59_500, 1_460), (hour(3), 60_200, 1_470)]
    reached = record_reached([OIL, HOURS], occurrence(), readings).reached
    assert reached == {"distance.warn": hour(2), "distance.due": hour(3), "hours.warn": hour(2)}


def test_a_recorded_instant_stays_unless_a_reading_reached_the_point_before_it() -> None:
    first = record_reached([OIL], occurrence(), [(hour(5), 60_000, None)])
    later = record_reached([OIL], first, [(hour(9), 61_000, None)])
    assert later.reached == first.reached == {"distance.warn": hour(5), "distance.due": hour(5)}
    earlier = record_reached([OIL], later, [(hour(4), 60_100, None)])  # a back-dated reading
    assert earlier.reached == {"distance.warn": hour(4), "distance.due": hour(4)}
    assert record_reached([OIL], earlier, [(hour(6), 59_000, None)]) is earlier  # nothing new


def test_the_engine_shows_when_a_point_was_reached_not_the_latest_reading() -> None:
    done = record_reached([OIL], occurrence(), [(hour(2), 59_000, None), (hour(3), 60_000, None)])
    evaluation = evaluate([OIL], done, Position(hour(9), 61_000, None, hour(8)), UTC_ZONE)
    assert (evaluation.status, evaluation.warn_at, evaluation.due_at) == ("overdue", hour(2), hour(3))
    # Without a record, the latest reading is the one known to have reached it.
    unknown = evaluate([OIL], occurrence(), Position(hour(9), 61_000, None, hour(8)), UTC_ZONE)
    assert (unknown.warn_at, unknown.due_at) == (hour(8), hour(8))


def test_a_new_occurrence_records_the_points_its_asset_has_passed_already() -> None:
    settled = settle([OIL, HOURS], occurrence(), Position(hour(9), 59_200, 1_100, hour(7)))
    assert settled.reached == {"distance.warn": hour(7)}
    assert settle([OIL], occurrence(), Position(hour(9))) == occurrence()  # no reading yet


def test_watch_points_are_the_next_point_ahead_of_each_meter() -> None:
    conditions = [OIL, HOURS, DateCondition(every_months=12)]
    assert watch_points(conditions, occurrence(), Position(hour(1), 55_000, 1_460)) == {
        "distance": 59_000,
        "hours": 1_500,
    }
    assert watch_points(conditions, occurrence(), Position(hour(1), 60_000, None)) == {"hours": 1_450}
