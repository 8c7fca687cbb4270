"""PATCH /assets/{asset_id}"""

from shared.clock import utc_now
from shared.data import assets_repo
from shared.domain.assets import ordered_meters
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.assets import Asset, AssetUpdate
from shared.services.tasks import check_meters_in_use


@endpoint(body=AssetUpdate, response=Asset, idempotent=True, errors=(404, 409, 412))
def handler(req: Request, body: AssetUpdate) -> Asset:
    asset_id = req.path_id("asset_id", "ast", "Asset")
    changes = {name: getattr(body, name) for name in body.model_fields_set}
    if "meters" in changes:
        changes["meters"] = ordered_meters(changes["meters"])
        check_meters_in_use(req.account_id, asset_id, changes["meters"])
    return assets_repo.update_asset(req.account_id, asset_id, changes, req.if_match(), utc_now())
