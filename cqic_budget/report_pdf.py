"""The funder report as a PDF (SPEC §11): the workbook's figure sheets, printed on A4 landscape pages.

The sheets come from `reports.report_view`, the same plan the workbook writes, so the two files carry the
same figures; this module only turns each (value, kind) into text with cqic_budget.i18n and lays the
tables out. The line-by-line expense detail stays in the workbook: the PDF gives the expense count and
total (the workbook sheet's note) and says where the lines are, so no row-level text reaches print.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session

from cqic_budget.i18n import DASH, format_date, format_money, format_number, format_percent, t
from cqic_budget.pdf import Document
from cqic_budget.reports import (
    DATE,
    INTEGER,
    LONG_TEXT,
    MONEY,
    MONTHS,
    NUMBER,
    PERCENT,
    ReportView,
    Sheet,
    report_view,
)

PDF_MIME = "application/pdf"
NUMERIC = {MONEY, PERCENT, INTEGER, NUMBER, MONTHS}
MAX_COLUMNS = 10  # wider tables are printed in parts, each repeating the first column
BODY_FONT = 9  # points
SMALL_FONT = 7.5  # points, for tables of SMALL_FONT_FROM columns or more
SMALL_FONT_FROM = 7


def cell_text(value: Any, kind: str, lang: str) -> str:
    """A workbook cell as printed text: the same value, formatted by kind with cqic_budget.i18n."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return t("reports.yes" if value else "reports.no", lang)
    if isinstance(value, str):
        return value
    if kind == MONEY:
        return format_money(Decimal(value), lang)
    if kind == PERCENT:
        return format_percent(value, lang)
    if kind == DATE and isinstance(value, date):
        return format_date(value, lang)
    if kind == INTEGER:
        return format_number(value, lang)
    if kind == NUMBER:
        return format_number(value, lang, digits=2)
    if kind == MONTHS:
        return format_number(value, lang, digits=1)
    return str(value)


@dataclass
class _Table:
    columns: list[str]
    kinds: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    totals: list[int] = field(default_factory=list)
    cells: list[list[tuple[Any, str]]] = field(default_factory=list)  # the (value, kind) behind the rows


def _blocks(sheet: Sheet, lang: str) -> list[tuple[str, Any]]:
    """The sheet as printable blocks: ("heading", text), ("note", text), ("table", _Table),
    ("pairs", [(label, value)]) for label–value rows that have no header."""
    blocks: list[tuple[str, Any]] = []
    current: _Table | None = None
    pairs: list[tuple[str, str]] = []

    def flush() -> None:
        nonlocal current, pairs
        if current is not None:
            current.kinds = _column_kinds(current, current.cells)
            blocks.append(("table", current))
        if pairs:
            blocks.append(("pairs", pairs))
        current, pairs = None, []

    for row in sheet.rows:
        if row.style in ("title", "subtitle", "blank"):
            continue
        if row.style == "section":
            flush()
            blocks.append(("heading", str(row.cells[0][0])))
        elif row.style == "note":
            flush()
            if row.cells:
                blocks.append(("note", str(row.cells[0][0])))
        elif row.style == "header":
            flush()
            current = _Table(columns=[str(value) for value, _ in row.cells])
        elif current is None:
            pairs.append((cell_text(row.cells[0][0], row.cells[0][1], lang),
                          " ".join(cell_text(v, k, lang) for v, k in row.cells[1:])))
        else:
            current.cells.append(list(row.cells))
            if row.style == "total":
                current.totals.append(len(current.rows))
            current.rows.append([cell_text(v, k, lang) for v, k in row.cells]
                                + [""] * (len(current.columns) - len(row.cells)))
    flush()
    return blocks


def _widths(table: _Table) -> list[float]:
    """Relative widths from the content: the longest cell (capped), at least the header's longest word
    and, for short headers, the whole header on one line."""
    widths = []
    for index, name in enumerate(table.columns):
        cap = 70 if table.kinds[index] == LONG_TEXT else 34
        longest = max((len(row[index]) for row in table.rows), default=0)
        word = max((len(w) for w in name.split()), default=4)
        # + 2: the cell's padding and the wider bold of headers and total rows (« 2025-2026 » on one line)
        widths.append(float(max(min(longest, cap), word, min(len(name), 12), 5) + 2))
    return widths


def _parts(table: _Table) -> list[list[int]]:
    """Column indexes of each printed part: all at once, or the first column plus an even share of the
    others, so that no part has more than MAX_COLUMNS."""
    count = len(table.columns)
    if count <= MAX_COLUMNS:
        return [list(range(count))]
    rest = list(range(1, count))
    parts = math.ceil(len(rest) / (MAX_COLUMNS - 1))
    size = math.ceil(len(rest) / parts)
    return [[0] + rest[i:i + size] for i in range(0, len(rest), size)]


def _column_kinds(table: _Table, rows: list[list[tuple[Any, str]]]) -> list[str]:
    """Each column's kind: the most frequent among its cells (a summary's value column mixes kinds)."""
    kinds = []
    for index in range(len(table.columns)):
        seen = Counter(row[index][1] for row in rows if index < len(row) and row[index][0] not in (None, ""))
        kinds.append(seen.most_common(1)[0][0] if seen else "text")
    return kinds


def _print_table(doc: Document, table: _Table) -> None:
    widths = _widths(table)
    align = ["R" if kind in NUMERIC else "L" for kind in table.kinds]
    font = SMALL_FONT if len(table.columns) >= SMALL_FONT_FROM else BODY_FONT
    for part in _parts(table):
        doc.table([table.columns[i] for i in part], [[row[i] for i in part] for row in table.rows],
                  widths=[widths[i] for i in part], align=[align[i] for i in part], bold_rows=table.totals,
                  font_size=font)


def render_report_pdf(view: ReportView, *, page_format: str = "A4") -> bytes:
    """The report's sheets, one after the other, each from a new page; then the expenses' count and total."""
    lang = view.lang
    doc = Document(title=t("report_pdf.title", lang), program_name=view.program_name, as_of=view.as_of,
                   lang=lang, page_format=page_format, orientation="landscape")
    doc.paragraph(view.subtitle, bold=True)
    for number, sheet in enumerate(view.sheets):
        if number:
            doc.new_page()
        doc.heading(sheet.name)
        for kind, block in _blocks(sheet, lang):
            if kind == "heading":
                doc.heading(block)
            elif kind == "note":
                doc.paragraph(block)
            elif kind == "pairs":
                doc.key_values(block, key_share=0.6)
            else:
                _print_table(doc, block)
    doc.heading(t("report_pdf.expenses", lang))
    doc.paragraph(view.expense_note)
    doc.paragraph(t("report_pdf.expenses_detail", lang, sheet=t("reports.sheet.expenses", lang)))
    return doc.to_bytes()


def build_report_pdf(
    session: Session, *, program_code: str | None = None, as_of: date | None = None, lang: str = "fr",
    user: str | None = None, page_format: str = "A4",
) -> bytes:
    """The funder report as PDF bytes. `user`, when given, must hold `reports` (auth.Forbidden otherwise)."""
    view = report_view(session, program_code=program_code, as_of=as_of, lang=lang, user=user)
    return render_report_pdf(view, page_format=page_format)


def write_report_pdf(
    session: Session, path: str | Path, *, program_code: str | None = None, as_of: date | None = None,
    lang: str = "fr", user: str | None = None,
) -> Path:
    """Write the funder report PDF to `path` (python -m cqic_budget report --out FILE.pdf)."""
    path = Path(path)
    path.write_bytes(build_report_pdf(session, program_code=program_code, as_of=as_of, lang=lang, user=user))
    return path
