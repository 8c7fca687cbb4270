"""The sender function's batch: each queue message handled on its own (Powertools' batch utility),
the ones to receive again reported back to SQS as partial batch failures."""

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from shared.observability import logger, publish_metrics
from shared.services.delivery import TryLater, deliver

# An entirely failed batch is reported like a partial one: every message comes back by itself.
processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)


def send_batch(event: dict[str, Any], context: Any, clock: Callable[[], datetime]) -> dict[str, Any]:
    """Handle an SQS event of delivery messages; the partial batch response."""

    def handle(record: SQSRecord) -> str:
        try:
            return deliver(json.loads(record.body), record.receipt_handle, clock())
        except TryLater as later:
            logger.info("delivery comes back later", extra={"reason": str(later)})
            raise

    try:
        response = process_partial_response(
            event=event, record_handler=handle, processor=processor, context=context
        )
        return dict(response)
    finally:
        publish_metrics()
