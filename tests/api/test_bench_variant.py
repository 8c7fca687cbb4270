"""The Powertools-resolver variant the cold-start benchmark weighs our HTTP layer against is a
working handler, not a stub: it records a reading as ours does."""

import json

from local.gateway import LambdaContext, LocalGateway
from shared.routes import find_route
from tests.conftest import Api


def test_the_powertools_variant_records_a_reading_like_ours(api: Api) -> None:
    from bench import powertools_handler  # noqa: PLC0415

    truck = api.create_asset(name="Truck", type="vehicle")
    path = f"/assets/{truck['id']}/readings"
    route, params = find_route("POST", path) or (None, {})
    assert route is not None
    body = json.dumps({"odometer_km": 1234.5, "time": "2026-01-01T00:00:00Z"}).encode()
    event = LocalGateway._event(
        route,
        "POST",
        path,
        "",
        {"Content-Type": "application/json"},
        body,
        params,
        {"custom:account_id": api.account, "custom:role": "admin"},
    )
    event["body"], event["isBase64Encoded"] = body.decode(), False  # the resolver reads text bodies
    result = powertools_handler.handler(event, LambdaContext("variant", "r1"))
    assert result["statusCode"] == 200, result
    assert json.loads(result["body"])["odometer_km"] == 1234.5
    assert api.get(path).json()["items"][0]["odometer_km"] == 1234.5
