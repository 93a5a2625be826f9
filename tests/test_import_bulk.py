"""The bulk insert of a large import (importing/commit.py), on SQLite and PostgreSQL: SQLite sets the
closed-period trigger aside for the batch and checks its very condition once over the batch's rows;
PostgreSQL streams the rows with COPY through the trigger. Either way a row dated in a closed year is
refused by the store itself, nothing is written, and the trigger is there afterwards."""

from __future__ import annotations

import io
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from sqlmodel import Session, select

from cqic_budget.importing import commit, service
from cqic_budget.models import Expense, FiscalYearClose, ImportBatch
from cqic_budget.setup import get_program

HEADER = ["Date", "Fournisseur", "Description", "Catégorie", "No facture", "Montant avant taxes", "TPS",
          "TVQ", "Total"]


def sheet(*days: date) -> bytes:
    """One row a day: 100,00 $ + TPS 5,00 + TVQ 9,98 (9,975 rounded) = 114,98 $."""
    workbook = Workbook(write_only=True)
    rows = workbook.create_sheet("Dépenses")
    rows.append(HEADER)
    for i, day in enumerate(days):
        rows.append([day, "Fournisseur en vrac", "Service", "Honoraires professionnels", f"B-{i:05d}",
                     100.0, 5.0, 9.98, 114.98])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def lock_trigger(engine) -> str | None:
    """The SQL of SQLite's expense insert trigger (None on PostgreSQL, whose trigger COPY goes through)."""
    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as conn:
        return conn.execute(sa.text(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'expense_lock_insert'"
        )).scalar_one()


def close_2025_2026(engine) -> int:
    with Session(engine) as session:
        program = get_program(session)
        session.add(FiscalYearClose(
            program_id=program.id, fiscal_year="2025-2026", start_date=date(2025, 4, 1),
            end_date=date(2026, 3, 31), statement="{}", statement_sha256="0" * 64, closed_by="test",
            closed_at=datetime(2026, 4, 15, tzinfo=timezone.utc),
        ))
        session.commit()
        return program.id


def counts(engine) -> tuple[int, int]:
    with Session(engine) as session:
        return (session.scalar(sa.select(sa.func.count()).select_from(Expense)),
                session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)))


@pytest.fixture
def bulk(monkeypatch):
    """Every insert takes the bulk path, however few its rows."""
    monkeypatch.setattr(commit, "SET_ASIDE_ROWS", 1)


def test_a_bulk_import_goes_in_and_leaves_the_trigger_as_it_was(engine, bulk):
    trigger = lock_trigger(engine)
    program_id = close_2025_2026(engine)
    days = [date(2026, 4, 1), date(2026, 4, 1), date(2027, 3, 31)]
    outcome = service.import_file(engine, sheet(*days), file_name="vrac.xlsx")
    assert (outcome.status, outcome.rows_imported) == ("imported", 3)
    with Session(engine) as session:
        stored = session.exec(select(Expense).order_by(Expense.source_row)).all()
    assert [(e.date, e.source_row, e.amount_cents, e.gst_cents, e.qst_cents) for e in stored] == [
        (day, row, 10_000, 500, 998) for day, row in zip(days, (2, 3, 4), strict=True)]
    # eligible = 100 + 0,5 × (5 + 9,98) = 107,49 $ (half of the taxes recovered by default)
    assert {e.eligible_cents for e in stored} == {10_749}
    assert lock_trigger(engine) == trigger
    # ... and the store still refuses, by itself, an expense dated in the closed year.
    with pytest.raises(sa.exc.DatabaseError, match="closed-period"), engine.begin() as conn:
        conn.execute(sa.insert(Expense.__table__).values(
            program_id=program_id, date=date(2026, 1, 5), vendor="X", category_id=stored[0].category_id,
            amount_cents=100, eligible_cents=100))


def test_a_row_in_a_closed_year_that_reaches_the_store_refuses_the_whole_batch(engine, bulk, monkeypatch):
    trigger = lock_trigger(engine)
    close_2025_2026(engine)
    # The import's own check (service._find_closed) is switched off: the store's rule must hold alone.
    monkeypatch.setattr(service, "_find_closed", lambda session, program, analysis: None)
    before = counts(engine)
    with pytest.raises(sa.exc.DatabaseError, match="closed-period"):
        service.import_file(engine, sheet(date(2026, 4, 2), date(2026, 3, 31), date(2026, 5, 1)),
                            file_name="fermé.xlsx")
    assert counts(engine) == before  # no batch, no expense
    assert lock_trigger(engine) == trigger
    # Then the same file without the closed row goes in (the lock and the trigger were left as they were).
    outcome = service.import_file(engine, sheet(date(2026, 4, 2), date(2026, 5, 1)), file_name="ouvert.xlsx")
    assert (outcome.status, outcome.rows_imported) == ("imported", 2)
    assert counts(engine) == (before[0] + 2, before[1] + 1)
