"""What a task's recipients are told, and when the evaluator looks at it again (issue 13)."""

from datetime import UTC, datetime

from shared.domain.notices import Decision, Notice, decide, wake_at

WARN = datetime(2027, 3, 1, 8, tzinfo=UTC)
DUE = datetime(2027, 3, 31, 8, tzinfo=UTC)


def test_a_task_reaching_upcoming_then_overdue_is_told_each_once() -> None:
    first = decide("upcoming", 1, None)
    assert first == Decision("upcoming", Notice(1, 0, "upcoming"))
    assert decide("upcoming", 1, first.notice) == Decision(None, None)
    second = decide("overdue", 1, first.notice)
    assert second == Decision("overdue", Notice(1, 0, "overdue"))
    assert decide("overdue", 1, second.notice) == Decision(None, None)


def test_planned_to_overdue_at_once_tells_only_overdue() -> None:
    assert decide("overdue", 1, None) == Decision("overdue", Notice(1, 0, "overdue"))
    assert decide("overdue", 1, Notice(1, 0, "planned")).notify == "overdue"


def test_a_planned_task_tells_nothing() -> None:
    assert decide("planned", 1, None) == Decision(None, Notice(1))
    assert decide("planned", 1, Notice(1)) == Decision(None, None)


def test_a_postponed_date_lowers_the_notice_silently_and_is_told_again_in_a_new_round() -> None:
    told = Notice(1, 0, "overdue")
    lowered = decide("planned", 1, told)
    assert lowered == Decision(None, Notice(1, 1, "planned"))
    again = decide("upcoming", 1, lowered.notice)
    assert again == Decision("upcoming", Notice(1, 1, "upcoming"))
    assert decide("upcoming", 1, Notice(1, 0, "overdue")) == Decision(None, Notice(1, 1, "upcoming"))


def test_a_new_occurrence_starts_at_planned_in_round_zero() -> None:
    told = Notice(1, 2, "overdue")
    assert decide("planned", 2, told) == Decision(None, Notice(2))
    assert decide("upcoming", 2, told) == Decision("upcoming", Notice(2, 0, "upcoming"))


def test_the_evaluator_looks_again_when_a_date_would_raise_the_status_above_what_was_told() -> None:
    assert wake_at("planned", WARN, DUE) == WARN
    assert wake_at("upcoming", WARN, DUE) == DUE
    assert wake_at("overdue", WARN, DUE) is None
    assert wake_at("planned", None, DUE) == DUE  # a date without a warning lead
    assert wake_at("planned", None, None) is None  # meters only: readings mark their changes
