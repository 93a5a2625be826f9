"""Text bound for a spreadsheet (CSV or Excel export) made safe against formula injection."""

from __future__ import annotations

import re
from typing import Any

# A cell starting with one of these is read as a formula by Excel, LibreOffice or Google Sheets
# (`=cmd|' /C calc'!A0`, `@SUM(...)`, `-2+3`); tab and carriage return hide such a start.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain signed number (a credit note "-12.50") is read as a number, never as a formula.
_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
# A signed figure as the app formats it (« -1 234,56 $ », « -$1,234.56 », « +12,5 % », « +8,2 pts »):
# thousands groups, a decimal part and a short unit, nothing a spreadsheet could run (« +33 1 23 45 » is not).
_FORMATTED_NUMBER = re.compile(
    r"^[+-]\s?\$?\d{1,3}(?:[ \u00a0\u202f,]\d{3})*(?:[.,]\d+)?(?:[ \u00a0\u202f]?(?:[$%€]|[^\W\d_]{1,4}))?$"
)


def neutralise_formula(text: str) -> str:
    """`text` with a leading apostrophe when a spreadsheet would run it as a formula."""
    if text.startswith(FORMULA_STARTS) and not (_PLAIN_NUMBER.match(text) or _FORMATTED_NUMBER.match(text)):
        return "'" + text
    return text


def neutralise_cell(value: Any) -> Any:
    """A cell value for an export: text neutralised, numbers, dates and None left as they are."""
    return neutralise_formula(value) if isinstance(value, str) else value
