"""Writing the sheet plan into an openpyxl write-only workbook: fonts, number formats, widths and
page set-up."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from cqic_budget.i18n import DASH, t
from cqic_budget.reports.kinds import (
    DATE,
    DATE_FORMAT,
    INTEGER,
    INTEGER_FORMAT,
    LONG_TEXT,
    MONEY,
    MONEY_FORMAT,
    MONTHS,
    MONTHS_FORMAT,
    NUMBER,
    NUMBER_FORMAT,
    PERCENT,
    PERCENT_FORMAT,
    RATE,
    RATE_FORMAT,
    TEXT,
    _Row,
    _Sheet,
    safe_text,
)

TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE5F0")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
LINE_HEIGHT = 15  # points per line of text


def _display_width(value: Any, kind: str) -> int:
    if value is None:
        return 2
    if kind == MONEY and isinstance(value, Decimal):
        return len(f"{value:,.2f}") + 3
    if kind == PERCENT:
        return 8
    if kind == DATE:
        return 11
    if isinstance(value, (int, Decimal)):
        return len(f"{value:,}") + 1
    return max((len(line) for line in str(value).splitlines()), default=0)


def _column_widths(sheet: _Sheet) -> list[float]:
    widths: dict[int, int] = {}
    for row in sheet.rows:
        if row.style in ("title", "subtitle", "section", "note", "blank"):
            continue
        for index, (value, kind) in enumerate(row.cells):
            limit = 70 if kind == LONG_TEXT else 45
            width = min(_display_width(value, kind) + 2, limit)
            widths[index] = max(widths.get(index, 8), width)
    return [widths.get(i, 8) for i in range(max(widths, default=-1) + 1)]


class _Cells:
    """Makes the cells of one workbook: every kind with its number format, all text as text."""

    def __init__(self, ws: Any, lang: str):
        self.ws, self.lang = ws, lang
        self.formats = {
            MONEY: MONEY_FORMAT[lang], PERCENT: PERCENT_FORMAT[lang], DATE: DATE_FORMAT,
            INTEGER: INTEGER_FORMAT, NUMBER: NUMBER_FORMAT, MONTHS: MONTHS_FORMAT, RATE: RATE_FORMAT,
        }

    def make(self, value: Any, kind: str, cell: WriteOnlyCell | None = None) -> WriteOnlyCell | None:
        if value is None and kind in (TEXT, LONG_TEXT):
            return None
        cell = cell if cell is not None else WriteOnlyCell(self.ws)
        self.fill(cell, value, kind)
        return cell

    def fill(self, cell: WriteOnlyCell, value: Any, kind: str) -> None:
        if value is None:
            value, kind = DASH, TEXT
        if isinstance(value, bool):
            value, kind = t("reports.yes" if value else "reports.no", self.lang), TEXT
        if isinstance(value, str) or kind in (TEXT, LONG_TEXT):
            cell.value = safe_text(value)
            cell.data_type = "s"  # never a formula, nor an error code such as #N/A
            return
        cell.value = value
        number_format = self.formats.get(kind)
        if number_format:
            cell.number_format = number_format


def _lines(row: _Row, widths: Sequence[float]) -> int:
    """Lines a wrapped row needs (a write-only sheet cannot let the reader fit row heights)."""
    if row.style not in ("header", "body"):
        return 1
    wrapped = [(value, width) for (value, kind), width in zip(row.cells, widths, strict=False)
               if isinstance(value, str) and (kind == LONG_TEXT or row.style == "header")]
    return max((math.ceil(len(value) * 1.1 / max(width - 2, 1)) for value, width in wrapped), default=1)


def append_row(ws: Any, cells: _Cells, row: _Row) -> None:
    """One row of a sheet plan appended to `ws`, each cell made and styled by its kind."""
    out = []
    for value, kind in row.cells:
        cell = cells.make(value, kind)
        if cell is not None:
            _style(cell, row.style, kind)
        out.append(cell)
    ws.append(out)


def _write_sheet(wb: Workbook, sheet: _Sheet, *, widths: Sequence[float] | None = None) -> None:
    ws = wb.create_sheet(sheet.name)
    cells = _Cells(ws, sheet.lang)
    widths = list(widths or _column_widths(sheet))
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    _page_setup(ws, sheet.frozen_rows)
    for number, row in enumerate(sheet.rows, start=1):
        lines = _lines(row, widths)
        if lines > 1:
            ws.row_dimensions[number].height = LINE_HEIGHT * lines
        append_row(ws, cells, row)


def _style(cell: WriteOnlyCell, style: str, kind: str) -> None:
    if style == "title":
        cell.font = TITLE_FONT
    elif style == "section":
        cell.font = SECTION_FONT
    elif style in ("header", "total"):
        cell.font = BOLD
        if style == "header":
            cell.fill = HEADER_FILL
            cell.alignment = WRAP
    elif kind == LONG_TEXT:
        cell.alignment = WRAP
    elif style == "body":
        cell.alignment = TOP


def _page_setup(ws: Any, frozen_rows: int) -> None:
    """Title (and header) rows frozen and printed on every page, landscape, fit to the page width."""
    ws.freeze_panes = f"A{frozen_rows + 1}"
    ws.print_title_rows = f"1:{frozen_rows}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
