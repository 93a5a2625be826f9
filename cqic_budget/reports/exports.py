"""The expense rows: one SQL query streamed in chunks (`iter_expense_rows`) into the report's detail sheet,
the CSV export or the one-sheet Excel export, so that a store of a million expenses never sits in memory.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import IO, Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from sqlmodel import Session

from cqic_budget.auth import require
from cqic_budget.currency import CAD, exchange_difference_cents
from cqic_budget.i18n import format_date, normalise_lang, t
from cqic_budget.merchants import expense_description
from cqic_budget.models import Category, Expense, ImportBatch, Program
from cqic_budget.money import from_cents
from cqic_budget.periods import clamp_as_of
from cqic_budget.privacy import redactor
from cqic_budget.queries import ExpenseFilters, expense_conditions, label_column
from cqic_budget.reports.cells import _Cells, _page_setup, append_row
from cqic_budget.reports.kinds import (
    DATE,
    INTEGER,
    LONG_TEXT,
    MONEY,
    NUMBER,
    RATE,
    TEXT,
    _Row,
    safe_text,
)
from cqic_budget.reports.view import _may_read_personal

CHUNK_ROWS = 5_000  # expense rows fetched per round trip
SHEET_ROW_LIMIT = 1_048_576  # rows of an Excel sheet


# --- Expense rows: one streamed query ---------------------------------------------------------------


EXPENSE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("date", DATE), ("vendor", TEXT), ("description", TEXT), ("category", TEXT), ("invoice", TEXT),
    ("amount", MONEY), ("gst", MONEY), ("qst", MONEY), ("expense_total", MONEY), ("eligible_cost", MONEY),
    ("eligible", TEXT), ("reason", TEXT), ("review", TEXT), ("file_name", TEXT), ("source_row", INTEGER),
    # A foreign-currency expense (SPEC §10): its currency, its total as written in it (NUMBER: no « $ »), the
    # rate to CAD and its source, and the exchange difference in CAD (positive: a loss; negative: a gain).
    ("currency", TEXT), ("written_total", NUMBER), ("fx_rate", RATE), ("fx_source", TEXT),
    ("exchange_difference", MONEY),
)
EXPENSE_WIDTHS = (12, 32, 44, 28, 16, 16, 12, 12, 16, 16, 11, 32, 24, 32, 10, 9, 16, 12, 28, 16)


def expense_query(
    *, program_id: int, as_of: date, lang: str = "fr", filters: ExpenseFilters | None = None,
    personal: bool = True,
) -> sa.Select:
    """The expense rows of a program dated on or before the as-of, with their category label and the
    file they came from: plain columns (no ORM objects), in date order. Without `personal`, the
    descriptions of merchant-linked rows are masked (merchants.expense_description)."""
    label = label_column(lang)
    stmt = (
        sa.select(Expense.date, Expense.vendor, expense_description(personal=personal, lang=lang), label,
                  Expense.invoice_number,
                  Expense.amount_cents, Expense.gst_cents, Expense.qst_cents, Expense.eligible_cents,
                  Expense.eligible, Expense.ineligible_reason, Expense.needs_review, Expense.review_reason,
                  ImportBatch.file_name, Expense.source_row, Expense.currency, Expense.written_amount_cents,
                  Expense.written_gst_cents, Expense.written_qst_cents, Expense.fx_rate, Expense.fx_source,
                  Expense.fx_reference_rate)
        .join(Category, Category.id == Expense.category_id)
        .outerjoin(ImportBatch, ImportBatch.id == Expense.batch_id)
        .where(*expense_conditions(program_id=program_id, as_of=as_of, filters=filters))
        .order_by(Expense.date, Expense.id)
    )
    return stmt


def iter_expense_rows(
    session: Session, *, program_id: int, as_of: date, lang: str = "fr",
    filters: ExpenseFilters | None = None, personal: bool = True,
) -> Iterator[tuple]:
    """The rows of `expense_query` as plain values (money as Decimal), fetched CHUNK_ROWS at a time
    (a server-side cursor on PostgreSQL). Without `personal`, every free text is redacted
    (privacy.redactor)."""
    yes, no = t("reports.yes", lang), t("reports.no", lang)
    redact = redactor(session, personal=personal, program_id=program_id, lang=lang)
    stmt = expense_query(program_id=program_id, as_of=as_of, lang=lang, filters=filters, personal=personal)
    result = session.execute(stmt, execution_options={"yield_per": CHUNK_ROWS})
    for chunk in result.partitions():
        for (day, vendor, description, category, invoice, amount, gst, qst, eligible_cents, eligible,
             reason, needs_review, review_reason, file_name, source_row, currency, *foreign) in chunk:
            yield (
                day, redact(vendor or ""), redact(description or ""), category, redact(invoice or ""),
                from_cents(amount), from_cents(gst), from_cents(qst), from_cents(amount + gst + qst),
                from_cents(eligible_cents), yes if eligible else no, redact(reason or ""),
                redact(review_reason or yes) if needs_review else "", redact(file_name or ""), source_row,
                *_foreign_columns(currency, amount + gst + qst, *foreign),
            )


def _foreign_columns(currency: str | None, cad_total: int, written_amount: int | None,
                     written_gst: int | None, written_qst: int | None, rate: Decimal | None,
                     source: str | None, reference_rate: Decimal | None) -> tuple:
    """(currency, total as written, rate, rate source, exchange difference) of a foreign-currency expense;
    the currency alone for a CAD one. The difference is currency.exchange_difference_cents (None without a
    Bank of Canada rate for the day)."""
    if currency in (None, "", CAD) or written_amount is None:
        return (currency or CAD, None, None, "", None)
    written = written_amount + (written_gst or 0) + (written_qst or 0)
    difference = exchange_difference_cents(written, cad_total,
                                           None if reference_rate is None else Decimal(reference_rate))
    return (currency, from_cents(written), None if rate is None else Decimal(rate), source or "",
            None if difference is None else from_cents(difference))


def _write_expense_rows(ws: Any, cells: _Cells, rows: Iterable[tuple]) -> int:
    """Stream rows into a write-only sheet, reusing one cell per column (each row is written at once)."""
    reusable = [WriteOnlyCell(ws) for _ in EXPENSE_COLUMNS]
    for cell, (_, kind) in zip(reusable, EXPENSE_COLUMNS, strict=True):
        if kind in cells.formats:
            cell.number_format = cells.formats[kind]
    count = 0
    for row in rows:
        out = []
        for cell, value, (_, kind) in zip(reusable, row, EXPENSE_COLUMNS, strict=True):
            if value is None or value == "":
                out.append(None)
                continue
            if kind in (TEXT, LONG_TEXT):
                cell.value = safe_text(value)
                cell.data_type = "s"
            else:
                cell.value = value
            out.append(cell)
        ws.append(out)
        count += 1
    return count


def _start_expense_sheet(wb: Workbook, name: str, lang: str, head: list[_Row]) -> tuple[Any, _Cells]:
    ws = wb.create_sheet(name)
    cells = _Cells(ws, lang)
    for index, width in enumerate(EXPENSE_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    _page_setup(ws, len(head))
    ws.auto_filter.ref = f"A{len(head)}:{get_column_letter(len(EXPENSE_COLUMNS))}{len(head)}"
    for row in head:
        append_row(ws, cells, row)
    return ws, cells


def _expense_sheet(
    wb: Workbook, session: Session, *, name: str, lang: str, program_id: int, as_of: date, title: str,
    subtitle: str, note: str | None, filters: ExpenseFilters | None = None, personal: bool = True,
) -> int:
    """The expense rows on one sheet, continued on « name (2) »… past Excel's rows per sheet."""
    head = [_Row([(title, TEXT)], "title"), _Row([(subtitle, TEXT)], "subtitle"),
            _Row([(note, TEXT)] if note else [], "note"),
            _Row([(t(f"reports.col.{key}", lang), TEXT) for key, _ in EXPENSE_COLUMNS], "header")]
    rows = iter(iter_expense_rows(session, program_id=program_id, as_of=as_of, lang=lang, filters=filters,
                                  personal=personal))
    per_sheet = SHEET_ROW_LIMIT - len(head)
    count, part, pending = 0, 1, next(rows, None)
    while True:
        ws, cells = _start_expense_sheet(wb, name if part == 1 else f"{name} ({part})", lang, head)
        if pending is None:
            return count
        count += _write_expense_rows(ws, cells, itertools.islice(itertools.chain([pending], rows), per_sheet))
        pending, part = next(rows, None), part + 1
        if pending is None:
            return count


# --- Entry points -----------------------------------------------------------------------------------


def _export_as_of(session: Session, program_id: int, as_of: date | None) -> date:
    program = session.get(Program, program_id)
    if program is None:
        raise LookupError(f"no program with id {program_id}")
    return clamp_as_of(as_of or date.today(), program.start_date, program.end_date)


def write_expenses_csv(
    session: Session, out: IO[bytes], *, program_id: int, as_of: date | None = None, lang: str = "fr",
    filters: ExpenseFilters | None = None, user: str | None = None,
) -> int:
    """Stream the expense rows as CSV into a binary stream: UTF-8 with BOM, `;` and decimal comma in
    French, `,` and decimal point in English; text neutralised. Returns the number of rows."""
    lang = normalise_lang(lang)
    if user is not None:
        require(session, user, "reports")
    as_of = _export_as_of(session, program_id, as_of)
    delimiter, decimal_mark = (";", ",") if lang == "fr" else (",", ".")
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([t(f"reports.col.{key}", lang) for key, _ in EXPENSE_COLUMNS])
    count = 0
    for row in iter_expense_rows(session, program_id=program_id, as_of=as_of, lang=lang, filters=filters,
                                 personal=_may_read_personal(session, user)):
        writer.writerow([_csv_value(value, kind, decimal_mark) for value, (_, kind) in
                         zip(row, EXPENSE_COLUMNS, strict=True)])
        count += 1
    text.flush()
    text.detach()  # leave `out` open for the caller
    return count


def _csv_value(value: Any, kind: str, decimal_mark: str) -> str:
    if value is None:
        return ""
    if kind in (MONEY, NUMBER):
        return f"{value:.2f}".replace(".", decimal_mark)
    if kind == RATE:
        return str(value).replace(".", decimal_mark)
    if isinstance(value, date):
        return value.isoformat()
    if kind in (TEXT, LONG_TEXT):
        return safe_text(value)
    return str(value)


def expenses_csv(
    session: Session, *, program_id: int, as_of: date | None = None, lang: str = "fr",
    filters: ExpenseFilters | None = None, user: str | None = None,
) -> bytes:
    """The expense rows (filtered) as CSV bytes, for a download."""
    buffer = io.BytesIO()
    write_expenses_csv(session, buffer, program_id=program_id, as_of=as_of, lang=lang, filters=filters,
                       user=user)
    return buffer.getvalue()


def expenses_xlsx(
    session: Session, *, program_id: int, as_of: date | None = None, lang: str = "fr",
    filters: ExpenseFilters | None = None, user: str | None = None,
) -> bytes:
    """The expense rows (filtered) as a one-sheet workbook, formatted like the report's detail sheet."""
    lang = normalise_lang(lang)
    if user is not None:
        require(session, user, "reports")
    as_of = _export_as_of(session, program_id, as_of)
    program = session.get(Program, program_id)
    name = program.name_en if lang == "en" else program.name_fr
    subtitle = t("reports.export_subtitle", lang, code=program.code, date=format_date(as_of, lang, long=True))
    wb = Workbook(write_only=True)
    _expense_sheet(wb, session, name=t("reports.sheet.export", lang), lang=lang, program_id=program_id,
                   as_of=as_of, title=name, subtitle=subtitle, note=None, filters=filters,
                   personal=_may_read_personal(session, user))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
