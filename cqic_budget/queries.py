"""The store's shared read queries: one home for each query more than one module runs.

The pages (ui/), the drill-down, the report and the exports call these instead of writing their own SQL:
the programs, the category labels, the expense filter (which rows a drill-down, an export or a count
holds) and the per-category sums of a claim's expenses. Nothing here imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget.i18n import normalise_lang
from cqic_budget.models import Category, ClaimExpense, Expense, Program
from cqic_budget.periods import FiscalYear, month_end, month_start

# --- programs ---------------------------------------------------------------------------------------


def programs(session: Session) -> list[Program]:
    """Every program of the store, in the order they were created."""
    return list(session.execute(sa.select(Program).order_by(Program.id)).scalars())


# --- category labels --------------------------------------------------------------------------------


class _Labelled(Protocol):
    label_fr: str
    label_en: str


def label_in(category: _Labelled, lang: str) -> str:
    """A category's label (a row of Category, or a CategoryLabel) in the reader's language."""
    return category.label_en if normalise_lang(lang) == "en" else category.label_fr


def label_column(lang: str) -> sa.ColumnElement[str]:
    """The Category column holding the label in the reader's language (for a query joining Category)."""
    return label_in(Category, lang)


@dataclass(frozen=True)
class CategoryLabel:
    code: str
    label_fr: str
    label_en: str
    sort_order: int = 0

    def label(self, lang: str) -> str:
        return label_in(self, lang)


def category_labels(session: Session) -> list[CategoryLabel]:
    """The expense categories with their French and English labels, in the order the program lists them."""
    rows = session.execute(
        sa.select(Category.code, Category.label_fr, Category.label_en, Category.sort_order)
        .order_by(Category.sort_order, Category.id)
    ).all()
    return [CategoryLabel(*row) for row in rows]


def category_label_map(session: Session, lang: str, *, without: tuple[str, ...] = ()) -> dict[str, str]:
    """Category code -> label in `lang`, in the categories' order (codes in `without` left out)."""
    return {c.code: c.label(lang) for c in category_labels(session) if c.code not in without}


# --- the expense filter -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpenseFilters:
    """Which expense rows a drill-down, an export or a count holds (every total drills down to its rows)."""

    first: date | None = None  # dated on or after
    last: date | None = None  # dated on or before (never after the as-of)
    category: str | None = None  # category code
    fiscal_year: str | None = None  # "2025-2026"
    eligible: bool | None = None
    needs_review: bool | None = None
    batch_id: int | None = None
    vendor_contains: str | None = None
    month: date | None = None  # any day of the month


def expense_conditions(
    *, program_id: int, as_of: date, filters: ExpenseFilters | None = None
) -> list[sa.ColumnElement[bool]]:
    """The WHERE conditions of the expense rows of a program dated on or before `as_of` that match
    `filters`, on Expense alone (no join needed)."""
    f = filters or ExpenseFilters()
    # Date ranges rather than date functions, so the (program_id, date) index serves every filter.
    where = [Expense.program_id == program_id, Expense.date <= as_of]
    if f.month is not None:
        where += [Expense.date >= month_start(f.month), Expense.date <= month_end(f.month)]
    if f.fiscal_year:
        fy = FiscalYear.from_label(f.fiscal_year)
        where += [Expense.date >= fy.start, Expense.date <= fy.end]
    if f.first is not None:
        where.append(Expense.date >= f.first)
    if f.last is not None:
        where.append(Expense.date <= f.last)
    if f.category:
        where.append(Expense.category_id == sa.select(Category.id).where(Category.code == f.category)
                     .scalar_subquery())
    if f.eligible is not None:
        where.append(Expense.eligible.is_(f.eligible))
    if f.needs_review is not None:
        where.append(Expense.needs_review.is_(f.needs_review))
    if f.batch_id is not None:
        where.append(Expense.batch_id == f.batch_id)
    if f.vendor_contains:
        pattern = "%" + f.vendor_contains.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(Expense.vendor.ilike(pattern, escape="\\"))
    return where


def count_expenses(session: Session, *, program_id: int, as_of: date, filters: ExpenseFilters | None = None
                   ) -> int:
    """How many expense rows match (one COUNT in the database): the rows an export would hold."""
    where = expense_conditions(program_id=program_id, as_of=as_of, filters=filters)
    return int(session.execute(sa.select(sa.func.count()).select_from(Expense).where(*where)).scalar_one())


# --- sums per category ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CategoryTotal:
    """What the expenses of one category add up to, in cents."""

    category: str  # category code
    expenses: int
    total_cents: int  # amount + taxes
    eligible_cents: int


def claim_category_totals(session: Session, *, claim_id: int) -> list[CategoryTotal]:
    """The expenses of a claim summed per category (one GROUP BY), by category code: the claim packet's
    « état des dépenses par catégorie ». The eligible cost is the one the claim holds (ClaimExpense)."""
    total = Expense.amount_cents + Expense.gst_cents + Expense.qst_cents
    rows = session.execute(
        sa.select(Category.code, sa.func.count(), sa.func.coalesce(sa.func.sum(total), 0),
                  sa.func.coalesce(sa.func.sum(ClaimExpense.eligible_cents), 0))
        .join(Expense, Expense.id == ClaimExpense.expense_id)
        .join(Category, Category.id == Expense.category_id)
        .where(ClaimExpense.claim_id == claim_id)
        .group_by(Category.code)
        .order_by(Category.code)
    ).all()
    return [CategoryTotal(code, int(count), int(amount), int(eligible))
            for code, count, amount, eligible in rows]
