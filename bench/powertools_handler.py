"""``POST /assets/{asset_id}/readings`` written with Powertools' event handler
(``APIGatewayRestResolver(enable_validation=True)``) and the same pydantic models and service as
``functions.readings.record_reading``: what the cold-start benchmark weighs our ``@endpoint``
against (docs/architecture.md, "The HTTP layer"). Not deployed.
"""

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver

from shared.clock import utc_now
from shared.models.readings import Reading, ReadingIn
from shared.observability import logger
from shared.services.readings import record_reading

app = APIGatewayRestResolver(enable_validation=True)


@app.post("/assets/<asset_id>/readings")
def record(asset_id: str, reading: ReadingIn) -> Reading:
    claims = app.current_event.request_context.authorizer.claims or {}
    result = record_reading(str(claims.get("custom:account_id", "")), asset_id, reading, utc_now())
    assert result.reading is not None
    return result.reading


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
