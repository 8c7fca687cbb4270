"""A report as a PDF: landscape A4, one table, headings repeated on every page, page numbers.

Text and the table are laid out as ``pdf_parts`` says (core fonts, one line per row).
"""

from shared.reports.document import Report
from shared.reports.pdf_parts import FONT, FONT_SIZE, Table, latin1, new_document


def render_pdf(report: Report) -> bytes:
    pdf = new_document(report.title, report.title, landscape=True)
    pdf.set_auto_page_break(False)  # the table breaks its own pages
    pdf.add_page()
    pdf.set_font(FONT, "B", 14)
    pdf.cell(0, 8, latin1(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=FONT_SIZE)
    pdf.multi_cell(0, 4, latin1(report.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    table = Table(
        pdf, [(index, column) for index, column in enumerate(report.columns) if column.pdf_width_mm]
    )
    table.header()
    for group in report.groups:
        if group.heading is not None:
            table.group(group.heading)
        for values in group.rows:
            table.row(values)
    return bytes(pdf.output())
