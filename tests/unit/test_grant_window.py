"""The 4-hour window of a grant taken back: [T, T + 4 h) keeps everything (docs/plans.md)."""

from datetime import UTC, datetime, timedelta

from shared.clock import to_iso
from shared.services.grant_expiry import ends_at, is_over

T = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
TAKEN_BACK = {"granted_at": to_iso(T - timedelta(days=3)), "revoked_at": to_iso(T)}


def test_the_window_is_four_hours_from_the_first_revocation() -> None:
    assert ends_at(TAKEN_BACK) == T + timedelta(hours=4)


def test_a_moment_before_the_end_keeps_the_grant_and_the_end_itself_removes_it() -> None:
    assert not is_over(TAKEN_BACK, T)
    assert not is_over(TAKEN_BACK, T + timedelta(hours=4) - timedelta(microseconds=1))
    assert is_over(TAKEN_BACK, T + timedelta(hours=4))
    assert is_over(TAKEN_BACK, T + timedelta(days=30))


def test_a_grant_in_force_has_no_window() -> None:
    in_force = {"granted_at": to_iso(T)}
    assert ends_at(in_force) is None
    assert not is_over(in_force, T + timedelta(days=365))
