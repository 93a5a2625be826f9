"""Write an import in one transaction (batch, expenses in bulk, audit event, data version); reverse one."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import repeat
from operator import itemgetter
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget import audit
from cqic_budget.currency import CAD
from cqic_budget.db import bump_data_version
from cqic_budget.importing.categories import CategoryResolver
from cqic_budget.importing.normalise import strip_controls
from cqic_budget.importing.validate import ParsedRows, RowError
from cqic_budget.models import Expense, ImportBatch, Program
from cqic_budget.money import TAX_QC, eligible_cents_column
from cqic_budget.privacy import link_merchants, name_matcher

REVERSED = "reversed"
_COLUMNS = (
    "program_id",
    "date",
    "vendor",
    "description",
    "category_id",
    "invoice_number",
    "amount_cents",
    "gst_cents",
    "qst_cents",
    "eligible_cents",
    "eligible",
    "ineligible_reason",
    "needs_review",
    "review_reason",
    "batch_id",
    "source_row",
    "merchant_id",
)
# Written only when a sheet has foreign-currency rows or non-Québec taxes (else the store's defaults:
# CAD, no written amounts, tax treatment qc), so the usual all-CAD import binds no extra column.
_CURRENCY_COLUMNS = (
    "currency",
    "written_amount_cents",
    "written_gst_cents",
    "written_qst_cents",
    "fx_rate",
    "fx_source",
    "fx_reference_rate",
    "tax_treatment",
    "commitment_id",
)


def _wide(parsed: ParsedRows) -> bool:
    return bool(parsed.foreign or parsed.treatments or parsed.commitment_ids)


def columns_of(parsed: ParsedRows) -> tuple[str, ...]:
    return _COLUMNS + _CURRENCY_COLUMNS if _wide(parsed) else _COLUMNS


def issues_of(parsed: ParsedRows, errors: list[RowError]) -> list[dict[str, Any]]:
    """Rejected and duplicate rows as kept in the batch: row, column, code, details and the cells as read."""
    return [
        {
            "row": e.row,
            "column": e.column,
            "code": e.code,
            "params": e.params,
            "warning": not e.counts_as_rejected,
            "values": parsed.values(e.row),
        }
        for e in errors
    ]


CHUNK_ROWS = 25_000
_CONSTANT = {0, 10, 11, 14}  # program_id, eligible, ineligible_reason, batch_id: the same on every row


def expense_rows(
    parsed: ParsedRows,
    keep: list[int],
    *,
    program: Program,
    batch_id: int,
    categories: CategoryResolver,
    dates_as_text: bool = False,
    chunk_rows: int | None = None,
    varying_only: bool = False,
    merchants: list[int | None] | None = None,
) -> Iterator[list[tuple]]:
    """Tuples in _COLUMNS order, a chunk at a time, built column by column (fast for 100 000s of rows);
    `varying_only`: without the columns the same on every row (_CONSTANT), as SQLite's statement has them;
    `merchants`: the merchant each parsed row names (privacy.link_merchants), None for none."""
    chunk_rows = chunk_rows or CHUNK_ROWS
    contiguous = keep == list(range(len(parsed)))
    resolved = {label: categories.resolve(label) for label in set(parsed.categories)}
    for first in range(0, len(keep), chunk_rows):
        last = min(first + chunk_rows, len(keep))
        chosen = keep[first:last]
        getter = (
            None
            if contiguous
            else itemgetter(*chosen)
            if len(chosen) > 1
            else (lambda column, i=chosen[0]: (column[i],))
        )

        def pick(column: list, first: int = first, last: int = last, getter=getter) -> list:
            return column[first:last] if contiguous else list(getter(column))

        amounts, gsts, qsts = pick(parsed.amounts), pick(parsed.gsts), pick(parsed.qsts)
        wide = _wide(parsed)
        positions = pick(list(range(len(parsed)))) if wide else []
        treatments = [parsed.treatments.get(p, TAX_QC) for p in positions] if wide else None
        labels = pick(parsed.categories)
        category_reasons = [resolved[label][1] for label in labels]
        reasons = [
            (f"{c}|{r}"[:200] if r else c) if c else r
            for c, r in zip(category_reasons, pick(parsed.review), strict=True)
        ]
        count = len(amounts)
        dates = pick(parsed.dates)
        if dates_as_text:
            texts = {day: day.isoformat() for day in set(dates)}
            dates = [texts[day] for day in dates]
        columns = [
            repeat(program.id, count),
            dates,
            pick(parsed.vendors),
            pick(parsed.descriptions),
            [resolved[label][0] for label in labels],
            pick(parsed.invoices),
            amounts,
            gsts,
            qsts,
            eligible_cents_column(amounts, gsts, qsts, program.tax_recovery_rate, treatments),
            repeat(True, count),
            repeat("", count),
            list(map(bool, reasons)),
            reasons,
            repeat(batch_id, count),
            pick(parsed.source_rows),
            repeat(None, count) if merchants is None else pick(merchants),
        ]
        if wide:
            columns.extend(_currency_columns(parsed, positions, treatments))
        if varying_only:
            columns = [column for i, column in enumerate(columns) if i not in _CONSTANT]
        yield list(zip(*columns, strict=True))


def _currency_columns(parsed: ParsedRows, positions: list[int], treatments: list[str]) -> list[list]:
    """The _CURRENCY_COLUMNS of the chosen rows (and the commitment drawn on): CAD rows keep the store's
    defaults."""
    found = [parsed.foreign.get(p) for p in positions]
    return [
        [c.currency if c else CAD for c in found],
        [c.written[0] if c else None for c in found],
        [c.written[1] if c else None for c in found],
        [c.written[2] if c else None for c in found],
        [str(c.rate) if c else None for c in found],
        [c.source if c else "" for c in found],
        [str(c.reference_rate) if c and c.reference_rate is not None else None for c in found],
        treatments,
        [parsed.commitment_ids.get(p) for p in positions],
    ]


def insert_expenses(
    session: Session,
    chunks: Iterable[list[tuple]],
    *,
    program_id: int,
    batch_id: int,
    columns: tuple[str, ...] = _COLUMNS,
) -> None:
    """Bulk insert inside the session's transaction: COPY on PostgreSQL (psycopg), raw executemany on
    SQLite (whose chunks come from expense_rows(..., varying_only=True)), else Core executemany.

    COPY goes through the same table, so the store's own rules still hold row by row: foreign keys, the
    closed-period trigger, the checks. (A second thread inserting while this one builds the next chunk
    was tried: the GIL hand-offs cost more than the overlap saves.)"""
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _copy_expenses(connection.connection.driver_connection, chunks, columns)
        return
    if dialect.name != "sqlite":
        table = Expense.__table__
        for rows in chunks:
            connection.execute(sa.insert(table), [dict(zip(columns, r, strict=True)) for r in rows])
        return
    # The columns that are the same on every row are written once in the statement, not bound per row.
    constant = {0: str(int(program_id)), 10: "1", 11: "''", 14: str(int(batch_id))}
    assert constant.keys() == _CONSTANT
    placeholders = ", ".join(constant.get(i, "?") for i in range(len(columns)))
    sql = f"INSERT INTO expense ({', '.join(columns)}) VALUES ({placeholders})"
    chunks = list(chunks)
    driver = connection.connection.driver_connection
    cursor = driver.cursor()
    bulk = sum(map(len, chunks)) >= SET_ASIDE_ROWS and driver.in_transaction
    trigger = _set_aside_lock_trigger(cursor) if bulk else None
    try:
        # A larger page cache for this connection keeps the index pages of a big import in memory.
        cursor.execute("PRAGMA cache_size=-65536")
        for rows in chunks:
            cursor.executemany(sql, rows)
        if trigger is not None:
            _check_lock_rule(cursor, trigger, batch_id)
    except sqlite3.Error as exc:  # as SQLAlchemy would have raised it (IntegrityError, busy, ...)
        raise sa.exc.DBAPIError.instance(sql, None, exc, sqlite3.Error) from exc
    finally:
        if trigger is not None:
            _restore(cursor, trigger)
        cursor.execute("PRAGMA cache_size=-2000")
        cursor.close()


# --- SQLite: the closed-period rule checked once over the batch -------------------------------------
#
# The store's trigger expense_lock_insert (migration 0006) refuses an expense dated in a closed year or in
# a submitted claim's period. SQLite runs a trigger as a sub-program per row, which costs more than the
# insert itself (3.8 of 5.7 s of CPU for 200 000 rows, even with WHEN 0). For a bulk insert the trigger
# is dropped inside the import's own transaction (which holds the store's write lock: BEGIN IMMEDIATE, so
# no one else writes meanwhile, and no reader ever sees the schema without it), its very condition is
# checked once over the batch's rows, and it is created again from its own SQL before the transaction
# goes on; any error rolls the whole transaction back, the drop included. A trigger of another shape is
# left in place (the rows then go through it as before).

_LOCK_TRIGGER = "expense_lock_insert"
SET_ASIDE_ROWS = 2_000  # below this the trigger costs less than other connections re-reading the schema
_TRIGGER_SHAPE = re.compile(
    r"\s*CREATE\s+TRIGGER\s+\"?expense_lock_insert\"?\s+BEFORE\s+INSERT\s+ON\s+\"?expense\"?\s+"
    r"WHEN\s+(?P<condition>.+?)\s+BEGIN\s+SELECT\s+RAISE\s*\(\s*ABORT\s*,\s*'(?P<message>[\w-]+)'\s*\)\s*;"
    r"\s*END\s*",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True)
class _Trigger:
    sql: str  # as sqlite_master keeps it: re-created verbatim
    condition: str  # on NEW, as the trigger's WHEN clause
    message: str  # what its RAISE(ABORT, ...) says


def _set_aside_lock_trigger(cursor) -> _Trigger | None:
    found = cursor.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ? AND tbl_name = 'expense'",
        (_LOCK_TRIGGER,),
    ).fetchone()
    shape = _TRIGGER_SHAPE.fullmatch(found[0]) if found and found[0] else None
    if shape is None or "BEGIN" in shape.group("condition").upper():
        return None
    trigger = _Trigger(found[0], shape.group("condition"), shape.group("message"))
    cursor.execute(f'DROP TRIGGER "{_LOCK_TRIGGER}"')
    return trigger


def _restore(cursor, trigger: _Trigger) -> None:
    """The trigger back, in this same transaction, before anything else may write (unless an error rolled
    the transaction back, the drop with it)."""
    if cursor.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_LOCK_TRIGGER,)
    ).fetchone() is None:
        cursor.execute(trigger.sql)


def _check_lock_rule(cursor, trigger: _Trigger, batch_id: int) -> None:
    """The trigger's condition over the batch's rows (aliased NEW, as in the trigger): raises as the
    trigger would have (sqlite3.IntegrityError with its message) if any row meets it."""
    hit = cursor.execute(
        f"SELECT 1 FROM expense AS NEW WHERE NEW.batch_id = ? AND ({trigger.condition}) LIMIT 1",
        (int(batch_id),),
    ).fetchone()
    if hit is not None:
        raise sqlite3.IntegrityError(trigger.message)


def _copy_expenses(raw, chunks: Iterable[list[tuple]], columns: tuple[str, ...]) -> None:
    """PostgreSQL's COPY FROM STDIN on the session's own connection (so inside its transaction): one
    statement streams every row, instead of a round trip of INSERT ... VALUES per thousand rows."""
    import psycopg

    statement = f"COPY expense ({', '.join(columns)}) FROM STDIN"
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            write_row = copy.write_row
            for rows in chunks:
                for row in rows:
                    write_row(row)
    except psycopg.Error as exc:  # as SQLAlchemy would have raised it (IntegrityError, busy, ...)
        raise sa.exc.DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


def write_batch(
    session: Session,
    *,
    program: Program,
    file_name: str,
    sha256: str,
    user: str,
    parsed: ParsedRows,
    keep: list[int],
    issues: list[dict[str, Any]],
    rows_duplicate: int,
    sheet: str,
    rows_closed: int = 0,
) -> ImportBatch:
    batch = ImportBatch(
        program_id=program.id,
        file_name=strip_controls(file_name)[:500],
        file_sha256=sha256,
        user=user,
        rows_read=parsed.rows_read,
        rows_imported=len(keep),
        rows_rejected=len(parsed.rejected_rows) + rows_closed,
        rows_duplicate=rows_duplicate,
        status="imported",
        issues=issues,
    )
    session.add(batch)
    session.flush()
    sqlite = session.connection().dialect.name == "sqlite"
    # A row whose description or vendor names exactly one merchant of the program is tied to it: its text
    # is then masked for funders like any merchant's expense: one query for the names, then one pass of a
    # prebuilt matcher over the rows' texts.
    matcher = name_matcher(session, program_id=program.id)
    texts = zip(parsed.descriptions, parsed.vendors, strict=True)
    merchants = link_merchants(matcher, texts) if matcher else None
    chunks = expense_rows(
        parsed,
        keep,
        program=program,
        batch_id=batch.id,
        categories=CategoryResolver(session),
        dates_as_text=sqlite,
        varying_only=sqlite,
        merchants=merchants,
    )
    if sqlite:
        # Rows go in by date: every expense index but the batch's starts with (program, date), so date
        # order turns their B-tree inserts into near-appends (stable: a day's rows keep their sheet order).
        rows: list[tuple] = []
        for chunk in chunks:
            rows.extend(chunk)
        rows.sort(key=itemgetter(0))  # the date, as ISO text
        chunks = [rows]
    insert_expenses(session, chunks, program_id=program.id, batch_id=batch.id, columns=columns_of(parsed))
    audit.record(
        session,
        user=user,
        action="import",
        entity="importbatch",
        entity_id=batch.id,
        after={
            "file_name": batch.file_name,
            "file_sha256": sha256,
            "sheet": strip_controls(sheet),
            "rows_read": batch.rows_read,
            "rows_imported": batch.rows_imported,
            "rows_rejected": batch.rows_rejected,
            "rows_duplicate": batch.rows_duplicate,
            "amount_cents": sum(parsed.amounts) if len(keep) == len(parsed) else sum(
                parsed.amounts[i] for i in keep),
        },
    )
    bump_data_version(session)
    return batch


def reverse_batch(session: Session, batch: ImportBatch, *, user: str, was: str | None = None) -> int:
    """Delete a batch's expenses and mark it reversed (audited); returns how many expenses went. `was`: the
    status the batch had before the caller claimed it (service.undo_batch sets `reversed` first)."""
    before = audit.snapshot(batch)
    before.pop("issues", None)
    if was is not None:
        before["status"] = was
    table = Expense.__table__
    deleted = session.execute(sa.delete(table).where(table.c.batch_id == batch.id)).rowcount
    batch.status = REVERSED
    batch.reversed_at = datetime.now(timezone.utc)
    batch.reversed_by = user
    session.add(batch)
    session.flush()
    after = audit.snapshot(batch)
    after.pop("issues", None)
    audit.record(
        session,
        user=user,
        action="undo_import",
        entity="importbatch",
        entity_id=batch.id,
        before=before,
        after={**after, "expenses_deleted": deleted},
    )
    bump_data_version(session)
    return deleted
