"""GET /work-orders/{work_order_id}/notes"""

from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.models.work_order_lines import NotePage, NoteQuery
from shared.services.work_order_notes import list_notes


@endpoint(query=NoteQuery, response=NotePage, errors=(404,))
def handler(req: Request, query: NoteQuery) -> NotePage:
    return list_notes(req.account_id, req.path_params.get("work_order_id", ""), query)
