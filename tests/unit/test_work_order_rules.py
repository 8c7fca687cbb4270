"""Work orders' pure rules: the workflow of statuses, order numbers, line money (issue 14)."""

from decimal import Decimal

import pytest

from shared.domain.work_orders import (
    SEEDED_STATUSES,
    Line,
    OrderStatus,
    allowed_moves,
    line_amounts,
    order_number,
    refuse_move,
    sequence_of,
    totals,
)


def test_seeded_statuses_move_to_any_later_open_one_or_one_step_back() -> None:
    assert allowed_moves(SEEDED_STATUSES, "new") == ("scheduled", "in_progress", "on_hold")
    assert allowed_moves(SEEDED_STATUSES, "scheduled") == ("new", "in_progress", "on_hold")
    assert allowed_moves(SEEDED_STATUSES, "in_progress") == ("scheduled", "on_hold")
    assert allowed_moves(SEEDED_STATUSES, "on_hold") == ("in_progress",)
    assert allowed_moves(SEEDED_STATUSES, "closed_complete") == ()


def test_closed_statuses_are_reached_only_by_closing() -> None:
    assert refuse_move(SEEDED_STATUSES, "on_hold", "closed_complete") == "invalid_transition"
    assert refuse_move(SEEDED_STATUSES, "closed_complete", "new") == "order_closed"


def test_a_move_is_refused_when_the_order_moved_meanwhile_or_the_status_is_unknown() -> None:
    assert refuse_move(SEEDED_STATUSES, "scheduled", "in_progress", expected_from="new") == "status_changed"
    assert refuse_move(SEEDED_STATUSES, "new", "in_progress", expected_from="new") is None
    assert refuse_move(SEEDED_STATUSES, "new", "waiting") == "unknown_status"
    assert refuse_move(SEEDED_STATUSES, "on_hold", "new") == "invalid_transition"


def test_an_accounts_own_transitions_replace_the_default() -> None:
    statuses = (
        *SEEDED_STATUSES,
        OrderStatus("waiting_parts", "Waiting for parts", 35, transitions=("in_progress", "closed_complete")),
    )
    assert allowed_moves(statuses, "waiting_parts") == ("in_progress",)  # never to a closed one
    assert allowed_moves(statuses, "in_progress") == ("scheduled", "waiting_parts", "on_hold")


def test_order_numbers_show_six_digits_and_read_back_in_any_spelling() -> None:
    assert order_number(42) == "WO-000042"
    assert order_number(1_234_567) == "WO-1234567"
    assert [sequence_of(text) for text in ("WO-000042", "wo-42", " 42 ", "WO-", "WO-4x", "-3")] == [
        42,
        42,
        42,
        None,
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("quantity", "price", "tax", "decimals", "expected"),
    [
        ("1", "2.675", "0", 2, ("2.68", "0.00", "2.68")),  # half-up on the exact decimal, not a float
        ("3", "0.335", "19", 2, ("1.01", "0.19", "1.20")),
        ("1.5", "100", "7", 0, ("150", "11", "161")),  # a currency without minor units
        ("2", "1.2345", "0", 3, ("2.469", "0.000", "2.469")),
    ],
)
def test_line_amounts_round_half_up_to_the_minor_unit(
    quantity: str, price: str, tax: str, decimals: int, expected: tuple[str, str, str]
) -> None:
    amounts = line_amounts(Line("part", Decimal(quantity), Decimal(price), Decimal(tax)), decimals)
    assert (str(amounts.net), str(amounts.tax), str(amounts.gross)) == expected


def test_totals_add_rounded_lines_per_kind_and_returns_count_negative() -> None:
    lines = [
        Line("part", Decimal(2), Decimal("10.005"), Decimal(19)),
        Line("part_returned", Decimal(1), Decimal("10.005"), Decimal(19)),
        Line("labour", Decimal("1.5"), Decimal(80), Decimal(19)),
    ]
    result = totals(lines, 2)
    assert str(result.by_kind["part"].net) == "20.01"
    assert str(result.by_kind["part_returned"].net) == "-10.01"
    assert str(result.by_kind["travel"].gross) == "0.00"
    assert str(result.total.net) == "130.00"
    assert result.total.gross == sum((amounts.gross for amounts in result.by_kind.values()), Decimal(0))
    assert str(result.total.tax) == "24.70"
