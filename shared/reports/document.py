"""A report as a titled table, or a form about one thing, independent of its file format.

The service that builds a report decides what the columns and rows are; the renderers decide
only how a kind of value looks in their format (a number cell in xlsx, "45,000" in a PDF,
"45000" in csv). Keeping the values typed until then is what lets a spreadsheet sort and sum them.

A ``Form`` is the document about one thing (a work order handed to a customer): labelled facts,
then sections, each a table with total rows, or texts. It is a PDF only.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

# A datetime (a date subclass) is a local time, shown to the minute; the service that builds the
# rows has put it in the reader's time zone.
CellValue = str | float | date | bool | None
ColumnKind = Literal["text", "number", "date", "datetime", "yes_no"]
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
class Fact:
    label: str
    value: str  # may run over several lines ("\n")


@dataclass(frozen=True)
class Text:
    caption: str  # who and when, say
    body: str


@dataclass(frozen=True)
class Section:
    """A heading and what is under it: a table (and bold total rows), texts, or ``empty``."""

    heading: str
    columns: tuple[Column, ...] = ()
    rows: list[tuple[CellValue, ...]] = field(default_factory=list)
    totals: list[tuple[CellValue, ...]] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    empty: str = "None"  # said when the section has no rows and no texts


@dataclass(frozen=True)
class Form:
    title: str
    subtitle: str
    facts: list[Fact]
    sections: list[Section]
    file_stem: str
    footer: str  # on every page, left of the page number


@dataclass(frozen=True)
class ReportFile:
    content: bytes
    media_type: str
    filename: str


def plain_number(value: float) -> str:
    """A number as data: no grouping, no trailing ``.0`` (``45000``, ``12.5``)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
