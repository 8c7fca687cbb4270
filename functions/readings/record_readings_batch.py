"""POST /readings: many readings for many assets, each with its own result."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.readings import ReadingBatch, ReadingBatchResult
from shared.services.readings import record_batch


@endpoint(body=ReadingBatch, response=ReadingBatchResult, idempotent=True)
def handler(req: Request, body: ReadingBatch) -> ReadingBatchResult:
    results = record_batch(req.account_id, body.readings, utc_now())
    rejected = sum(1 for result in results if result.outcome == "rejected")
    return ReadingBatchResult(accepted=len(results) - rejected, rejected=rejected, results=results)
