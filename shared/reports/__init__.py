"""Reports as files: one table model (``document``) and a renderer per file format.

Each renderer imports its library (openpyxl, fpdf2) only when it runs, so the functions that
never write a file do not pay for those imports at cold start.
"""
