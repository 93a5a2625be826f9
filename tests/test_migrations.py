"""Migrations: `init` brings a store made at revision 0001 to head, and head matches models.py
(SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from conftest import ROOT
from sqlmodel import SQLModel

from cqic_budget.amendments import amendments_view, new_amendment, shown_reference
from cqic_budget.auth import LOCAL_USER
from cqic_budget.budget import AmendmentError
from cqic_budget.db import make_engine, session_scope
from cqic_budget.setup import get_program, init_store

HEAD = "0007"
SCALE_INDEXES = {
    "expense": {"ix_expense_aggregate", "ix_expense_merchant"},
    "merchant": {"ix_merchant_program_status"},
}


def alembic_config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade_to(engine: sa.Engine, revision: str) -> None:
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def downgrade_to(engine: sa.Engine, revision: str) -> None:
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)


def revision_of(engine: sa.Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def index_names(engine: sa.Engine, table: str) -> set[str]:
    return {ix["name"] for ix in sa.inspect(engine).get_indexes(table)}


def test_init_upgrades_a_0001_store_to_head_and_keeps_its_data(db_url):
    engine = make_engine(db_url)
    try:
        upgrade_to(engine, "0001")
        assert revision_of(engine) == "0001"
        assert not SCALE_INDEXES["expense"] & index_names(engine, "expense")
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO program (code, name_fr, name_en, start_date, end_date, budget_total_cents, "
                "quebec_rate, stacking_cap, admin_cap, admin_base, tax_recovery_rate, holdback_rate, "
                "burn_window_months, target_merchants_reached, target_merchants_supported, "
                "target_merchants_completed) VALUES ('OLD', 'Ancien', 'Old', :start, :end, 100000, '0.50', "
                "'0.80', '0.10', 'eligible', '0.50', '0.10', 3, 0, 0, 0)"),
                {"start": date(2025, 4, 1), "end": date(2026, 3, 31)})

        # `python -m cqic_budget init`, as an operator runs it on the old store.
        env = {**os.environ, "CQIC_DATABASE_URL": db_url}
        result = subprocess.run([sys.executable, "-m", "cqic_budget", "init"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "OLD: store ready" in result.stdout  # the existing program is kept, no CQIC added

        assert revision_of(engine) == HEAD
        for table, names in SCALE_INDEXES.items():
            assert names <= index_names(engine, table), table
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT code FROM program")).scalars().all() == ["OLD"]
    finally:
        engine.dispose()


def test_head_matches_the_models(db_url):
    """Nothing for autogenerate to add or drop: models.py and the migrations describe one schema."""
    engine = make_engine(db_url)
    try:
        init_store(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": False})
            diffs = compare_metadata(context, SQLModel.metadata)
        assert diffs == []
    finally:
        engine.dispose()


def test_0002_downgrades_and_upgrades_again(db_url):
    engine = make_engine(db_url)
    try:
        init_store(engine)
        downgrade_to(engine, "0001")
        assert revision_of(engine) == "0001"
        assert not SCALE_INDEXES["merchant"] & index_names(engine, "merchant")
        upgrade_to(engine, "head")
        assert revision_of(engine) == HEAD
        assert SCALE_INDEXES["merchant"] <= index_names(engine, "merchant")
    finally:
        engine.dispose()


def test_0007_keeps_an_amendment_recorded_twice_and_refuses_a_third(engine):
    """A store of 0006 holding « A-1 » twice (a double Save) upgrades: both rows stay as recorded, the later
    one marked `duplicate_of` the first and shown as such; from then on the reference is taken."""
    downgrade_to(engine, "0006")
    assert "ux_budgetamendment_reference" not in index_names(engine, "budgetamendment")
    with engine.begin() as conn:
        program_id = conn.execute(sa.text("SELECT id FROM program")).scalar_one()
        travel = conn.execute(sa.text("SELECT id FROM category WHERE code = 'travel'")).scalar_one()
        for reference, amount in (("A-1", 45_000_00), ("A-1", 45_000_00), ("A-2", 50_000_00)):
            conn.execute(sa.text(
                "INSERT INTO budgetamendment (program_id, reference, effective_date, approved_by, note, "
                "created_at) VALUES (:p, :r, :d, 'MEIE', '', :d)"),
                {"p": program_id, "r": reference, "d": date(2026, 10, 15)})
            amendment_id = conn.execute(sa.text("SELECT MAX(id) FROM budgetamendment")).scalar_one()
            conn.execute(sa.text(
                "INSERT INTO amendmentchange (amendment_id, fiscal_year, category_id, amount_cents) "
                "VALUES (:a, '2026-2027', :c, :n)"), {"a": amendment_id, "c": travel, "n": amount})
    upgrade_to(engine, "head")
    assert revision_of(engine) == HEAD
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT id, reference, duplicate_of FROM budgetamendment ORDER BY id")).all()
    (first, _, none), (second, _, of), (_, _, other) = rows
    assert [r[1] for r in rows] == ["A-1", "A-1", "A-2"] and (none, of, other) == (None, first, None)
    with session_scope(engine) as session:
        view = amendments_view(session, program_id=get_program(session).id, lang="fr")
        assert [shown_reference(a, "fr") for a in view.amendments] == [
            "A-1", "A-1 (référence déjà saisie avant la version 0007 : à vérifier)", "A-2"]
        assert view.amendments[1].id == second
    with pytest.raises(AmendmentError) as refused, session_scope(engine) as session:
        new_amendment(session, effective_date="2026-11-01", reference="A-1", approved_by="MEIE",
                      lines=[("2026-2027", "travel", "1")], user=LOCAL_USER)
    assert refused.value.code == "duplicate-reference"
    downgrade_to(engine, "0006")  # and back: the index and the mark go, the rows stay
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM budgetamendment")).scalar_one() == 3
    upgrade_to(engine, "head")
    assert "ux_budgetamendment_reference" in index_names(engine, "budgetamendment")
