"""A report as an xlsx workbook: one sheet a person can read, sort and sum.

Title and subtitle on top, then a bold header row (frozen, and repeated on printed pages),
group headings as bold shaded rows, numbers as numbers and dates (and local times) as dates. A
write-only workbook streams rows instead of holding a cell object per value, so 5,000 rows stay
cheap.
"""

import io
from datetime import date, datetime
from typing import Any

from shared.reports.document import CellValue, Column, Report

_NUMBER_FORMATS = {0: "#,##0", 1: "#,##0.0", 2: "#,##0.00"}
_DATE_FORMAT = "yyyy-mm-dd"
_TIME_FORMAT = "yyyy-mm-dd hh:mm"
_FIRST_TABLE_ROW = 4  # title, subtitle, a blank line, then the header


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415 - see shared.reports

    return str(get_column_letter(index))


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - see shared.reports
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # noqa: PLC0415
    from openpyxl.styles import Font, PatternFill  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    workbook.properties.title = report.title
    sheet = workbook.create_sheet(report.title[:31])
    for index, column in enumerate(report.columns, start=1):
        sheet.column_dimensions[_column_letter(index)].width = column.width_chars
    sheet.freeze_panes = f"A{_FIRST_TABLE_ROW + 1}"
    sheet.print_title_rows = f"{_FIRST_TABLE_ROW}:{_FIRST_TABLE_ROW}"
    sheet.page_setup.orientation = "landscape"
    bold = Font(bold=True)
    shade = PatternFill("solid", fgColor="E6E6E6")

    def cell(value: Any, *, font: Any = None, fill: Any = None, number_format: str | None = None) -> Any:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters are not allowed in xlsx
        made = WriteOnlyCell(sheet, value=value)
        if font is not None:
            made.font = font
        if fill is not None:
            made.fill = fill
        if number_format is not None:
            made.number_format = number_format
        return made

    def data_cell(column: Column, value: CellValue) -> Any:
        if isinstance(value, bool):
            return cell("yes" if value else "no")
        if isinstance(value, datetime):  # a local time: Excel knows no zones
            return cell(value.replace(tzinfo=None), number_format=_TIME_FORMAT)
        if isinstance(value, date):
            return cell(value, number_format=_DATE_FORMAT)
        if isinstance(value, int | float):
            return cell(value, number_format=_NUMBER_FORMATS.get(column.decimals, "General"))
        return cell(value)

    sheet.append([cell(report.title, font=Font(bold=True, size=14))])
    sheet.append([cell(report.subtitle)])
    sheet.append([])
    sheet.append([cell(column.title, font=bold, fill=shade) for column in report.columns])
    for group in report.groups:
        if group.heading is not None:
            sheet.append([cell(group.heading, font=bold, fill=shade)])
        for row in group.rows:
            sheet.append(
                [data_cell(column, value) for column, value in zip(report.columns, row, strict=True)]
            )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
