"""CSV files of the dashboard's tables: a header row, UTF-8 with a byte
order mark (so Excel opens Chinese text correctly), CRLF line ends, and no
formula injection: a text cell that starts with = + - @ (or a tab or
carriage return, which Excel also reads as a formula start) gets a leading
apostrophe, so a department or task title can never run as a formula."""
from __future__ import annotations

import csv
import io
from typing import Iterable

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: list[str], rows: Iterable[Iterable]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return (BOM + buffer.getvalue()).encode("utf-8")
