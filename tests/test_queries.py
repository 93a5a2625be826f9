"""The shared read queries (cqic_budget/queries.py), on SQLite and PostgreSQL, by hand: the category labels,
one expense filter for the drill-down, the exports and the count, and the claim's sums per category."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlmodel import select

from cqic_budget import claims
from cqic_budget.auth import LOCAL_USER
from cqic_budget.drilldown import expense_rows, expense_totals
from cqic_budget.models import Category, Expense
from cqic_budget.money import eligible_cents
from cqic_budget.queries import (
    CategoryTotal,
    ExpenseFilters,
    category_label_map,
    category_labels,
    claim_category_totals,
    count_expenses,
    label_in,
    programs,
)
from cqic_budget.reports import iter_expense_rows
from cqic_budget.setup import UNCLASSIFIED, get_program

AS_OF = date(2026, 10, 31)


@pytest.fixture
def store(session):
    """Three expenses in 2025-2026 (one ineligible), one in 2026-2027, one after the as-of."""
    program = get_program(session)
    cats = {c.code: c.id for c in session.exec(select(Category))}
    rows = [
        (date(2025, 5, 10), "salaries", 10_000_00, 0, 0, True),
        (date(2025, 6, 12), "travel", 1000_00, 50_00, 99_75, True),  # 1 000 + 0,5 × 149,75 = 1 074,88
        (date(2025, 6, 20), "travel", 500_00, 25_00, 49_88, False),  # ineligible: 574,88
        (date(2026, 4, 2), "salaries", 5000_00, 0, 0, True),
        (date(2026, 11, 5), "salaries", 7000_00, 0, 0, True),  # after the as-of
    ]
    for day, cat, amount, gst, qst, eligible in rows:
        session.add(Expense(program_id=program.id, date=day, vendor="V", description="Service",
                            category_id=cats[cat], amount_cents=amount, gst_cents=gst, qst_cents=qst,
                            eligible=eligible,
                            eligible_cents=eligible_cents(amount, gst, qst, D("0.50"), eligible=eligible)))
    session.flush()
    return session


def test_programs_and_category_labels(session):
    assert [p.code for p in programs(session)] == [get_program(session).code]
    labels = category_labels(session)
    rows = session.exec(select(Category).order_by(Category.sort_order, Category.id)).all()
    assert [c.code for c in labels] == [c.code for c in rows] and len(labels) > 3
    salaries = next(c for c in labels if c.code == "salaries")
    assert (salaries.label("fr"), salaries.label("en")) == (salaries.label_fr, salaries.label_en)
    assert salaries.label_fr != salaries.label_en
    row = next(c for c in rows if c.code == "salaries")
    assert (label_in(row, "en"), label_in(row, "fr"), label_in(row, "de")) == (
        row.label_en, row.label_fr, row.label_fr)  # an unknown language reads French
    english = category_label_map(session, "en", without=(UNCLASSIFIED,))
    assert list(english) == [c.code for c in labels if c.code != UNCLASSIFIED]
    assert english["salaries"] == row.label_en


@pytest.mark.parametrize(("filters", "count", "eligible"), [
    # every row dated on or before the as-of: 10 000 + 1 074,88 + 0 + 5 000 = 16 074,88
    (ExpenseFilters(), 4, D("16074.88")),
    (ExpenseFilters(fiscal_year="2025-2026"), 3, D("11074.88")),
    (ExpenseFilters(category="travel"), 2, D("1074.88")),
    (ExpenseFilters(category="travel", eligible=False), 1, D("0.00")),
    (ExpenseFilters(month=date(2025, 6, 1)), 2, D("1074.88")),
    (ExpenseFilters(fiscal_year="2026-2027", category="salaries"), 1, D("5000.00")),
])
def test_the_drilldown_the_exports_and_the_count_select_the_same_rows(store, filters, count, eligible):
    program = get_program(store)
    common = dict(program_id=program.id, as_of=AS_OF)
    totals = expense_totals(store, **common, month=filters.month, category=filters.category,
                            fiscal_year=filters.fiscal_year, eligible=filters.eligible)
    frame, matching = expense_rows(store, **common, month=filters.month, category=filters.category,
                                   fiscal_year=filters.fiscal_year, eligible=filters.eligible)
    exported = list(iter_expense_rows(store, **common, filters=filters))
    assert (totals.count, matching, len(frame), len(exported)) == (count, count, count, count)
    assert count_expenses(store, **common, filters=filters) == count
    assert totals.eligible_cost == eligible == sum((row[9] for row in exported), D("0"))


def test_a_claims_sums_per_category_by_hand(store):
    # Claim 1 covers April–September 2025: the salaries (10 000,00) and the eligible travel row
    # (1 000 + 50 + 99,75 = 1 149,75, eligible 1 074,88); the ineligible travel row is never claimed.
    claim = claims.new_claim(store, period_from=date(2025, 4, 1), period_to=date(2025, 9, 30),
                             user=LOCAL_USER)
    assert claim_category_totals(store, claim_id=claim.id) == [
        CategoryTotal("salaries", 1, 10_000_00, 10_000_00),
        CategoryTotal("travel", 1, 1_149_75, 1_074_88),
    ]
    # 10 000,00 + 1 074,88 = 11 074,88, what the claim holds
    assert sum(c.eligible_cents for c in claim_category_totals(store, claim_id=claim.id)) == 11_074_88
    assert claim.eligible_cents == 11_074_88
