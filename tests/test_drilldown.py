"""Drill-down: the rows behind a total add up to it, carry their file and row, and come one page at a time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlmodel import select

from cqic_budget.auth import LOCAL_USER
from cqic_budget.drilldown import COLUMNS, expense_rows, expense_totals
from cqic_budget.metrics.burn import fiscal_year_status, monthly_by_category
from cqic_budget.metrics.cofinancing import admin_spent
from cqic_budget.metrics.facts import eligible_spent, ineligible_spent, load_facts
from cqic_budget.models import Category, Expense, ImportBatch
from cqic_budget.money import eligible_cents
from cqic_budget.queries import category_labels
from cqic_budget.setup import get_program

AS_OF = date(2026, 10, 31)


@pytest.fixture
def demo(demo_engine, session):
    """The demo store (a copy of the demo template: tests/conftest.py)."""
    program = get_program(session)
    return program.id, load_facts(session, program_id=program.id, as_of=AS_OF)


def all_rows(session, **filters):
    """Every matching row, read page by page as the app does."""
    frames, offset = [], 0
    while True:
        frame, total = expense_rows(session, limit=200, offset=offset, **filters)
        frames.append(frame)
        offset += 200
        if offset >= total:
            return frames, total


def test_a_month_and_category_add_up_to_the_bar(session, demo):
    program_id, facts = demo
    spend = monthly_by_category(facts)
    month = date(2026, 9, 1)
    at = spend.months.index(month)
    assert spend.categories  # never a loop over nothing
    for series in spend.categories:
        frame, total = expense_rows(session, program_id=program_id, as_of=AS_OF, month=month,
                                    category=series.category)
        assert total == len(frame) > 0
        assert sum(frame["eligible_cost"], Decimal(0)) == series.values[at], series.category
        totals = expense_totals(session, program_id=program_id, as_of=AS_OF, month=month,
                                category=series.category)
        assert (totals.count, totals.eligible_cost) == (total, series.values[at])
    # All categories of the month: the whole bar.
    totals = expense_totals(session, program_id=program_id, as_of=AS_OF, month=month)
    assert totals.eligible_cost == spend.month_total(month)


def test_every_row_to_the_as_of_adds_up_to_the_eligible_spent_and_the_ineligible_apart(session, demo):
    program_id, facts = demo
    frames, total = all_rows(session, program_id=program_id, as_of=AS_OF)
    assert sum(len(f) for f in frames) == total
    assert sum((sum(f["eligible_cost"], Decimal(0)) for f in frames), Decimal(0)) == eligible_spent(facts)
    totals = expense_totals(session, program_id=program_id, as_of=AS_OF)
    assert (totals.count, totals.eligible_cost, totals.ineligible) == (
        total, eligible_spent(facts), ineligible_spent(facts))
    assert totals.ineligible > 0, "the demo has ineligible spending"


def test_a_fiscal_year_adds_up_to_its_spent_and_administration_to_the_admin_costs(session, demo):
    program_id, facts = demo
    years = fiscal_year_status(facts)
    assert years  # never a loop over nothing
    for year in years:
        totals = expense_totals(session, program_id=program_id, as_of=AS_OF, fiscal_year=year.label)
        assert totals.eligible_cost == year.spent, year.label
        assert totals.ineligible == year.ineligible, year.label
    totals = expense_totals(session, program_id=program_id, as_of=AS_OF, category="administration")
    assert totals.eligible_cost == admin_spent(facts)


def test_eligible_filter_and_as_of(session, demo):
    program_id, facts = demo
    ineligible, count = expense_rows(session, program_id=program_id, as_of=AS_OF, eligible=False)
    assert count == len(ineligible) > 0
    assert not ineligible["eligible"].any()
    assert set(ineligible["eligible_cost"]) == {Decimal("0.00")}
    assert (ineligible["ineligible_reason"] != "").all()
    early, _ = expense_rows(session, program_id=program_id, as_of=date(2025, 5, 31))
    assert early["date"].max() <= date(2025, 5, 31)


def test_pages_partition_the_rows_in_date_order(session, demo):
    program_id, _ = demo
    first, total = expense_rows(session, program_id=program_id, as_of=AS_OF, limit=50, offset=0)
    second, again = expense_rows(session, program_id=program_id, as_of=AS_OF, limit=50, offset=50)
    assert total == again > 100
    assert len(first) == len(second) == 50
    assert not set(first["expense_id"]) & set(second["expense_id"])
    dates = list(first["date"]) + list(second["date"])
    assert dates == sorted(dates)
    past, count = expense_rows(session, program_id=program_id, as_of=AS_OF, offset=total + 10)
    assert past.empty and count == total
    assert list(past.columns) == list(COLUMNS)


def test_rows_carry_their_file_name_and_source_row(session):
    program = get_program(session)
    category = session.exec(select(Category).where(Category.code == "travel")).one()
    batch = ImportBatch(program_id=program.id, file_name="depenses-2026-09.xlsx", file_sha256="0" * 64,
                        user=LOCAL_USER, rows_read=2, rows_imported=2)
    session.add(batch)
    session.flush()
    rate = Decimal(program.tax_recovery_rate)
    for row, (day, amount) in enumerate([(date(2026, 9, 3), 100_00), (date(2026, 9, 20), 250_50)], start=7):
        session.add(Expense(program_id=program.id, date=day, vendor="Via Rail", category_id=category.id,
                            amount_cents=amount, gst_cents=0, qst_cents=0,
                            eligible_cents=eligible_cents(amount, 0, 0, rate),
                            batch_id=batch.id, source_row=row))
    session.add(Expense(program_id=program.id, date=date(2026, 9, 25), vendor="Saisie",
                        category_id=category.id, amount_cents=10_00, eligible_cents=10_00))
    session.flush()
    frame, total = expense_rows(session, program_id=program.id, as_of=AS_OF, month=date(2026, 9, 1),
                                category="travel")
    assert total == 3
    assert list(frame["file_name"])[:2] == ["depenses-2026-09.xlsx"] * 2
    assert list(frame["source_row"])[:2] == [7, 8]
    assert pd.isna(frame["file_name"].iloc[2]) and pd.isna(frame["source_row"].iloc[2])
    # 100,00 + 250,50 + 10,00 = 360,50 $
    assert sum(frame["eligible_cost"], Decimal(0)) == Decimal("360.50")
    assert frame["category_fr"].iloc[0] == category.label_fr


def test_one_query_per_page_of_rows(session, demo, engine):
    """The page, its file names and the number of matches come from a single SQL statement."""
    program_id, _ = demo
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        frame, total = expense_rows(session, program_id=program_id, as_of=AS_OF, limit=500)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert len(frame) == min(total, 500)
    assert len(statements) == 1
    assert "importbatch" in statements[0].lower()


def test_categories_in_the_program_order(session):
    labels = category_labels(session)
    assert labels[0].code == "salaries"
    assert labels[0].label("fr") != labels[0].label("en")
    assert {c.code for c in labels} == set(session.exec(select(Category.code)).all())


def test_descriptions_of_merchant_linked_rows_are_masked_without_personal_rights(session, demo):
    """Staff write merchants' names into expense text; a funder's drill-down must not carry it."""
    program_id, _ = demo
    linked = session.exec(select(Expense).where(Expense.merchant_id.is_not(None)).limit(1)).one()
    linked.description = "Accompagnement — Quincaillerie Bélanger"
    session.add(linked)
    session.flush()
    filters = dict(program_id=program_id, as_of=AS_OF, month=linked.date.replace(day=1))
    staff, _ = expense_rows(session, **filters)
    funder, _ = expense_rows(session, personal=False, lang="en", **filters)
    by_id = dict(zip(funder["expense_id"], funder["description"], strict=True))
    assert "Accompagnement — Quincaillerie Bélanger" in set(staff["description"])
    assert by_id[linked.id] == "(description hidden: expense tied to a merchant)"
    # Rows tied to no merchant keep their text; the amounts are the same either way.
    untied = set(session.exec(select(Expense.id).where(Expense.merchant_id.is_(None))).all())
    staff_text = dict(zip(staff["expense_id"], staff["description"], strict=True))
    assert any(i in untied for i in by_id)  # never a check over nothing
    assert all(by_id[i] == staff_text[i] for i in by_id if i in untied)
    assert list(staff["eligible_cost"]) == list(funder["eligible_cost"])
