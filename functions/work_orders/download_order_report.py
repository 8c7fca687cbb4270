"""GET /work-orders/{work_order_id}/report: the order as the PDF a customer is handed."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import FileDownload
from shared.services.work_order_report import MEDIA_TYPE, order_report


@endpoint(files=(MEDIA_TYPE,), errors=(404,))
def handler(req: Request) -> FileDownload:
    report = order_report(req.account_id, req.path_params.get("work_order_id", ""), utc_now())
    return FileDownload(report.content, report.media_type, report.filename)
