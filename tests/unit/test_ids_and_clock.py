"""Identifiers and timestamps as clients see them."""

from datetime import UTC, datetime, timedelta, timezone

from shared.clock import from_iso, to_iso
from shared.ids import is_valid_id, new_id


def test_new_ids_carry_their_type_and_are_unique_and_time_ordered() -> None:
    ids = [new_id("ast") for _ in range(200)]
    assert len(set(ids)) == 200
    assert all(is_valid_id(value, "ast") for value in ids)
    assert ids[0][:14] <= ids[-1][:14]  # the time part sorts


def test_an_id_of_another_type_or_shape_is_not_valid() -> None:
    asset_id = new_id("ast")
    assert not is_valid_id(asset_id, "tsk")
    assert not is_valid_id(asset_id + "x", "ast")
    assert not is_valid_id("ast_../../etc", "ast")
    assert not is_valid_id("", "ast")


def test_timestamps_are_utc_and_sort_as_text() -> None:
    earlier = datetime(2026, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    later = datetime(2026, 3, 2, 5, 0, 0, 1, tzinfo=UTC)
    assert to_iso(earlier).endswith("Z")
    assert to_iso(earlier) < to_iso(later)
    assert from_iso(to_iso(earlier)) == earlier
