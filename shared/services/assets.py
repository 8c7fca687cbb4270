"""Assets: register, read, list, change (what they measure, too), delete."""

import random
import time
from datetime import datetime
from typing import Any

from shared.data import asset_changes, asset_lists, assets_repo, grants_repo, tasks_repo
from shared.data.asset_lists import AssetFilter
from shared.data.asset_state import AssetChanged
from shared.domain.assets import fold, meters_for, ordered_meters
from shared.faults import conflict, not_found
from shared.ids import new_id
from shared.models.assets import Asset, AssetCreate, AssetListQuery, AssetPage, AssetUpdate
from shared.services.asset_views import to_asset
from shared.services.task_rules import check_meters_in_use

MAX_ATTEMPTS = 10


def create_asset(account_id: str, body: AssetCreate, now: datetime) -> Asset:
    fields = body.model_dump(exclude_none=True)
    fields["meters"] = meters_for(body.type, body.meters)
    return to_asset(assets_repo.create_asset(account_id, new_id("ast"), fields, now), now)


def get_asset(account_id: str, asset_id: str, now: datetime) -> Asset:
    item = assets_repo.get_asset_item(account_id, asset_id)
    if item is None:
        raise not_found("Asset")
    return to_asset(item, now)


def _matches(asset: Asset, query: AssetListQuery) -> bool:
    text = fold(query.q)
    searched = (fold(asset.name), fold(asset.serial_number), fold(asset.external_id))
    return (
        (query.type is None or asset.type == query.type)
        and (query.brand is None or fold(asset.brand) == fold(query.brand))
        and (query.model is None or fold(asset.model) == fold(query.model))
        and (text is None or any(text in field for field in searched if field))
        and (not query.service_status or asset.service.status in query.service_status)
        and (query.external_id is None or asset.external_id == query.external_id)
    )


# Rounds of a plan's assets a filtered page reads at most before it answers (with ``next``).
_PLAN_ROUNDS = 20


def _on_plan(account_id: str, plan_id: str, query: AssetListQuery, now: datetime) -> AssetPage:
    """Assets on a plan, the other filters applied as the assets are read: a page is filled
    from as many of the plan's pages as it takes (at most _PLAN_ROUNDS)."""
    found: list[Asset] = []
    cursor = query.next
    for _ in range(_PLAN_ROUNDS):
        page = asset_lists.on_plan(account_id, plan_id, query.limit - len(found), cursor)
        found += [asset for asset in (to_asset(item, now) for item in page.items) if _matches(asset, query)]
        cursor = page.next
        if cursor is None or len(found) >= query.limit:
            break
    return AssetPage(items=found, next=cursor)


def list_assets(account_id: str, query: AssetListQuery, now: datetime) -> AssetPage:
    if query.plan_id is not None:
        return _on_plan(account_id, query.plan_id, query, now)
    if query.external_id is not None:
        # An exact reference names at most one asset: two reads, no listing.
        asset_id = assets_repo.find_asset_id_by_external_id(account_id, query.external_id)
        item = assets_repo.get_asset_item(account_id, asset_id) if asset_id else None
        found = [to_asset(item, now)] if item else []
        return AssetPage(items=[asset for asset in found if _matches(asset, query)])
    wanted = AssetFilter(
        type=query.type,
        brand=query.brand,
        model=query.model,
        text=query.q,
        service_status=frozenset(query.service_status or ()),
        limit=query.limit,
        cursor=query.next,
    )
    page = asset_lists.list_assets(account_id, wanted, now)
    return AssetPage(items=[to_asset(item, now) for item in page.items], next=page.next)


def _renamed(account_id: str, item: dict[str, Any], changes: dict[str, Any], now: datetime) -> Asset:
    """The updated asset; a new name goes to the links of its providers too (G7)."""
    if "name" in changes and item.get("granted"):
        grants_repo.rename_links(account_id, item["id"], item["name"], int(item["version"]))
    return to_asset(item, now)


def update_asset(
    account_id: str, asset_id: str, body: AssetUpdate, expected_version: int | None, now: datetime
) -> Asset:
    """A partial update. Taking a meter away checks the open tasks that count on it, and holds
    only if no task was written meanwhile (else it checks again)."""
    changes: dict[str, Any] = {name: getattr(body, name) for name in body.model_fields_set}
    if "meters" not in changes:
        updated = asset_changes.update_asset(account_id, asset_id, changes, expected_version, now)
        return _renamed(account_id, updated, changes, now)
    changes["meters"] = ordered_meters(changes["meters"])
    for attempt in range(MAX_ATTEMPTS):
        item = assets_repo.get_asset_item(account_id, asset_id)
        if item is None:
            raise not_found("Asset")
        tasks_seen = int(item.get("task_seq", 0))
        check_meters_in_use(tasks_repo.asset_tasks(account_id, asset_id), changes["meters"])
        try:
            updated = asset_changes.update_asset(
                account_id, asset_id, changes, expected_version, now, tasks_seen
            )
        except AssetChanged:
            time.sleep(random.uniform(0, min(0.2, 0.01 * 2**attempt)))  # noqa: S311 - jitter
            continue
        return _renamed(account_id, updated, changes, now)
    raise conflict("the asset's tasks kept changing while its meters were changed; send the request again")


def delete_asset(account_id: str, asset_id: str, expected_version: int | None) -> None:
    assets_repo.delete_asset(account_id, asset_id, expected_version)
