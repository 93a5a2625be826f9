"""Hand-built ProgramFacts for the pure metric tests: the CQIC program with its default settings."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from cqic_budget.metrics.facts import MonthlySpend, ProgramFacts


def spend(month: str, eligible: str, category: str = "salaries", ineligible: str = "0") -> MonthlySpend:
    """One month's spending in a category: spend("2026-07", "10000")."""
    year, mon = (int(x) for x in month.split("-"))
    return MonthlySpend(date(year, mon, 1), category, D(eligible), D(ineligible), 1)


def cqic_facts(default_as_of: date, **changes) -> ProgramFacts:
    """The CQIC program (2025-04-01 → 2028-03-31, 2 100 000 $), settings at their defaults, as of
    `default_as_of` unless `changes` names another as_of."""
    base = dict(
        program_id=1, code="CQIC", name_fr="Programme", name_en="Program",
        start=date(2025, 4, 1), end=date(2028, 3, 31), budget_total=D("2100000.00"),
        quebec_rate=D("0.50"), stacking_cap=D("0.80"), admin_cap=D("0.10"), admin_base="eligible",
        tax_recovery_rate=D("0.50"), holdback_rate=D("0.10"), burn_window_months=3,
        target_merchants_reached=300, target_merchants_supported=150, target_merchants_completed=100,
        as_of=default_as_of,
    )
    base.update(changes)
    return ProgramFacts(**base)
