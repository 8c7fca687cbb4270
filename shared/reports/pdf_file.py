"""A report as a PDF: landscape A4, one table, headings repeated on every page, page numbers.

It uses the PDF core font Helvetica, so no font file ships with the functions. The core fonts
know Latin-1 only: other characters become their closest Latin-1 form (an o with a double acute
becomes "o", typographic dashes and quotes plain ones, the euro sign "EUR") or "?", so a name in
any script never stops the report (the xlsx and csv keep the exact text).

The table is laid out here, one line per row with text that does not fit cut short with "...",
rather than with fpdf2's table(): that one wraps and measures every cell and took about 30 s for
5,000 rows, placing text directly takes under one.
"""

import unicodedata
from datetime import date
from typing import TYPE_CHECKING

from shared.reports.document import CellValue, Column, Report

if TYPE_CHECKING:
    from fpdf import FPDF

_FONT = "Helvetica"
_FONT_SIZE = 8
_MARGIN_MM = 10
_ROW_MM = 5.0
_PAD_MM = 1.0
_BASELINE_MM = 3.5  # from the top of a row to the text's baseline
_FOOTER_MM = 15.0  # kept free at the bottom of every page
_HEADING_GRAY = 225
_GROUP_GRAY = 242
_RULE_GRAY = 200
_ELLIPSIS = "..."
_TYPOGRAPHY = str.maketrans(
    {
        "\u2013": "-",
        "\u2014": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u20ac": "EUR",
        "\u2022": "-",
    }
)


def latin1(text: str) -> str:
    """``text`` with every character the core fonts can show; the rest approximated or "?"."""
    text = text.translate(_TYPOGRAPHY)
    if text.isascii():
        return text
    kept = []
    for char in text:
        if ord(char) < 256:
            kept.append(char)
            continue
        base = "".join(
            part
            for part in unicodedata.normalize("NFKD", char)
            if ord(part) < 256 and not unicodedata.combining(part)
        )
        kept.append(base or "?")
    return "".join(kept)


def _text(column: Column, value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return f"{value:,.{column.decimals}f}"
    return latin1(str(value))


def _fit(pdf: "FPDF", text: str, width: float) -> str:
    """``text`` cut short with "..." where it is wider than ``width`` mm."""
    full = pdf.get_string_width(text)
    if full <= width:
        return text
    room = width - pdf.get_string_width(_ELLIPSIS)
    cut = int(len(text) * room / full)  # a first guess from the average character width
    while cut > 0 and pdf.get_string_width(text[:cut]) > room:
        cut -= 1
    return text[:cut].rstrip() + _ELLIPSIS


class _Table:
    """Rows placed one under the other, a new page (with the header row again) when one is full."""

    def __init__(self, pdf: "FPDF", columns: list[tuple[int, Column]]) -> None:
        self.pdf = pdf
        self.columns = columns
        self.titles = [latin1(column.title) for _, column in columns]
        self.width = sum(column.pdf_width_mm or 0.0 for _, column in columns)

    def _room_for(self, height: float) -> None:
        if self.pdf.get_y() + height > self.pdf.h - _FOOTER_MM:
            self.pdf.add_page()
            self.header()

    def _band(self, gray: int, height: float) -> float:
        pdf = self.pdf
        top = pdf.get_y()
        pdf.set_fill_color(gray)
        pdf.rect(pdf.l_margin, top, self.width, height, style="F")
        return top

    def _cells(self, texts: list[str], top: float, align_numbers: bool) -> None:
        pdf = self.pdf
        x = pdf.l_margin
        for (_, column), text in zip(self.columns, texts, strict=True):
            width = column.pdf_width_mm or 0.0
            shown = _fit(pdf, text, width - 2 * _PAD_MM) if text else ""
            if shown:
                offset = _PAD_MM
                if align_numbers and column.kind == "number":
                    offset = width - _PAD_MM - pdf.get_string_width(shown)
                pdf.text(x + offset, top + _BASELINE_MM, shown)
            x += width

    def header(self) -> None:
        self.pdf.set_font(_FONT, "B", _FONT_SIZE)
        top = self._band(_HEADING_GRAY, _ROW_MM)
        self._cells(self.titles, top, align_numbers=True)
        self.pdf.set_y(top + _ROW_MM)
        self.pdf.set_font(_FONT, "", _FONT_SIZE)

    def group(self, heading: str) -> None:
        self._room_for(2 * _ROW_MM)  # a heading never ends a page without a row under it
        self.pdf.set_font(_FONT, "B", _FONT_SIZE)
        top = self._band(_GROUP_GRAY, _ROW_MM)
        self.pdf.text(
            self.pdf.l_margin + _PAD_MM, top + _BASELINE_MM, _fit(self.pdf, latin1(heading), self.width)
        )
        self.pdf.set_y(top + _ROW_MM)
        self.pdf.set_font(_FONT, "", _FONT_SIZE)

    def row(self, values: tuple[CellValue, ...]) -> None:
        self._room_for(_ROW_MM)
        pdf = self.pdf
        top = pdf.get_y()
        self._cells([_text(column, values[index]) for index, column in self.columns], top, align_numbers=True)
        pdf.set_draw_color(_RULE_GRAY)
        pdf.line(pdf.l_margin, top + _ROW_MM, pdf.l_margin + self.width, top + _ROW_MM)
        pdf.set_y(top + _ROW_MM)


def render_pdf(report: Report) -> bytes:
    from fpdf import FPDF  # noqa: PLC0415 - see shared.reports

    footer_text = latin1(report.title)

    class _Document(FPDF):
        def footer(self) -> None:
            self.set_y(-_MARGIN_MM - 2)
            self.set_font(_FONT, size=7)
            self.set_text_color(90)
            self.cell(0, 4, footer_text, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
            self.set_text_color(0)

    pdf = _Document(orientation="landscape", format="A4")
    pdf.set_margins(_MARGIN_MM, _MARGIN_MM, _MARGIN_MM)
    pdf.set_auto_page_break(False)  # the table breaks its own pages
    pdf.set_title(report.title)
    pdf.set_creator("ServiceCycle")
    pdf.add_page()
    pdf.set_font(_FONT, "B", 14)
    pdf.cell(0, 8, latin1(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(_FONT, size=_FONT_SIZE)
    pdf.multi_cell(0, 4, latin1(report.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    table = _Table(
        pdf, [(index, column) for index, column in enumerate(report.columns) if column.pdf_width_mm]
    )
    table.header()
    for group in report.groups:
        if group.heading is not None:
            table.group(group.heading)
        for values in group.rows:
            table.row(values)
    return bytes(pdf.output())
