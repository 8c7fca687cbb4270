"""POST /readings: many readings for many assets, each with its own result."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.readings import ReadingBatch, ReadingBatchResult
from shared.services.readings import record_readings


@endpoint(body=ReadingBatch, response=ReadingBatchResult, idempotent=True)
def handler(req: Request, body: ReadingBatch) -> ReadingBatchResult:
    return record_readings(req.account_id, body, utc_now())
