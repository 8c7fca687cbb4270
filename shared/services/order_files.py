"""The files declared for a work order (``GET /work-orders/{id}/files``): what the order's marks
of them keep (docs/files.md), a page at a time, oldest first."""

from datetime import datetime

from shared.data import files_repo
from shared.models.files import OrderFile, OrderFilePage, OrderFileQuery
from shared.services import work_order_state as state


def list_order_files(account_id: str, order_id: str, query: OrderFileQuery, now: datetime) -> OrderFilePage:
    state.load(account_id, order_id)
    page = files_repo.order_files_page(account_id, order_id, query.limit, query.next, now)
    items = [OrderFile.model_validate({**item, "id": item["file_id"]}) for item in page.items]
    return OrderFilePage(items=items, next=page.next)
