"""Cell values -> cents, dates and clean text. French and English writing, Excel serials (1900 and 1904).

Each function returns the value, or None for an empty cell, or raises ValueError for a value that is there
but cannot be read (the validation step turns that into a row error).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from cqic_budget.money import read_amount

EPOCH_1900 = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's fictitious 1900-02-29
EPOCH_1904 = date(1904, 1, 1)
MAX_CENTS = 100_000_000_000  # a billion dollars: anything larger is a misread cell
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DMY_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")


# Characters removed from every imported text (SPEC §4): C0 controls but tab, line feed and carriage return,
# DEL, C1 controls, the bidi embeddings and overrides U+202A-202E and isolates U+2066-2069; and the same
# written as OOXML escapes (« _x0000_ ») when a reader left them undecoded.
CONTROL_CHARS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{CONTROL_CHARS}]")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_ANY_CONTROL = re.compile(f"[{CONTROL_CHARS}]|_x[0-9A-Fa-f]{{4}}_")
# The largest amount a cell may hold, in dollars, before anything else is looked at (1e+308, inf, nan).
MAX_FLOAT_DOLLARS = 1e12


def strip_controls(text: str) -> str:
    """`text` without control characters, bidi overrides and isolates, nor their _xHHHH_ escapes: the one
    rule every imported text field goes through (clean_text), so that none reaches the store or a screen."""
    if _ANY_CONTROL.search(text) is None:
        return text
    if "_x" in text:
        text = _ESCAPE.sub(lambda m: "" if _CONTROL.match(chr(int(m.group(1), 16))) else m.group(0), text)
    return _CONTROL.sub("", text)


def has_controls(text: str) -> bool:
    return _ANY_CONTROL.search(text) is not None


def is_blank(value: object) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def amount_cents(value: object) -> int | None:
    """A cell as integer cents, half-up: a number, or text like « 1 234,56 $ », « 1,234.56 », « (12.00) »."""
    kind = type(value)
    if kind is float:
        if not -MAX_FLOAT_DOLLARS < value < MAX_FLOAT_DOLLARS:  # also NaN: every comparison is false
            raise ValueError(value)
        cents = value * 100
        rounded = round(cents)
        if abs(cents - rounded) < 1e-6 and abs(rounded) < MAX_CENTS:
            return int(rounded)
        return _decimal_cents(Decimal(repr(value)))
    if kind is int:
        return _decimal_cents(Decimal(value))
    if kind is str:
        return _text_cents(value)
    if value is None:
        return None
    raise ValueError(value)


def _decimal_cents(value: Decimal) -> int:
    if not value.is_finite():
        raise ValueError(value)
    cents = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if abs(cents) >= MAX_CENTS:
        raise ValueError(value)
    return cents


def _text_cents(text: str, decimal: str | None = None) -> int | None:
    return text_amount(text, decimal)[0]


def text_amount(text: str, decimal: str | None = None) -> tuple[int | None, str | None, bool]:
    """(cents, currency written, ambiguous?) of an amount cell written as text, read by money.read_amount
    (the one reading the Settings editors use too); (None, None, False) for a blank cell."""
    if not text.strip():
        return None, None, False
    reading = read_amount(text, decimal=decimal)
    return _decimal_cents(reading.value), reading.currency, reading.ambiguous


# The last serial of each date system: 9999-12-31.
LAST_SERIAL_1900, LAST_SERIAL_1904 = 2_958_465, 2_957_003


def excel_serial_date(serial: float, date1904: bool) -> date:
    """The day of an Excel serial (its time of day dropped); ValueError for any serial that names no day.

    Not openpyxl.utils.datetime.from_excel, which the reader already uses for date cells: for a bare serial
    it differs where it matters here — serial 60 (Excel's fictitious 1900-02-29) gives 1900-02-28 where we
    give 1900-03-01, a time just before midnight rounds up to the next day, 0 <= serial < 1 gives a time,
    negatives give dates before 1900, and serials past 9999-12-31 raise OverflowError, which some callers
    (merchants, commitments) do not catch: a cell must become a row error. It is also twice as slow.
    """
    if serial != serial or serial < 1 or serial > (LAST_SERIAL_1904 if date1904 else LAST_SERIAL_1900):
        raise ValueError(serial)  # NaN, before 1900 (1904), after 9999-12-31
    days = int(serial)
    if date1904:
        return EPOCH_1904 + timedelta(days=days)
    if days < 61:  # before Excel's fictitious 1900-02-29
        return date(1899, 12, 31) + timedelta(days=days)
    return EPOCH_1900 + timedelta(days=days)


def parse_date(value: object, date1904: bool = False) -> date | None:
    """A cell as a date: an Excel date, a serial number, « 2026-03-31 » or « 31/03/2026 » (day first)."""
    kind = type(value)
    if kind is date:
        return value
    if kind is datetime:
        return value.date()
    if kind is str:
        text = value.strip()
        if not text:
            return None
        match = _ISO_DATE.fullmatch(text)
        if match:
            year, month, day = match.groups()
        else:
            match = _DMY_DATE.fullmatch(text)
            if not match:
                raise ValueError(value)
            day, month, year = match.groups()
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise ValueError(value) from None
    if kind is float or kind is int:
        return excel_serial_date(value, date1904)
    if value is None:
        return None
    if isinstance(value, (time, timedelta, bool)):
        raise ValueError(value)
    raise ValueError(value)


def clean_text(value: object) -> str:
    """Text of a cell: trimmed, no-break spaces as spaces, control characters removed (strip_controls);
    whole numbers without « .0 » (invoice 1234)."""
    kind = type(value)
    if kind is str:
        text = value
    elif kind is float:
        text = str(int(value)) if value.is_integer() else repr(value)
    elif kind is int:
        text = str(value)
    elif value is None:
        return ""
    elif kind is bool:
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, (date, time)):
        text = value.isoformat()
    else:
        text = str(value)
    if "\u00a0" in text or "\u202f" in text:
        text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return strip_controls(text).strip()


def text_key(text: str) -> str:
    """Vendor or invoice as compared for duplicates: case and spacing ignored."""
    return " ".join(text.casefold().split())
