"""Reports as files: one table model (``document``) and a renderer per file format.

``render`` is the one way in for a table report, ``render_form`` for the document about one
thing (a PDF): they pick the renderer, the renderers know only the document model, and nothing
below imports back up. Each renderer imports its library (openpyxl, fpdf2) only when it runs, and
only the report functions' layer carries those libraries (infra/layer.py).
"""

from shared.reports.csv_file import render_csv
from shared.reports.document import MEDIA_TYPES, FileFormat, Form, Report, ReportFile
from shared.reports.pdf_file import render_pdf
from shared.reports.pdf_form import render_pdf_form
from shared.reports.xlsx_file import render_xlsx

_RENDERERS = {"pdf": render_pdf, "xlsx": render_xlsx, "csv": render_csv}


def render(report: Report, file_format: FileFormat) -> ReportFile:
    """The report as a file in ``file_format``."""
    content = _RENDERERS[file_format](report)
    return ReportFile(content, MEDIA_TYPES[file_format], f"{report.file_stem}.{file_format}")


def render_form(form: Form) -> ReportFile:
    """The form as a PDF file."""
    return ReportFile(render_pdf_form(form), MEDIA_TYPES["pdf"], f"{form.file_stem}.pdf")
