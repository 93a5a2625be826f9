"""The report's kinds of cell and their number formats, user text made safe for a cell, and the sheet plan
(`_Sheet`: rows of (value, kind) with a style) that the workbook writes and report_pdf prints.

Text that came from users is always written as a text cell, neutralised by `safe_text`: nothing that
begins with =, +, -, @, a tab or a carriage return can become a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cqic_budget.safe_text import neutralise_formula

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv"


# Excel localises the separators of a number format: `#,##0.00 "$"` reads 2 100 000,00 $ in French.
MONEY_FORMAT = {"fr": '#,##0.00 "$"', "en": '"$"#,##0.00'}
PERCENT_FORMAT = {"fr": "0.0 %", "en": "0.0%"}
DATE_FORMAT = "yyyy-mm-dd"
INTEGER_FORMAT = "#,##0"
RATE_FORMAT = "0.0000######"
NUMBER_FORMAT = "#,##0.00"
MONTHS_FORMAT = "0.0"

# Kinds of cell: the number format a figure is written with.
MONEY, PERCENT, DATE, INTEGER, NUMBER, MONTHS, TEXT, LONG_TEXT = (
    "money", "percent", "date", "integer", "number", "months", "text", "long_text",
)
RATE = "rate"  # an exchange rate: CAD per unit of a currency, as stored (4 decimals at least)


def safe_text(value: object) -> str:
    """User text for a cell: characters a workbook may not hold dropped, a formula start neutralised."""
    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


# --- Laying out small sheets ------------------------------------------------------------------------


@dataclass
class _Row:
    cells: list[tuple[Any, str]]  # (value, kind)
    style: str = "body"  # title, subtitle, section, header, body, total, blank


class _Sheet:
    """A small sheet planned row by row, then written at once (widths come from the content)."""

    def __init__(self, name: str, lang: str):
        self.name, self.lang = name, lang
        self.rows: list[_Row] = []
        self.headers: list[int] = []  # row numbers of the tables' headers

    def title(self, title: str, subtitle: str) -> None:
        self.rows += [_Row([(title, TEXT)], "title"), _Row([(subtitle, TEXT)], "subtitle"), _Row([], "blank")]

    def section(self, text: str) -> None:
        if self.rows and self.rows[-1].style != "blank":
            self.rows.append(_Row([], "blank"))
        self.rows.append(_Row([(text, TEXT)], "section"))

    def note(self, text: str) -> None:
        self.rows.append(_Row([(text, TEXT)], "note"))

    def header(self, labels: Sequence[str]) -> None:
        self.rows.append(_Row([(label, TEXT) for label in labels], "header"))
        self.headers.append(len(self.rows))

    @property
    def frozen_rows(self) -> int:
        """One table: down to its header; several: the title rows only (no header over another table)."""
        return self.headers[0] if len(self.headers) == 1 else 2

    def row(self, cells: Sequence[tuple[Any, str]], *, total: bool = False) -> None:
        self.rows.append(_Row(list(cells), "total" if total else "body"))
