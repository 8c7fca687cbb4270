"""An account's reasons for closing work orders (C5, C6): seeded ones for both outcomes and the
account's own. A code is unique across the two outcomes, so a code alone names a reason (in the
path, and on a closed order). Deleting a seeded reason stores a tombstone."""

from datetime import datetime
from typing import Any

from shared.data import catalogue_repo, keys
from shared.domain.order_catalogue import MAX_REASONS, OUTCOMES, SEEDED_REASONS, OrderReason, merged
from shared.faults import conflict, not_found
from shared.models.work_order_catalogue import OrderReason as ReasonView
from shared.models.work_order_catalogue import OrderReasonCreate, OrderReasonList, OrderReasonQuery
from shared.services.versioned import check_version, retried
from shared.services.work_order_catalogue import (
    path_key,
    reason_of,
    version_of,
)

WHAT = "Work-order reason"
_SEEDED = {(reason.outcome, reason.code) for reason in SEEDED_REASONS}


def _name(outcome: str, code: str) -> str:
    return f"{outcome}#{code}"


def _read(account_id: str) -> tuple[dict[str, dict[str, Any]], list[OrderReason]]:
    """The stored entries by outcome and code (tombstones too), and the reasons that apply."""
    stored = {
        _name(item["outcome"], item["code"]): item
        for item in catalogue_repo.entries(account_id, catalogue_repo.REASONS)
    }
    overrides = {name: reason_of(item) for name, item in stored.items()}
    reasons = merged(SEEDED_REASONS, overrides, key=lambda r: _name(r.outcome, r.code))
    return stored, sorted(reasons, key=lambda r: (r.outcome, r.code))


def _view(reason: OrderReason, item: dict[str, Any] | None) -> ReasonView:
    return ReasonView(
        code=reason.code,
        outcome=reason.outcome,
        name=reason.name,
        seeded=(reason.outcome, reason.code) in _SEEDED,
        version=version_of(item) or 0,
        updated_at=item.get("updated_at") if item else None,
    )


def list_reasons(account_id: str, query: OrderReasonQuery) -> OrderReasonList:
    stored, reasons = _read(account_id)
    wanted = [r for r in reasons if query.outcome is None or r.outcome == query.outcome]
    return OrderReasonList(items=[_view(r, stored.get(_name(r.outcome, r.code))) for r in wanted])


def create_reason(account_id: str, body: OrderReasonCreate, now: datetime) -> ReasonView:
    other = next(outcome for outcome in OUTCOMES if outcome != body.outcome)

    def attempt() -> ReasonView:
        stored, reasons = _read(account_id)
        taken = next((r for r in reasons if r.code == body.code), None)
        if taken is not None:
            raise conflict(
                f"the account has a reason '{body.code}' already (for {taken.outcome})",
                "body.code",
                "key_taken",
            )
        if len(reasons) >= MAX_REASONS:
            raise conflict(f"an account has at most {MAX_REASONS} reasons", None, "too_many_reasons")
        fields = {"entity": "order_reason", "code": body.code, "outcome": body.outcome, "name": body.name}
        seen = version_of(stored.get(_name(body.outcome, body.code)))
        item = catalogue_repo.put_unless_elsewhere(
            account_id,
            keys.order_reason_sk(body.outcome, body.code),
            fields,
            seen,
            now,
            elsewhere=keys.order_reason_sk(other, body.code),
        )
        return _view(OrderReason(body.code, body.outcome, body.name), item)

    return retried(attempt)


def delete_reason(account_id: str, code: str, expected_version: int | None, now: datetime) -> None:
    """Delete a reason (orders closed with it keep its code)."""
    path_key(code, WHAT)

    def attempt() -> None:
        stored, reasons = _read(account_id)
        reason = next((r for r in reasons if r.code == code), None)
        if reason is None:
            raise not_found(WHAT)
        item = stored.get(_name(reason.outcome, code))
        check_version(expected_version, version_of(item) or 0)
        sk = keys.order_reason_sk(reason.outcome, code)
        if (reason.outcome, code) in _SEEDED:
            tombstone = {"entity": "order_reason", "code": code, "outcome": reason.outcome, "deleted": True}
            catalogue_repo.put(account_id, sk, tombstone, version_of(item), now)
        else:
            assert item is not None  # an account reason is stored
            catalogue_repo.delete(account_id, sk, int(item["version"]))

    retried(attempt)
