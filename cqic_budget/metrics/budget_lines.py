"""Budget lines (a category in a fiscal year): budget, eligible spend within the year, the share used.

The funder report's spending sheet and the weekly brief's "lines at ≥ 90 %" read the same rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from cqic_budget.metrics.burn import FiscalYearStatus
from cqic_budget.metrics.facts import ZERO, ProgramFacts
from cqic_budget.money import share
from cqic_budget.periods import month_start

# A line is flagged in the weekly brief once its spend reaches this share of its budget.
NEAR_LIMIT_SHARE = Decimal("0.90")


@dataclass(frozen=True)
class BudgetLineUse:
    fiscal_year: str  # "2025-2026"
    category: str  # category code
    budget: Decimal
    spent: Decimal  # eligible, within the fiscal year, to the as-of
    balance: Decimal  # budget − spent (< 0: over the line)
    used_share: Decimal | None  # spent ÷ budget; None when the line has no budget


def spent_in_year(facts: ProgramFacts, status: FiscalYearStatus, category: str) -> Decimal:
    """Eligible spend of one category within a fiscal year, to the as-of: the months of
    `fiscal_year_status`'s window, read from the same monthly facts (spent_between has no category)."""
    if status.phase == "future":
        return ZERO
    first, last = month_start(status.start), month_start(min(status.end, facts.as_of))
    return sum((m.eligible for m in facts.monthly if m.category == category and first <= m.month <= last),
               ZERO)


def budget_line_use(
    facts: ProgramFacts, fiscal_years: Sequence[FiscalYearStatus], *, order: Mapping[str, int] | None = None
) -> list[BudgetLineUse]:
    """Each fiscal year (in the given order), then each category with a budget or eligible spend in the
    program (by `order`, then code); a category with neither budget nor spend in a year is left out."""
    order = order or {}
    codes = {b.category for b in facts.budget_lines} | {m.category for m in facts.monthly if m.eligible}
    ordered = sorted(codes, key=lambda code: (order.get(code, 999), code))
    uses = []
    for status in fiscal_years:
        for code in ordered:
            budget = sum((b.amount for b in facts.budget_lines
                          if b.fiscal_year == status.label and b.category == code), ZERO)
            spent = spent_in_year(facts, status, code)
            if budget or spent:
                uses.append(BudgetLineUse(status.label, code, budget, spent, budget - spent,
                                          share(spent, budget)))
    return uses


def near_limit(use: BudgetLineUse, threshold: Decimal = NEAR_LIMIT_SHARE) -> bool:
    """At or past `threshold` of its budget, or spending on a line that has no budget."""
    if use.spent <= 0:
        return False
    return use.budget <= 0 or use.spent >= threshold * use.budget
