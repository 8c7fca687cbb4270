"""An asset's service history: its task completions and closed work orders, newest first.

Apart from the asset writes, so that they do not import the work-order models (cold start).
"""

from typing import Any

from shared.data import assets_repo, tasks_repo
from shared.domain.work_orders import order_number
from shared.faults import not_found
from shared.models.history import HistoryPage, HistoryQuery


def service_history(account_id: str, asset_id: str, query: HistoryQuery) -> HistoryPage:
    """What was done to the asset, newest first."""
    if assets_repo.get_asset_item(account_id, asset_id) is None:
        raise not_found("Asset")
    page = tasks_repo.history_page(account_id, asset_id, query.limit, query.next)
    return HistoryPage.model_validate({"items": [_entry(item) for item in page.items], "next": page.next})


def _entry(item: dict[str, Any]) -> dict[str, Any]:
    if item.get("kind") == "work_order":
        return {**item, "display_number": order_number(int(item["number"]))}
    return {"kind": "task", **item}
