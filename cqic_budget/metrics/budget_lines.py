"""Budget vs actual per budget line (one category in one fiscal year): in force, spent, open commitments,
available and the line's status (metrics.status)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cqic_budget.i18n import format_money, format_percent, t
from cqic_budget.metrics.facts import ZERO, ProgramFacts
from cqic_budget.metrics.status import BUDGET_LINE_WATCH, budget_line_status_code, severity, status_word
from cqic_budget.money import share
from cqic_budget.periods import fiscal_year_of, fiscal_years_between, month_start


@dataclass(frozen=True)
class BudgetLineInput:
    """What a budget line is planned at, at the as-of: the seam that commitments and amendments feed."""

    fiscal_year: str
    category: str  # category code
    budget_original: Decimal  # the line as first signed
    budget: Decimal  # the line in force at the as-of
    open_commitments: Decimal  # signed, not yet invoiced


def budget_line_inputs(facts: ProgramFacts) -> list[BudgetLineInput]:
    """Every budget line of the program with its amounts at the as-of: in force (budget amendments
    applied), as first signed, and its open commitments (load_facts reads them through cqic_budget.budget)."""
    return [
        BudgetLineInput(b.fiscal_year, b.category, b.amount if b.original is None else b.original, b.amount,
                        b.open_commitments)
        for b in facts.budget_lines
    ]


@dataclass(frozen=True)
class BudgetLinePosition:
    fiscal_year: str
    category: str
    budget_original: Decimal
    budget: Decimal  # in force
    spent: Decimal  # eligible, within the fiscal year, to the as-of
    open_commitments: Decimal
    available: Decimal  # budget − spent − open commitments (< 0: beyond the line)
    used_share: Decimal | None  # (spent + open commitments) ÷ budget; None without a budget
    status: str  # ok, watch, breach

    @property
    def level(self) -> str:
        return severity(self.status)

    def word(self, lang: str) -> str:
        return status_word(self.status, lang)


def spent_by_line(facts: ProgramFacts) -> dict[tuple[str, str], Decimal]:
    """Eligible spend per (fiscal year, category), months within the program and up to the as-of."""
    first, last = month_start(facts.start), month_start(facts.as_of)
    spent: dict[tuple[str, str], Decimal] = {}
    for m in facts.monthly:
        if first <= m.month <= last:
            key = (fiscal_year_of(m.month).label, m.category)
            spent[key] = spent.get(key, ZERO) + m.eligible
    return spent


def budget_line_positions(facts: ProgramFacts) -> list[BudgetLinePosition]:
    """Every budget line, and every category that spent in a year without a line, fiscal year by year.

    Ordered by fiscal year, then by the order of the lines in the facts (then category code).
    """
    spent = spent_by_line(facts)
    inputs = {(i.fiscal_year, i.category): i for i in budget_line_inputs(facts)}
    for key, amount in spent.items():
        if key not in inputs and amount:
            inputs[key] = BudgetLineInput(key[0], key[1], ZERO, ZERO, ZERO)
    years = [fy.label for fy in fiscal_years_between(facts.start, facts.end)]
    order = {label: i for i, label in enumerate(years)}
    positions = []
    for (label, category), line in sorted(
        inputs.items(), key=lambda item: (order.get(item[0][0], len(order)), item[0][0])
    ):
        used = spent.get((label, category), ZERO)
        positions.append(BudgetLinePosition(
            fiscal_year=label, category=category, budget_original=line.budget_original, budget=line.budget,
            spent=used, open_commitments=line.open_commitments,
            available=line.budget - used - line.open_commitments,
            used_share=share(used + line.open_commitments, line.budget),
            status=budget_line_status_code(budget=line.budget, spent=used,
                                           open_commitments=line.open_commitments,
                                           transfer_tolerance=facts.budget_transfer_tolerance),
        ))
    return positions


def line_limits(facts: ProgramFacts, budget: Decimal) -> tuple[Decimal, Decimal]:
    """The amounts where a line turns watch (90 %) and beyond which it is a breach (100 % + tolerance)."""
    return BUDGET_LINE_WATCH * budget, (1 + facts.budget_transfer_tolerance) * budget


def budget_line_message(facts: ProgramFacts, line: BudgetLinePosition, category_label: str, lang: str) -> str:
    """The line's status in a sentence: used (spent + open commitments) of the line, and its limits."""
    watch, limit = line_limits(facts, line.budget)
    return t("status.budget_line.message", lang, category=category_label, label=line.fiscal_year,
             used=format_money(line.spent + line.open_commitments, lang),
             spent=format_money(line.spent, lang), commitments=format_money(line.open_commitments, lang),
             budget=format_money(line.budget, lang), share=format_percent(line.used_share, lang),
             watch=format_money(watch, lang), limit=format_money(limit, lang),
             tolerance=format_percent(facts.budget_transfer_tolerance, lang))


def budget_line_alert_title(line: BudgetLinePosition, category_label: str, lang: str) -> str:
    return t("status.budget_line.alert", lang, category=category_label, label=line.fiscal_year,
             status=line.word(lang))
