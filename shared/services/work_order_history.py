"""A closed work order in the service history of each asset it covers (H1 in docs/data-model.md)."""

from typing import Any

from shared.data import keys, work_orders_repo


def history_entries(account_id: str, order: dict[str, Any]) -> list[Any]:
    """The closed order in the history of each asset it covers (H1), its tasks inside."""
    closed = order["closed"]
    entry = {
        "entity": "history",
        "kind": "work_order",
        "work_order_id": order["id"],
        "number": order["number"],
        "title": order["title"],
        "type": order["type"],
        "outcome": closed["outcome"],
        "reason_code": closed.get("reason_code"),
        "comment": closed.get("comment"),
        "completed_at": closed["at"],
        "planned_start": order.get("planned_start"),
        "actual_start": order.get("actual_start"),
        "actual_end": order.get("actual_end"),
        "site": (order.get("site") or {}).get("name"),
        "totals": order.get("totals"),
        "completed_by": closed.get("by"),
        "status": order["status"],
        "ordered_at": order["created_at"],
        "customer": order.get("customer"),
        "assignees": [person["id"] for person in order.get("assignees") or []],
        "primary_assignee": next((p["id"] for p in order.get("assignees") or [] if p.get("primary")), None),
        "service_codes": order.get("service_codes") or [],
    }
    return [
        work_orders_repo.put_item(
            {
                **entry,
                "PK": keys.history_pk(account_id, asset_id),
                "SK": keys.asset_order_history_sk(closed["at"], order["id"]),
                "asset_id": asset_id,
                "tasks": [task for task in order.get("tasks") or [] if task["asset_id"] == asset_id],
            }
        )
        for asset_id in order.get("asset_ids") or []
    ]
