"""The portfolio: every program of the store side by side, from a fixed number of grouped SQL queries.

A ministry follows about 50 programs holding 1 000 000 expenses between them: `load_facts` once per program
would run 50 × 6 queries. Here each table is read once for all programs (GROUP BY program_id, and by month
and category for the expenses), each program's ProgramFacts is built from those results, and the pure
functions of burn and co-financing compute its figures, as they do for the program's own pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget.metrics.burn import forecast
from cqic_budget.metrics.cofinancing import BREACH, WATCH, cofinancing_checks, quebec_received, worst_status
from cqic_budget.metrics.facts import (
    ZERO,
    BudgetLineFact,
    ContributionFact,
    FunderFact,
    MilestoneFact,
    MonthlySpend,
    ProgramFacts,
    program_settings,
)
from cqic_budget.metrics.impact import SUPPORTED_STATUSES
from cqic_budget.models import (
    BudgetLine,
    Category,
    Contribution,
    Expense,
    Funder,
    Merchant,
    Milestone,
    Program,
)
from cqic_budget.money import from_cents, share
from cqic_budget.periods import clamp_as_of


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
    """Each program's ProgramFacts at its clamped as-of, and its merchants supported by program id.

    Eight queries whatever the number of programs and expenses. The spending is grouped by month and
    category (not by day as load_facts does): `daily_cumulative` stays empty, which leaves every figure
    exact at the as-of date and at month ends — all the portfolio uses (spent, burn, fiscal-year ends).
    """
    programs = session.execute(sa.select(Program).order_by(Program.id)).scalars().all()
    if not programs:
        return [], {}
    cutoffs = {p.id: clamp_as_of(as_of, p.start_date, p.end_date) for p in programs}
    categories = dict(session.execute(sa.select(Category.id, Category.code)).all())

    monthly: dict[int, list[MonthlySpend]] = {p.id: [] for p in programs}
    for program_id, year, month, category_id, eligible, ineligible, count in _monthly_rows(session, cutoffs):
        monthly[program_id].append(MonthlySpend(
            date(int(year), int(month), 1), categories.get(category_id, str(category_id)),
            from_cents(int(eligible or 0)), from_cents(int(ineligible or 0)), int(count)))
    for spend in monthly.values():
        spend.sort(key=lambda m: (m.month, m.category))  # load_facts' order

    budget_lines: dict[int, list[BudgetLineFact]] = {p.id: [] for p in programs}
    for program_id, fy, category_id, amount in session.execute(
        sa.select(BudgetLine.program_id, BudgetLine.fiscal_year, BudgetLine.category_id,
                  BudgetLine.amount_cents)
        .order_by(BudgetLine.program_id, BudgetLine.fiscal_year, BudgetLine.category_id)
    ).all():
        budget_lines[program_id].append(
            BudgetLineFact(fy, categories.get(category_id, str(category_id)), from_cents(amount)))

    funders: dict[int, list[FunderFact]] = {p.id: [] for p in programs}
    for program_id, fid, name, kind, public, committed, in_kind in session.execute(
        sa.select(Funder.program_id, Funder.id, Funder.name, Funder.kind, Funder.is_public_aid,
                  Funder.committed_cents, Funder.in_kind)
        .order_by(Funder.program_id, Funder.id)
    ).all():
        funders[program_id].append(
            FunderFact(fid, name, kind, bool(public), from_cents(committed), bool(in_kind)))

    contributions: dict[int, list[ContributionFact]] = {p.id: [] for p in programs}
    for program_id, cid, fid, day, amount, in_kind, ref, mid in session.execute(
        sa.select(Funder.program_id, Contribution.id, Contribution.funder_id, Contribution.received_date,
                  Contribution.amount_cents, Contribution.in_kind, Contribution.reference,
                  Contribution.milestone_id)
        .join(Funder, Funder.id == Contribution.funder_id)
        .where(Contribution.received_date <= _cutoff(Funder.program_id, cutoffs))
        .order_by(Funder.program_id, Contribution.received_date, Contribution.id)
    ).all():
        contributions[program_id].append(
            ContributionFact(cid, fid, day, from_cents(amount), bool(in_kind), ref or "", mid))

    milestones: dict[int, list[MilestoneFact]] = {p.id: [] for p in programs}
    for program_id, mid, fr, en, due, planned, status, achieved, pay_funder, pay in session.execute(
        sa.select(Milestone.program_id, Milestone.id, Milestone.name_fr, Milestone.name_en,
                  Milestone.due_date, Milestone.planned_cumulative_cents, Milestone.status,
                  Milestone.achieved_date, Milestone.payment_funder_id, Milestone.payment_cents)
        .order_by(Milestone.program_id, Milestone.due_date, Milestone.id)
    ).all():
        milestones[program_id].append(MilestoneFact(
            mid, fr, en, due, from_cents(planned), status, achieved, pay_funder,
            None if pay is None else from_cents(pay)))

    supported = {
        program_id: int(count)
        for program_id, count in session.execute(
            sa.select(Merchant.program_id, sa.func.count())
            .where(Merchant.status.in_(SUPPORTED_STATUSES),
                   Merchant.enrolment_date <= _cutoff(Merchant.program_id, cutoffs))
            .group_by(Merchant.program_id)
        ).all()
    }
    facts = [
        ProgramFacts(
            **program_settings(p), as_of=cutoffs[p.id], monthly=tuple(monthly[p.id]),
            budget_lines=tuple(budget_lines[p.id]), funders=tuple(funders[p.id]),
            contributions=tuple(contributions[p.id]), milestones=tuple(milestones[p.id]),
        )
        for p in programs
    ]
    return facts, supported


def _cutoff(program_id: sa.ColumnElement, cutoffs: dict[int, date]) -> sa.ColumnElement:
    """Each program's own as-of date, chosen in SQL by its id (one query serves every program)."""
    return sa.case({pid: sa.literal(day, sa.Date) for pid, day in cutoffs.items()}, value=program_id)


def _monthly_rows(session: Session, cutoffs: dict[int, date]) -> list[tuple]:
    """(program, year, month, category, eligible cents, ineligible cents, expenses), ordered.

    The inner GROUP BY (program, day, category) reads the ix_expense_aggregate index alone, in its order;
    the date functions then run on at most a few thousand rows per program, not on every expense.
    """
    total = Expense.amount_cents + Expense.gst_cents + Expense.qst_cents
    daily = (
        sa.select(
            Expense.program_id.label("program_id"), Expense.date.label("day"),
            Expense.category_id.label("category_id"),
            sa.func.sum(Expense.eligible_cents).label("eligible"),
            sa.func.sum(sa.case((Expense.eligible.is_(False), total), else_=0)).label("ineligible"),
            sa.func.count().label("expenses"),
        )
        .where(Expense.date <= _cutoff(Expense.program_id, cutoffs))
        .group_by(Expense.program_id, Expense.date, Expense.category_id)
        .subquery()
    )
    year, month = sa.extract("year", daily.c.day), sa.extract("month", daily.c.day)
    return session.execute(
        sa.select(daily.c.program_id, year, month, daily.c.category_id, sa.func.sum(daily.c.eligible),
                  sa.func.sum(daily.c.ineligible), sa.func.sum(daily.c.expenses))
        .group_by(daily.c.program_id, year, month, daily.c.category_id)
        .order_by(daily.c.program_id, year, month, daily.c.category_id)
    ).all()
