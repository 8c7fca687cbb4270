"""SQS deliveries queue: send each notification's SMS and emails, at most once each."""

from typing import Any

from shared.clock import utc_now
from shared.services.sender import send_batch


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return send_batch(event, context, utc_now)
