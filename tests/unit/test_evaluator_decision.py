"""The evaluator's decision on an index entry, and quiet hours (docs/notifications.md)."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shared.clock import to_iso
from shared.domain.quiet_hours import quiet_until
from shared.services.notice import decide

WARN = datetime(2027, 3, 1, tzinfo=UTC)
DUE = datetime(2027, 3, 31, tzinfo=UTC)


def entry(status: str = "planned", round_: int = 0, pending: dict | None = None, dates: bool = True) -> dict:
    item = {
        "id": "tsk_x",
        "version": 3,
        "notice": {"occurrence": 2, "round": round_, "status": status, "at": None},
    }
    if dates:
        item |= {"date_warn_at": to_iso(WARN), "date_due_at": to_iso(DUE)}
    if pending:
        item["pending_notice"] = pending
    return item


def test_the_warning_and_due_instants_are_inclusive() -> None:
    assert decide(entry(), WARN - timedelta(microseconds=1)).status is None
    at_warn = decide(entry(), WARN)
    assert (at_warn.status, at_warn.previous, at_warn.wake) == ("upcoming", "planned", DUE)
    assert at_warn.notice.status == "upcoming" and at_warn.notice.occurrence == 2
    at_due = decide(entry("upcoming"), DUE)
    assert (at_due.status, at_due.previous, at_due.wake) == ("overdue", "upcoming", None)
    assert at_due.facts == [{"kind": "date", "status": "overdue", "due": to_iso(DUE), "current": to_iso(DUE)}]


def test_planned_to_overdue_within_one_period_tells_only_overdue() -> None:
    verdict = decide(entry(), DUE + timedelta(minutes=3))
    assert verdict.status == "overdue" and verdict.wake is None


def test_a_pending_notice_from_a_reading_is_told_with_its_cause_and_facts() -> None:
    facts = [{"kind": "distance", "status": "upcoming", "due": 15000, "current": 14600}]
    pending = {
        "status": "upcoming",
        "at": to_iso(WARN - timedelta(days=9)),
        "cause": "reading",
        "facts": facts,
    }
    verdict = decide(entry(pending=pending), WARN - timedelta(days=9))
    assert (verdict.status, verdict.cause, verdict.facts, verdict.wake) == ("upcoming", "reading", facts, DUE)


def test_a_date_above_the_pending_status_wins() -> None:
    pending = {"status": "upcoming", "at": to_iso(WARN), "cause": "reading", "facts": []}
    verdict = decide(entry(pending=pending), DUE)
    assert (verdict.status, verdict.cause) == ("overdue", "date")


def test_nothing_new_is_told_and_the_notice_never_goes_down_here() -> None:
    verdict = decide(entry("overdue"), DUE + timedelta(days=1))
    assert verdict.status is None and verdict.notice.status == "overdue" and verdict.wake is None
    stale = {"status": "upcoming", "at": to_iso(WARN), "cause": "reading", "facts": []}
    settled = decide(entry("overdue", pending=stale, dates=False), WARN)
    assert settled.status is None and settled.notice.status == "overdue"


def test_a_new_round_is_told_again() -> None:
    verdict = decide(entry("planned", round_=1), WARN)
    assert verdict.status == "upcoming" and verdict.notice.round == 1


BERLIN = ZoneInfo("Europe/Berlin")


def test_quiet_hours_across_midnight_end_at_local_end() -> None:
    start, end = time(22), time(7)
    night = datetime(2027, 1, 10, 22, 30, tzinfo=BERLIN)
    assert quiet_until(night, BERLIN, start, end) == datetime(2027, 1, 11, 7, tzinfo=BERLIN)
    early = datetime(2027, 1, 11, 6, 59, tzinfo=BERLIN)
    assert quiet_until(early, BERLIN, start, end) == datetime(2027, 1, 11, 7, tzinfo=BERLIN)
    assert quiet_until(datetime(2027, 1, 11, 7, tzinfo=BERLIN), BERLIN, start, end) is None
    assert quiet_until(datetime(2027, 1, 11, 12, tzinfo=BERLIN), BERLIN, start, end) is None


def test_quiet_hours_within_a_day_and_across_a_clock_change() -> None:
    assert quiet_until(datetime(2027, 1, 11, 12, 30, tzinfo=BERLIN), BERLIN, time(12), time(14)) == datetime(
        2027, 1, 11, 14, tzinfo=BERLIN
    )
    # 28 March 2027: Berlin skips 02:00-03:00; a hold until 02:30 ends as the clock jumps
    until = quiet_until(datetime(2027, 3, 28, 1, 30, tzinfo=BERLIN), BERLIN, time(1), time(2, 30))
    assert until is not None and until.astimezone(BERLIN).hour == 3
