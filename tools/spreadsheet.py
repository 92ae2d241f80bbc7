"""Spreadsheet files (CSV and XLSX) that are safe to open: pure functions
from a header and rows to bytes, no ORM. Every file the addon hands out goes
through here: the portal export (G4) and the weekly after-hours clients file
(A5)."""

import csv
import io
import re

import xlsxwriter

# A cell starting with one of these is a formula for spreadsheet programs:
# quote it so that a client's text cannot run as one (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# A number or a phone number ("+33 4 50 10 20 30", "-12.5") cannot call a
# function or another program: it stays as it is, readable.
PLAIN_NUMBER = re.compile(r"[+-][\d\s().,/]*")


def safe_cell(value):
    """``value`` with a leading quote when a spreadsheet program would read
    it as a formula."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def to_csv(header, rows, delimiter=","):
    """UTF-8 CSV with a byte-order mark (spreadsheet programs then read the
    accents right), formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header, rows, sheet_name="Requests"):
    """One sheet, bold header, text cells written as text (never formulas)."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet(sheet_name[:31])
    bold = workbook.add_format({"bold": True})
    for col, title in enumerate(header):
        sheet.write_string(0, col, str(title), bold)
        sheet.set_column(col, col, max(12, min(len(str(title)) + 4, 40)))
    for row_index, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, int | float) and not isinstance(value, bool):
                sheet.write_number(row_index, col, value)
            else:
                sheet.write_string(row_index, col, str(value))
    workbook.close()
    return buffer.getvalue()
