"""Tables as CSV (UTF-8 with BOM, for Excel) and XLSX, safe against formula injection."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import xlsxwriter

_DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_DANGEROUS_START):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v if isinstance(v, str) else str(v)) for v in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence], sheet: str = "Sinau") -> bytes:
    buffer = io.BytesIO()
    # strings_to_formulas=False: text is always text, never a formula.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    for col, title in enumerate(header):
        worksheet.write_string(0, col, str(title), bold)
    for r, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                worksheet.write_number(r, col, value)
            else:
                worksheet.write_string(r, col, neutralise(str(value)))
    worksheet.freeze_panes(1, 1)
    workbook.close()
    return buffer.getvalue()
