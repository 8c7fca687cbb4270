"""A report as csv: UTF-8, one header row, one line per row.

csv is for programs, so it carries data only: no title and no group headings (the grouping
column is in every row, and the rows come in group order). Numbers are plain (``45000``,
``12.5``), dates ISO 8601, yes/no columns ``true``/``false`` as in the JSON API.
"""

import csv
import io
from datetime import date, datetime

from shared.reports.document import CellValue, Column, Report, plain_number


def _text(column: Column, value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and column.kind == "number":
        return plain_number(value)
    return str(value)


def render_csv(report: Report) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([column.title for column in report.columns])
    for group in report.groups:
        for row in group.rows:
            writer.writerow([_text(column, value) for column, value in zip(report.columns, row, strict=True)])
    return out.getvalue().encode("utf-8")
