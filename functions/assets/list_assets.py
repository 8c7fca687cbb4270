"""GET /assets"""

from shared.data import assets_repo
from shared.domain.assets import fold
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.assets import Asset, AssetListQuery, AssetPage


def _matches(asset: Asset, query: AssetListQuery) -> bool:
    text = fold(query.q)
    searched = (fold(asset.name), fold(asset.serial_number), fold(asset.external_id))
    return (
        (query.type is None or asset.type == query.type)
        and (query.brand is None or fold(asset.brand) == fold(query.brand))
        and (query.model is None or fold(asset.model) == fold(query.model))
        and (text is None or any(text in field for field in searched if field))
    )


@endpoint(query=AssetListQuery, response=AssetPage)
def handler(req: Request, query: AssetListQuery) -> AssetPage:
    if query.external_id is not None:
        # An exact reference names at most one asset: two reads, no listing.
        asset_id = assets_repo.find_asset_id_by_external_id(req.account_id, query.external_id)
        item = assets_repo.get_asset_item(req.account_id, asset_id) if asset_id else None
        found = [assets_repo.to_asset(item)] if item else []
        return AssetPage(items=[asset for asset in found if _matches(asset, query)])
    page = assets_repo.list_assets(req.account_id, query)
    return AssetPage(items=[assets_repo.to_asset(item) for item in page.items], next=page.next)
