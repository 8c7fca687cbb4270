"""GET /work-orders/report: the orders a list query selects, as a PDF, xlsx or csv file."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import FileDownload
from shared.models.reports import OrderReportQuery
from shared.services.work_order_list_report import REPORT_MEDIA_TYPES, orders_report


@endpoint(query=OrderReportQuery, files=REPORT_MEDIA_TYPES)
def handler(req: Request, query: OrderReportQuery) -> FileDownload:
    report = orders_report(req.account_id, query, utc_now())
    return FileDownload(report.content, report.media_type, report.filename)
