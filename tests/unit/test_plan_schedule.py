"""Where a planned service first falls due on an asset (shared/domain/plans.py)."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from shared.domain.due import Position, evaluate, next_occurrence
from shared.domain.plans import check_service, first_occurrence, grid_point_after, task_conditions
from shared.services.task_engine import engine_conditions

UTC_ZONE = ZoneInfo("UTC")
NOW = datetime(2026, 3, 1, 8, tzinfo=UTC)
HOURS = {"hours": {"every_h": 500, "notify_before_h": 50, "offset_h": 250}}


@pytest.mark.parametrize(
    ("every", "offset", "value", "expected"),
    [
        (500, 250, 0, 250),
        (500, 250, 249.999, 250),
        (500, 250, 250, 750),  # strictly beyond: a point reached is behind
        (500, 250, 730, 750),
        (500, 250, 1250, 1750),
        (500, None, 0, 500),
        (500, None, 730, 1000),
        (500, None, 1000, 1500),
        (0.1, None, 0.3, 0.4),  # 0.1 * 3 is not 0.3 in binary: still the next point
        (500, 50, 30, 50),  # an offset below the interval: a break-in service first
    ],
)
def test_the_first_point_of_the_grid_beyond_the_meter(
    every: float, offset: float | None, value: float, expected: float
) -> None:
    assert grid_point_after(every, offset, value) == pytest.approx(expected)
    assert grid_point_after(every, offset, value) > value


def test_every_asset_on_a_plan_is_serviced_at_the_same_readings() -> None:
    for hours, due in ((0.0, 250), (100.0, 250), (730.0, 750), (1249.0, 1250), (1251.0, 1750)):
        occurrence = first_occurrence(HOURS, True, "cadence", Position(NOW, None, hours), None, UTC_ZONE)
        assert occurrence.due_hours == due
        assert occurrence.start.hours == hours


def test_without_a_reading_the_meter_counts_as_zero() -> None:
    occurrence = first_occurrence(HOURS, True, "cadence", Position(NOW), None, UTC_ZONE)
    assert (occurrence.due_hours, occurrence.start.hours) == (250, 0.0)


def test_a_last_service_places_the_first_due_point_even_behind_the_meter() -> None:
    last = Position(datetime(2025, 1, 1, tzinfo=UTC), None, 300.0)
    on_grid = first_occurrence(HOURS, True, "cadence", Position(NOW, None, 1900.0), last, UTC_ZONE)
    assert on_grid.due_hours == 750  # overdue at 1900 h
    status = evaluate(
        engine_conditions(task_conditions(HOURS)), on_grid, Position(NOW, None, 1900.0), UTC_ZONE
    )
    assert status.status == "overdue"
    counted = first_occurrence(HOURS, True, "completion", Position(NOW, None, 1900.0), last, UTC_ZONE)
    assert counted.due_hours == 800


def test_a_service_done_once_is_due_at_its_point_of_the_lifetime_meter() -> None:
    break_in = {"hours": {"every_h": 50}}
    occurrence = first_occurrence(break_in, False, "cadence", Position(NOW, None, 10.0), None, UTC_ZONE)
    assert occurrence.due_hours == 50
    late = first_occurrence(break_in, False, "cadence", Position(NOW, None, 70.0), None, UTC_ZONE)
    assert late.due_hours == 50  # never recorded done: overdue


def test_dates_count_from_activation_or_from_the_last_service() -> None:
    six_months = {"date": {"every_months": 6, "notify_before_days": 14}}
    occurrence = first_occurrence(six_months, True, "cadence", Position(NOW), None, UTC_ZONE)
    assert occurrence.due_date == date(2026, 9, 1)
    last = Position(datetime(2025, 12, 15, tzinfo=UTC))
    assert first_occurrence(six_months, True, "cadence", Position(NOW), last, UTC_ZONE).due_date == date(
        2026, 6, 15
    )
    offset = {"date": {"every_days": 90, "offset_days": 10}}
    first = first_occurrence(offset, True, "cadence", Position(NOW), None, UTC_ZONE)
    assert first.due_date == date(2026, 3, 11)
    # the cadence then goes on from the first due date, every interval
    later = next_occurrence(
        engine_conditions(task_conditions(offset)),
        first,
        Position(datetime(2026, 3, 12, tzinfo=UTC)),
        "cadence",
        UTC_ZONE,
    )
    assert later.due_date == date(2026, 6, 9)


def test_later_services_stay_on_the_grid_whenever_the_work_is_done() -> None:
    conditions = engine_conditions(task_conditions(HOURS))
    first = first_occurrence(HOURS, True, "cadence", Position(NOW, None, 730.0), None, UTC_ZONE)
    early = next_occurrence(conditions, first, Position(NOW, None, 740.0), "cadence", UTC_ZONE)
    assert early.due_hours == 1250


def test_a_lead_must_be_shorter_than_its_interval() -> None:
    assert check_service({"hours": {"every_h": 500, "notify_before_h": 500}}) == [
        ("hours.notify_before_h", "must be less than every_h")
    ]
    assert (
        check_service({"date": {"every_months": 1, "notify_before_days": 28}})[0][0]
        == "date.notify_before_days"
    )
    assert check_service({"date": {"every_months": 1, "notify_before_days": 27}}) == []
    assert check_service(HOURS) == []


def test_task_conditions_carry_the_interval_and_lead_not_the_offset() -> None:
    assert task_conditions({**HOURS, "date": {"every_months": 12, "offset_days": 5}}) == {
        "hours": {"limit_h": 500, "notify_before_h": 50},
        "date": {"every_months": 12},
    }
