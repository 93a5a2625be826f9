"""Duplicates: a file already imported (active batch with the same SHA-256), or a row whose
(date, vendor, invoice number, total) is already in the store or earlier in the same file."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget.importing.normalise import text_key
from cqic_budget.importing.validate import DUPLICATE, ParsedRows, RowError
from cqic_budget.models import Expense, ImportBatch

ACTIVE = "imported"
RowKey = tuple[date, str, str, int]


def active_batch_with_hash(session: Session, program_id: int, sha256: str) -> ImportBatch | None:
    stmt = select(ImportBatch).where(
        ImportBatch.program_id == program_id, ImportBatch.file_sha256 == sha256, ImportBatch.status == ACTIVE
    )
    return session.exec(stmt).first()


def stored_keys(session: Session, program_id: int, first: date, last: date) -> set[RowKey]:
    """Keys of the expenses already stored between two dates: one SELECT, compared in Python."""
    table = Expense.__table__
    total = table.c.amount_cents + table.c.gst_cents + table.c.qst_cents
    stmt = sa.select(table.c.date, table.c.vendor, table.c.invoice_number, total).where(
        table.c.program_id == program_id, table.c.date >= first, table.c.date <= last
    )
    return {(d, text_key(v or ""), text_key(i or ""), int(t)) for d, v, i, t in session.execute(stmt)}


def find_duplicates(parsed: ParsedRows, stored: set[RowKey]) -> tuple[list[int], list[RowError]]:
    """Indexes of the rows to import, and a `duplicate` error for each row that is already there."""
    invoice_keys = _keys(parsed.invoices)
    count = len(invoice_keys)
    distinct_invoices = set(invoice_keys)
    stored_invoices = {key[2] for key in stored}
    # The usual sheet: every row has its own invoice number, none of them in the store. Nothing to compare.
    if (
        len(distinct_invoices) == count
        and "" not in distinct_invoices
        and stored_invoices.isdisjoint(distinct_invoices)
    ):
        return list(range(count)), []
    vendor_keys = _keys(parsed.vendors)
    totals = [a + g + q for a, g, q in zip(parsed.amounts, parsed.gsts, parsed.qsts, strict=True)]
    keys = list(zip(parsed.dates, vendor_keys, invoice_keys, totals, strict=True))
    seen: dict[RowKey, int] = {}
    keep: list[int] = []
    duplicates: list[RowError] = []
    rows = parsed.source_rows
    for i, key in enumerate(keys):
        if key in stored:
            duplicates.append(RowError(rows[i], None, DUPLICATE, {"where": "store"}))
        elif key in seen:
            duplicates.append(RowError(rows[i], None, DUPLICATE, {"where": "file", "first_row": seen[key]}))
        else:
            seen[key] = rows[i]
            keep.append(i)
    return keep, duplicates


def _keys(texts: list[str]) -> list[str]:
    """text_key for a whole column. Texts come stripped from the sheet, so casefold is enough unless some
    inner spacing needs collapsing (checked once over the whole column)."""
    keys = [text.casefold() for text in texts]
    joined = "\x00".join(keys)
    if "  " in joined or "\t" in joined or "\n" in joined or "\r" in joined or "\u00a0" in joined:
        keys = [text_key(key) for key in keys]
    return keys
