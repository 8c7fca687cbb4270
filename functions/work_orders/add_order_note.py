"""POST /work-orders/{work_order_id}/notes: a remark, internal or for the customer."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_lines import Note, NoteCreate
from shared.services.work_order_notes import add_note


@endpoint(body=NoteCreate, response=Note, status=201, idempotent=True, errors=(404,))
def handler(req: Request, body: NoteCreate) -> Note:
    return add_note(req.account_id, req.path_params.get("work_order_id", ""), body, utc_now(), req.subject)
