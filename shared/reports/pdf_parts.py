"""What the PDF renderers share: text the core fonts can show, and a table placed row by row.

The PDFs use the core font Helvetica, so no font file ships with the functions. The core fonts
know Latin-1 only: other characters become their closest Latin-1 form (an o with a double acute
becomes "o", typographic dashes and quotes plain ones, the euro sign "EUR") or "?", so a name in
any script never stops a report (the xlsx and csv keep the exact text).

A table is laid out here, one line per row with text that does not fit cut short with "...",
rather than with fpdf2's table(): that one wraps and measures every cell and took about 30 s for
5,000 rows, placing text directly takes under one.
"""

import unicodedata
from datetime import date, datetime
from typing import TYPE_CHECKING

from shared.reports.document import CellValue, Column

if TYPE_CHECKING:
    from fpdf import FPDF

FONT = "Helvetica"
FONT_SIZE = 8
MARGIN_MM = 10
ROW_MM = 5.0
PAD_MM = 1.0
BASELINE_MM = 3.5  # from the top of a row to the text's baseline
FOOTER_MM = 15.0  # kept free at the bottom of every page
HEADING_GRAY = 225
GROUP_GRAY = 242
RULE_GRAY = 200
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


def cell_text(column: Column, value: CellValue) -> str:
    """A value as a person reads it: ``45,000.00``, ``2026-03-01``, ``2026-03-01 14:30``, yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return f"{value:,.{column.decimals}f}"
    return latin1(str(value))


def fit(pdf: "FPDF", text: str, width: float) -> str:
    """``text`` cut short with "..." where it is wider than ``width`` mm."""
    full = pdf.get_string_width(text)
    if full <= width:
        return text
    room = width - pdf.get_string_width(_ELLIPSIS)
    cut = int(len(text) * room / full)  # a first guess from the average character width
    while cut > 0 and pdf.get_string_width(text[:cut]) > room:
        cut -= 1
    return text[:cut].rstrip() + _ELLIPSIS


def new_document(title: str, footer: str, *, landscape: bool) -> "FPDF":
    """An A4 document with its first page: ``footer`` and "Page n of m" at the foot of each page."""
    from fpdf import FPDF  # noqa: PLC0415 - see shared.reports

    footer_text = latin1(footer)

    class _Document(FPDF):
        def footer(self) -> None:
            self.set_y(-MARGIN_MM - 2)
            self.set_font(FONT, size=7)
            self.set_text_color(90)
            self.cell(0, 4, footer_text, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
            self.set_text_color(0)

    pdf = _Document(orientation="landscape" if landscape else "portrait", format="A4")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_title(title)
    pdf.set_creator("ServiceCycle")
    return pdf


class Table:
    """Rows placed one under the other, a new page (with the header row again) when one is full."""

    def __init__(self, pdf: "FPDF", columns: list[tuple[int, Column]]) -> None:
        self.pdf = pdf
        self.columns = columns
        self.titles = [latin1(column.title) for _, column in columns]
        self.width = sum(column.pdf_width_mm or 0.0 for _, column in columns)

    def _room_for(self, height: float) -> None:
        if self.pdf.get_y() + height > self.pdf.h - FOOTER_MM:
            self.pdf.add_page()
            self.header()

    def _band(self, gray: int, height: float) -> float:
        pdf = self.pdf
        top = pdf.get_y()
        pdf.set_fill_color(gray)
        pdf.rect(pdf.l_margin, top, self.width, height, style="F")
        return top

    def _cells(self, texts: list[str], top: float) -> None:
        pdf = self.pdf
        x = pdf.l_margin
        for (_, column), text in zip(self.columns, texts, strict=True):
            width = column.pdf_width_mm or 0.0
            shown = fit(pdf, text, width - 2 * PAD_MM) if text else ""
            if shown:
                offset = PAD_MM
                if column.kind == "number":
                    offset = width - PAD_MM - pdf.get_string_width(shown)
                pdf.text(x + offset, top + BASELINE_MM, shown)
            x += width

    def header(self) -> None:
        self.pdf.set_font(FONT, "B", FONT_SIZE)
        top = self._band(HEADING_GRAY, ROW_MM)
        self._cells(self.titles, top)
        self.pdf.set_y(top + ROW_MM)
        self.pdf.set_font(FONT, "", FONT_SIZE)

    def group(self, heading: str) -> None:
        self._room_for(2 * ROW_MM)  # a heading never ends a page without a row under it
        self.pdf.set_font(FONT, "B", FONT_SIZE)
        top = self._band(GROUP_GRAY, ROW_MM)
        self.pdf.text(
            self.pdf.l_margin + PAD_MM, top + BASELINE_MM, fit(self.pdf, latin1(heading), self.width)
        )
        self.pdf.set_y(top + ROW_MM)
        self.pdf.set_font(FONT, "", FONT_SIZE)

    def row(self, values: tuple[CellValue, ...], *, bold: bool = False) -> None:
        self._room_for(ROW_MM)
        pdf = self.pdf
        top = pdf.get_y()
        if bold:
            pdf.set_font(FONT, "B", FONT_SIZE)
        self._cells([cell_text(column, values[index]) for index, column in self.columns], top)
        if bold:
            pdf.set_font(FONT, "", FONT_SIZE)
        pdf.set_draw_color(RULE_GRAY)
        pdf.line(pdf.l_margin, top + ROW_MM, pdf.l_margin + self.width, top + ROW_MM)
        pdf.set_y(top + ROW_MM)
