"""The portfolio: every program of the store side by side, from a fixed number of grouped SQL queries.

A ministry follows about 50 programs holding 1 000 000 expenses between them: `load_facts` once per program
would run 50 × 10 queries. The one facts loader (metrics.facts.load_facts_many) reads each table once for
all programs (GROUP BY program_id, and by month and category for the expenses), and the pure functions of
burn and co-financing compute each program's figures, as they do for the program's own pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget.budget import cutoff
from cqic_budget.metrics.burn import forecast
from cqic_budget.metrics.cofinancing import BREACH, WATCH, cofinancing_checks, quebec_received, worst_status
from cqic_budget.metrics.facts import ZERO, ProgramFacts, load_facts_many
from cqic_budget.metrics.impact import SUPPORTED_STATUSES
from cqic_budget.models import Merchant
from cqic_budget.money import share


@dataclass(frozen=True)
class ProgramRow:
    """One program's headline figures at its as-of date (the portfolio's as-of, clamped to its period)."""

    code: str
    name_fr: str
    name_en: str
    start: date
    end: date
    as_of: date
    budget: Decimal
    spent: Decimal  # eligible cost to the as-of
    spent_share: Decimal | None  # spent ÷ budget
    time_elapsed_share: Decimal
    quebec_rate: Decimal
    quebec_received: Decimal
    quebec_share: Decimal | None  # Québec received ÷ spent; None when nothing is spent
    status: str  # the worst of the co-financing checks: ok, watch or breach
    checks_flagged: int  # checks at watch or breach
    merchants_supported: int
    target_supported: int

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_fr


@dataclass(frozen=True)
class PortfolioTotals:
    programs: int
    budget: Decimal
    spent: Decimal
    spent_share: Decimal | None
    quebec_received: Decimal
    quebec_share: Decimal | None  # Québec received ÷ spent, across programs
    merchants_supported: int
    target_supported: int
    by_status: dict[str, int]  # programs whose worst check is ok / watch / breach


def program_row(facts: ProgramFacts, *, supported: int) -> ProgramRow:
    """A program's row, from its facts and its number of merchants supported (pure)."""
    outlook = forecast(facts)
    checks = cofinancing_checks(facts)
    received = quebec_received(facts)
    return ProgramRow(
        code=facts.code, name_fr=facts.name_fr, name_en=facts.name_en, start=facts.start, end=facts.end,
        as_of=facts.as_of, budget=outlook.budget, spent=outlook.spent, spent_share=outlook.spent_share,
        time_elapsed_share=outlook.time_elapsed_share, quebec_rate=facts.quebec_rate,
        quebec_received=received, quebec_share=share(received, outlook.spent),
        status=worst_status(checks), checks_flagged=sum(1 for c in checks if c.status in (WATCH, BREACH)),
        merchants_supported=supported, target_supported=facts.target_merchants_supported,
    )


def portfolio_totals(rows: list[ProgramRow]) -> PortfolioTotals:
    """Sums across programs; the shares are of the sums (not a mean of the programs' shares)."""
    budget = sum((r.budget for r in rows), ZERO)
    spent = sum((r.spent for r in rows), ZERO)
    received = sum((r.quebec_received for r in rows), ZERO)
    by_status = {"ok": 0, WATCH: 0, BREACH: 0}
    for r in rows:
        by_status[r.status] += 1
    return PortfolioTotals(
        programs=len(rows), budget=budget, spent=spent, spent_share=share(spent, budget),
        quebec_received=received, quebec_share=share(received, spent),
        merchants_supported=sum(r.merchants_supported for r in rows),
        target_supported=sum(r.target_supported for r in rows), by_status=by_status,
    )


def portfolio_rows(session: Session, *, as_of: date) -> list[ProgramRow]:
    """Every program's row at `as_of` (clamped to each program's period), in program order."""
    facts, supported = portfolio_facts(session, as_of=as_of)
    return [program_row(f, supported=supported.get(f.program_id, 0)) for f in facts]


def portfolio_facts(session: Session, *, as_of: date) -> tuple[list[ProgramFacts], dict[int, int]]:
    """Each program's ProgramFacts at its clamped as-of — the one facts loader's (facts.load_facts_many:
    amendments, open commitments, closed years as every page has them), grouped by month — and its
    merchants supported by program id. A fixed number of queries whatever the number of programs."""
    facts = load_facts_many(session, as_of=as_of)
    if not facts:
        return [], {}
    cutoffs = {f.program_id: f.as_of for f in facts}
    supported = {
        program_id: int(count)
        for program_id, count in session.execute(
            sa.select(Merchant.program_id, sa.func.count())
            .where(Merchant.status.in_(SUPPORTED_STATUSES),
                   Merchant.enrolment_date <= cutoff(Merchant.program_id, cutoffs))
            .group_by(Merchant.program_id)
        ).all()
    }
    return facts, supported
