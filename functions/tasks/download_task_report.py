"""GET /tasks/report: the tasks a list query finds, as a PDF, xlsx or csv file."""

from shared.clock import utc_now
from shared.http.endpoint import endpoint
from shared.http.request import Request
from shared.http.responses import FileDownload
from shared.models.reports import TaskReportQuery
from shared.services.task_report import REPORT_MEDIA_TYPES, task_report


@endpoint(query=TaskReportQuery, files=REPORT_MEDIA_TYPES)
def handler(req: Request, query: TaskReportQuery) -> FileDownload:
    report = task_report(req.account_id, query, utc_now())
    return FileDownload(report.content, report.media_type, report.filename)
