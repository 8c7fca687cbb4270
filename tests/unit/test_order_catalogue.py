"""The work-order catalogues' pure rules: seeded entries as an account changed them, and what a
status change or deletion may not do (issue 14)."""

from dataclasses import replace

from shared.domain.order_catalogue import (
    SEEDED_REASONS,
    SEEDED_TYPES,
    in_position_order,
    is_seeded_status,
    merged,
    refuse_change,
    refuse_delete,
    transition_problems,
)
from shared.domain.work_orders import SEEDED_STATUSES, OrderStatus

BY_KEY = {status.key: status for status in SEEDED_STATUSES}


def test_the_seeds_are_those_of_the_brief() -> None:
    assert [(t.key, t.code) for t in SEEDED_TYPES] == [
        ("install", 1001),
        ("inspection", 1002),
        ("maintenance", 1003),
        ("de_install", 1004),
        ("repair", 1005),
        ("demo", 1006),
        ("training", 1007),
    ]
    assert {(r.outcome, r.code) for r in SEEDED_REASONS} == {
        ("complete", "done"),
        ("incomplete", "no_access"),
        ("incomplete", "parts_missing"),
        ("incomplete", "other"),
    }
    assert is_seeded_status("on_hold") and not is_seeded_status("waiting")


def test_stored_entries_override_hide_or_add_to_the_seeded_ones() -> None:
    renamed = replace(BY_KEY["new"], name="Received")
    added = OrderStatus("waiting", "Waiting", 35)
    stored = {"new": renamed, "on_hold": None, "waiting": added, "gone": None}
    statuses = merged(SEEDED_STATUSES, stored, key=lambda s: s.key)
    assert [s.key for s in statuses] == [
        "new",
        "scheduled",
        "in_progress",
        "closed_complete",
        "closed_incomplete",
        "waiting",
    ]
    assert statuses[0].name == "Received"
    assert [s.key for s in in_position_order(statuses)][:4] == ["new", "scheduled", "in_progress", "waiting"]


def test_transitions_name_open_statuses_the_account_has() -> None:
    assert transition_problems(
        SEEDED_STATUSES, ["scheduled", "mine", "nowhere", "closed_complete"], "mine"
    ) == [
        (2, "unknown_status"),
        (3, "closed_status"),
    ]
    assert transition_problems(SEEDED_STATUSES, [], "new") == []


def test_what_keeps_a_status_from_being_deleted() -> None:
    assert refuse_delete(SEEDED_STATUSES, "closed_complete") == ("system_status", [])
    assert refuse_delete(SEEDED_STATUSES, "on_hold") is None
    pointing = [*SEEDED_STATUSES, OrderStatus("triage", "Triage", 5, transitions=("on_hold", "new"))]
    assert refuse_delete(pointing, "on_hold") == ("status_referenced", ["triage"])
    last = [s for s in SEEDED_STATUSES if s.category == "closed" or s.key == "scheduled"]
    assert refuse_delete(last, "scheduled") == ("last_open_status", [])


def test_a_closed_status_takes_a_name_and_a_position_only() -> None:
    assert refuse_change(BY_KEY["closed_complete"], ["name", "position"]) == []
    assert refuse_change(BY_KEY["closed_complete"], ["starts_work", "name", "category"]) == [
        "category",
        "starts_work",
    ]
    assert refuse_change(BY_KEY["new"], ["transitions", "category"]) == []
