"""How a report is asked for: its file format, order, grouping and filters.

The filters are those of the list it reports (``GET /tasks``, ``GET /work-orders``) with the same
names and meaning, so a report is "this list, as a file"; ``TASK_FILTERS`` names the task
filters for the hand-over to the list query.
"""

from typing import Literal

from pydantic import Field, field_validator

from shared.models.tasks import TaskFilters
from shared.models.work_orders import OrderQuery

# xls (the binary Excel 97 format) is not offered: xlsx opens in every spreadsheet program.
ReportFormat = Literal["pdf", "xlsx", "csv"]
ReportGrouping = Literal["asset", "status"]
ReportSortKey = Literal[
    "due", "-due", "asset", "-asset", "name", "-name", "status", "-status", "cost", "-cost"
]

TASK_FILTERS = frozenset(TaskFilters.model_fields)


def _refuse_xls(value: object) -> object:
    """Say why the seed's xls is refused, not only which formats there are."""
    if isinstance(value, str) and value.lower() == "xls":
        raise ValueError("xls is not offered: use xlsx, which every spreadsheet program opens")
    return value


class TaskReportQuery(TaskFilters):
    format: ReportFormat = Field("pdf", description="pdf, xlsx (spreadsheet) or csv (UTF-8, header row)")
    group_by: ReportGrouping | None = Field(
        None, description="asset or status: rows under a heading per group; default: one table"
    )
    sort: ReportSortKey = Field(
        "due",
        description="due (earliest first, as GET /tasks), asset (name), name, status (overdue first) "
        "or cost; -key reverses. Ties: earliest due first, then task id",
    )

    _no_xls = field_validator("format", mode="before")(_refuse_xls)


class OrderReportQuery(OrderQuery):
    """The filters and sort of ``GET /work-orders`` (no paging: the report has every order)."""

    format: ReportFormat = Field("pdf", description="pdf, xlsx (spreadsheet) or csv (UTF-8, header row)")

    _no_xls = field_validator("format", mode="before")(_refuse_xls)
