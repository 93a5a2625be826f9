"""Drill-down: the expense rows behind a total, with the file and the sheet row each came from.

One paginated query per page of rows (the file name joined from ImportBatch, no ORM object per row), and
one aggregate for the rows' totals: a store may hold 1 000 000 expenses, so nothing loads them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget.currency import exchange_difference_cents
from cqic_budget.merchants import expense_description
from cqic_budget.models import Category, Expense, ImportBatch
from cqic_budget.money import from_cents
from cqic_budget.periods import FiscalYear
from cqic_budget.privacy import redactor
from cqic_budget.queries import ExpenseFilters, expense_conditions

# The columns of expense_rows' DataFrame; money as exact Decimal dollars.
COLUMNS = (
    "expense_id", "date", "vendor", "description", "category", "category_fr", "category_en", "invoice_number",
    "amount", "gst", "qst", "eligible_cost", "eligible", "ineligible_reason", "file_name", "source_row",
    "batch_id", "currency", "written_total", "fx_rate", "fx_source", "tax_treatment", "exchange_difference",
)
_AT = {name: index for index, name in enumerate(COLUMNS)}
MONEY_COLUMNS = ("amount", "gst", "qst", "eligible_cost")
# Text staff typed or uploaded: redacted for readers without "read_personal" (privacy.redactor).
FREE_TEXT_COLUMNS = ("vendor", "description", "invoice_number", "ineligible_reason", "file_name")


@dataclass(frozen=True)
class RowTotals:
    """What the rows of a drill-down add up to: the eligible cost equals the total drilled into."""

    count: int
    eligible_cost: Decimal
    ineligible: Decimal  # amount + taxes of the rows marked ineligible, shown apart


def _conditions(
    *, program_id: int, as_of: date, month: date | None, category: str | None,
    fiscal_year: str | FiscalYear | None, eligible: bool | None,
) -> list[sa.ColumnElement[bool]]:
    label = fiscal_year.label if isinstance(fiscal_year, FiscalYear) else fiscal_year
    filters = ExpenseFilters(month=month, category=category, fiscal_year=label, eligible=eligible)
    return expense_conditions(program_id=program_id, as_of=as_of, filters=filters)


def expense_rows(
    session: Session,
    *,
    program_id: int,
    as_of: date,
    month: date | None = None,
    category: str | None = None,
    fiscal_year: str | FiscalYear | None = None,
    eligible: bool | None = None,
    limit: int = 500,
    offset: int = 0,
    personal: bool = True,
    lang: str = "fr",
) -> tuple[pd.DataFrame, int]:
    """One page of the expense rows dated on or before `as_of` that match the filters, oldest first,
    with the file name and source row they were imported from (None for rows entered otherwise),
    and the number of matching rows in all. Without `personal`, the descriptions of merchant-linked
    rows are masked (merchants.expense_description) and every free text is redacted (privacy.redactor)."""
    where = _conditions(program_id=program_id, as_of=as_of, month=month, category=category,
                        fiscal_year=fiscal_year, eligible=eligible)
    count = sa.select(sa.func.count()).select_from(Expense).where(*where)
    query = (
        sa.select(
            Expense.id, Expense.date, Expense.vendor, expense_description(personal=personal, lang=lang),
            Category.code, Category.label_fr,
            Category.label_en, Expense.invoice_number, Expense.amount_cents, Expense.gst_cents,
            Expense.qst_cents, Expense.eligible_cents, Expense.eligible, Expense.ineligible_reason,
            ImportBatch.file_name, Expense.source_row, Expense.batch_id,
            # A foreign-currency expense as written (SPEC §10): its total in its currency, rate and source.
            Expense.currency,
            Expense.written_amount_cents + sa.func.coalesce(Expense.written_gst_cents, 0)
            + sa.func.coalesce(Expense.written_qst_cents, 0),
            Expense.fx_rate, Expense.fx_source, Expense.tax_treatment, Expense.fx_reference_rate,
            # The number of matches in the same statement, as an uncorrelated subquery computed once from
            # the (program_id, date) index: a COUNT(*) OVER () would read every matching row and its joins
            # to return a page of them (seconds with 1 000 000 expenses).
            count.scalar_subquery().label("matching"),
        )
        .join(Category, Category.id == Expense.category_id)
        .outerjoin(ImportBatch, ImportBatch.id == Expense.batch_id)
        .where(*where)
        .order_by(Expense.date, Expense.id)
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(query).all()
    if rows:
        matching = int(rows[0][-1])
    else:  # a page past the end: the count alone
        matching = int(session.execute(count).scalar())
    frame = pd.DataFrame.from_records([_with_difference(row[:-1]) for row in rows], columns=list(COLUMNS))
    for column in MONEY_COLUMNS:
        frame[column] = frame[column].map(from_cents).astype(object)
    redact = redactor(session, personal=personal, program_id=program_id, lang=lang)
    for column in FREE_TEXT_COLUMNS:
        frame[column] = frame[column].map(redact).astype(object)
    frame["eligible"] = frame["eligible"].astype(bool)
    frame["source_row"] = frame["source_row"].astype("Int64")
    frame["batch_id"] = frame["batch_id"].astype("Int64")
    frame["written_total"] = frame["written_total"].map(
        lambda cents: None if cents is None or cents != cents else from_cents(cents)).astype(object)
    frame["fx_rate"] = frame["fx_rate"].map(
        lambda rate: None if rate is None else Decimal(rate)).astype(object)
    return frame, matching


def _with_difference(row: tuple) -> tuple:
    """The row with its exchange difference in dollars (currency.exchange_difference_cents: what the actual
    rate cost beyond the Bank of Canada's; None for a CAD row or without the day's reference rate) in place
    of the reference rate."""
    *head, reference_rate = row
    written_total, amount, gst, qst = (head[_AT[name]] for name in ("written_total", "amount", "gst", "qst"))
    if written_total is None or reference_rate is None:
        return (*head, None)
    difference = exchange_difference_cents(written_total, amount + gst + qst, Decimal(reference_rate))
    return (*head, from_cents(difference))


def expense_totals(
    session: Session,
    *,
    program_id: int,
    as_of: date,
    month: date | None = None,
    category: str | None = None,
    fiscal_year: str | FiscalYear | None = None,
    eligible: bool | None = None,
) -> RowTotals:
    """Count, eligible cost and ineligible spending of every row expense_rows would list (one aggregate)."""
    where = _conditions(program_id=program_id, as_of=as_of, month=month, category=category,
                        fiscal_year=fiscal_year, eligible=eligible)
    total = Expense.amount_cents + Expense.gst_cents + Expense.qst_cents
    count, eligible_cents, ineligible_cents = session.execute(
        sa.select(
            sa.func.count(), sa.func.coalesce(sa.func.sum(Expense.eligible_cents), 0),
            sa.func.coalesce(sa.func.sum(sa.case((Expense.eligible.is_(False), total), else_=0)), 0),
        ).where(*where)
    ).one()
    return RowTotals(int(count), from_cents(int(eligible_cents)), from_cents(int(ineligible_cents)))
