"""A form as a PDF: portrait A4, the title, the facts in two columns, then each section (a table
with bold total rows, or texts wrapped over as many lines as they need), page numbers.

Tables are laid out as ``pdf_parts`` says (one line per row, cut short with "..."); facts and
texts wrap, and a page breaks between lines of a text, never inside one.
"""

import re
from typing import TYPE_CHECKING

from shared.reports.document import Fact, Form, Section
from shared.reports.pdf_parts import (
    FONT,
    FONT_SIZE,
    FOOTER_MM,
    PAD_MM,
    ROW_MM,
    RULE_GRAY,
    Table,
    fit,
    latin1,
    new_document,
)

if TYPE_CHECKING:
    from fpdf import FPDF

_TEXT_SIZE = 9
_LINE_MM = 4.5
_LABEL_MM = 30.0
_HEADING_MM = 7.0
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # all but the line feed


def _plain(text: str) -> str:
    """``text`` for the core fonts, line breaks kept and other control characters dropped."""
    return latin1(_CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")))


def _room(pdf: "FPDF", height: float) -> None:
    if pdf.get_y() + height > pdf.h - FOOTER_MM:
        pdf.add_page()


def _height(pdf: "FPDF", width: float, text: str) -> float:
    lines = pdf.multi_cell(width, _LINE_MM, text, align="L", dry_run=True, output="LINES")
    return max(1, len(lines) if isinstance(lines, list) else 1) * _LINE_MM


def _facts(pdf: "FPDF", facts: list[Fact]) -> None:
    """Label and value pairs, two to a line; a pair of long values starts a page if it must."""
    half = pdf.epw / 2
    value_width = half - _LABEL_MM - PAD_MM
    for start in range(0, len(facts), 2):
        pair = facts[start : start + 2]
        values = [_plain(fact.value) or "-" for fact in pair]
        pdf.set_font(FONT, "", _TEXT_SIZE)
        height = max(_height(pdf, value_width, value) for value in values)
        _room(pdf, height)
        top = pdf.get_y()
        for column, (fact, value) in enumerate(zip(pair, values, strict=True)):
            left = pdf.l_margin + column * half
            pdf.set_xy(left, top)
            pdf.set_font(FONT, "B", _TEXT_SIZE)
            pdf.cell(_LABEL_MM, _LINE_MM, fit(pdf, latin1(fact.label), _LABEL_MM - PAD_MM))
            pdf.set_font(FONT, "", _TEXT_SIZE)
            pdf.set_xy(left + _LABEL_MM, top)
            pdf.multi_cell(value_width, _LINE_MM, value, align="L")
        pdf.set_xy(pdf.l_margin, top + height + 1)


def _heading(pdf: "FPDF", text: str) -> None:
    _room(pdf, 3 + _HEADING_MM + 2 * ROW_MM)  # a heading never ends a page
    pdf.ln(3)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, _HEADING_MM - 1, latin1(text), new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(RULE_GRAY)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    pdf.ln(1)


def _section(pdf: "FPDF", section: Section) -> None:
    _heading(pdf, section.heading)
    if section.rows or section.totals:
        table = Table(
            pdf, [(index, column) for index, column in enumerate(section.columns) if column.pdf_width_mm]
        )
        table.header()
        for values in section.rows:
            table.row(values)
        for values in section.totals:
            table.row(values, bold=True)
    for text in section.texts:
        body = _plain(text.body)
        pdf.set_font(FONT, "", _TEXT_SIZE)
        _room(pdf, _LINE_MM + min(_height(pdf, pdf.epw, body), 3 * _LINE_MM))
        if text.caption:
            pdf.set_font(FONT, "B", FONT_SIZE)
            pdf.cell(0, _LINE_MM, fit(pdf, latin1(text.caption), pdf.epw), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", _TEXT_SIZE)
        pdf.multi_cell(0, _LINE_MM, body, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
    if not (section.rows or section.totals or section.texts):
        pdf.set_font(FONT, "I", _TEXT_SIZE)
        pdf.cell(0, _LINE_MM, latin1(section.empty), new_x="LMARGIN", new_y="NEXT")


def render_pdf_form(form: Form) -> bytes:
    pdf = new_document(form.title, form.footer, landscape=False)
    pdf.set_auto_page_break(True, margin=FOOTER_MM)  # texts wrap onto the next page
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.cell(0, 9, latin1(form.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(0, 5.5, _plain(form.subtitle), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _facts(pdf, form.facts)
    for section in form.sections:
        _section(pdf, section)
    return bytes(pdf.output())
