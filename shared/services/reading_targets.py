"""Which asset each reading of a batch is for, and those assets, read at the lowest price.

External ids and assets are read eventually consistently (half the price). An external id is
then checked against the asset it led to: the asset must still carry it. Where it does not (the
id was moved to another asset, or the asset deleted, a moment ago), the external id and its
asset are read again consistently. What neither read finds is read consistently as well
(``dynamo.get_items``), so an asset or id registered a moment ago is never missed.
"""

from typing import Any

from shared.data import assets_repo


def resolve(
    account_id: str, asset_ids: list[str], external_ids: list[str]
) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """external id -> asset id for the external ids that exist, and the stored assets among
    ``asset_ids`` and those, by id."""
    by_external = (
        assets_repo.find_asset_ids_by_external_ids(account_id, external_ids, consistent=False)
        if external_ids
        else {}
    )
    wanted = [*asset_ids, *by_external.values()]
    items = assets_repo.get_asset_items(account_id, wanted, consistent=False) if wanted else {}
    stale = [
        external
        for external, asset_id in by_external.items()
        if items.get(asset_id, {}).get("external_id") != external
    ]
    if stale:
        fresh = assets_repo.find_asset_ids_by_external_ids(account_id, stale, consistent=True)
        for external in stale:
            by_external.pop(external)
        by_external.update(fresh)
        items.update(assets_repo.get_asset_items(account_id, list(fresh.values()), consistent=True))
    return by_external, items
