"""Text bound for a spreadsheet (CSV or Excel export) made safe against formula injection."""

from __future__ import annotations

import re
from typing import Any

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets
# (`=cmd|' /C calc'!A0`, `@SUM(...)`, `-2+3`); tab and carriage return hide such a start.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain signed number (a credit note "-12.50") is read as a number, never as a formula.
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
# A signed figure as the app formats it (« -1 234,56 $ », « -$1,234.56 », « +12,5 % »): digits, separators
# and a unit only, nothing a spreadsheet could run.
_FORMATTED_NUMBER = re.compile(r"^[+-]\s?\$?[\d \u00a0\u202f.,]*\d[\d \u00a0\u202f.,]*\s?[$%€]?$")


def neutralise_formula(text: str) -> str:
    """`text` with a leading apostrophe when a spreadsheet would run it as a formula."""
    if text.startswith(FORMULA_STARTS) and not (_PLAIN_NUMBER.match(text) or _FORMATTED_NUMBER.match(text)):
        return "'" + text
    return text


def neutralise_cell(value: Any) -> Any:
    """A cell value for an export: text neutralised, numbers, dates and None left as they are."""
    return neutralise_formula(value) if isinstance(value, str) else value
