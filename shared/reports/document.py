"""A report as a titled table, independent of its file format.

The service that builds a report decides what the columns and rows are; the renderers decide
only how a kind of value looks in their format (a number cell in xlsx, "45,000" in a PDF,
"45000" in csv). Keeping the values typed until then is what lets a spreadsheet sort and sum them.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

CellValue = str | float | date | bool | None
ColumnKind = Literal["text", "number", "date", "yes_no"]
FileFormat = Literal["pdf", "xlsx", "csv"]

MEDIA_TYPES: dict[FileFormat, str] = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class Column:
    title: str
    kind: ColumnKind = "text"
    decimals: int = 0  # numbers: digits shown after the point
    width_chars: float = 12  # spreadsheet column width
    pdf_width_mm: float | None = None  # None: left out of the PDF (ids are for machines)


@dataclass(frozen=True)
class Group:
    heading: str | None  # None: the report is not grouped
    rows: list[tuple[CellValue, ...]]


@dataclass(frozen=True)
class Report:
    title: str
    subtitle: str  # when it was made and what it shows, in the reader's time zone
    columns: tuple[Column, ...]
    groups: list[Group]
    file_stem: str  # the download's name without extension

    @property
    def grouped(self) -> bool:
        return any(group.heading is not None for group in self.groups)


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    media_type: str
    filename: str


def plain_number(value: float) -> str:
    """A number as data: no grouping, no trailing ``.0`` (``45000``, ``12.5``)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
