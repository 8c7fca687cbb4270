"""Moving an open work order to another open status, by the account's status transitions.

Kept apart from closing and reopening (shared/services/work_order_flow.py), which complete and
reopen tasks: a status move touches the order alone and its function imports no task code.
"""

from datetime import datetime

from shared.clock import to_iso
from shared.domain.work_orders import refuse_move
from shared.faults import conflict, invalid
from shared.models.work_orders import StatusMove, WorkOrder
from shared.services import work_order_state as state

_REFUSALS = {
    "unknown_status": "name a status of /work-order-statuses",
    "status_changed": "the order moved to another status meanwhile; read it and decide again",
    "order_closed": "the work order is closed; reopen it to change its status",
    "invalid_transition": "the order's status cannot move there (see the status's transitions)",
}


def move_status(
    account_id: str, order_id: str, body: StatusMove, expected_version: int | None, now: datetime, by: str
) -> WorkOrder:
    def step() -> WorkOrder:
        order = state.load(account_id, order_id, expected_version)
        statuses = state.statuses(account_id)
        refusal = refuse_move(statuses, order["status"], body.status, body.from_)
        if refusal == "unknown_status":
            raise invalid("body.status", _REFUSALS[refusal], refusal)
        if refusal is not None:
            raise conflict(
                _REFUSALS[refusal], "body.status" if refusal != "status_changed" else "body.from", refusal
            )
        target = state.status_of(statuses, body.status)
        assert target is not None
        moved = {**order, "status": target.key}
        if target.starts_work and not order.get("actual_start"):
            moved["actual_start"] = to_iso(now)
        event = {"type": "status", "from": order["status"], "to": target.key, "comment": body.comment}
        after, part = state.changed(account_id, moved, by, now, event)
        state.commit(account_id, order, after, [part])
        return state.view(after)

    return state.guarded(step, expected_version)
