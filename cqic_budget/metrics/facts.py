"""ProgramFacts: every figure the metrics need, read from the store with a few grouped SQL queries."""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget.budget import (
    amendment_changes,
    budget_originals,
    cutoff,
    in_force,
    open_commitments_by_program,
)
from cqic_budget.models import (
    Category,
    Contribution,
    Expense,
    FiscalYearClose,
    Funder,
    Milestone,
    Program,
)
from cqic_budget.money import from_cents
from cqic_budget.periods import clamp_as_of, month_end, month_start

ZERO = Decimal("0.00")
ADMINISTRATION = "administration"
SALARIES = "salaries"


@dataclass(frozen=True)
class MonthlySpend:
    """Eligible cost and ineligible spending (amount + taxes) of one category in one month."""

    month: date  # first day of the month
    category: str  # category code
    eligible: Decimal
    ineligible: Decimal
    expenses: int


@dataclass(frozen=True)
class BudgetLineFact:
    fiscal_year: str  # "2025-2026"
    category: str
    amount: Decimal  # in force at the as-of (budget amendments applied: cqic_budget.budget)
    original: Decimal | None = None  # as first signed (None: the same as `amount`)
    open_commitments: Decimal = ZERO  # signed, not yet invoiced, at the as-of


@dataclass(frozen=True)
class FunderFact:
    id: int
    name: str
    kind: str  # quebec, federal, municipal, private, own
    is_public_aid: bool
    committed: Decimal
    in_kind: bool

    @property
    def is_quebec(self) -> bool:
        return self.kind == "quebec"


@dataclass(frozen=True)
class ContributionFact:
    id: int
    funder_id: int
    received_date: date
    amount: Decimal
    in_kind: bool
    reference: str
    milestone_id: int | None


@dataclass(frozen=True)
class MilestoneFact:
    id: int
    name_fr: str
    name_en: str
    due_date: date
    planned_cumulative: Decimal
    status: str  # planned, achieved
    achieved_date: date | None
    payment_funder_id: int | None
    payment: Decimal | None


@dataclass(frozen=True)
class ProgramFacts:
    """The program's settings and its aggregated store, everything dated on or before `as_of`."""

    program_id: int
    code: str
    name_fr: str
    name_en: str
    start: date
    end: date
    budget_total: Decimal
    quebec_rate: Decimal
    stacking_cap: Decimal
    admin_cap: Decimal
    admin_base: str  # "eligible" or "salaries"
    tax_recovery_rate: Decimal
    holdback_rate: Decimal
    burn_window_months: int
    target_merchants_reached: int
    target_merchants_supported: int
    target_merchants_completed: int
    as_of: date
    monthly: tuple[MonthlySpend, ...] = ()
    budget_lines: tuple[BudgetLineFact, ...] = ()
    funders: tuple[FunderFact, ...] = ()
    contributions: tuple[ContributionFact, ...] = ()
    milestones: tuple[MilestoneFact, ...] = ()
    # Cumulative eligible spend at the end of each day with spending (exact at any day).
    daily_cumulative: tuple[tuple[date, Decimal], ...] = ()
    # Commitments still open at the as-of (budget.open_commitments_by_line, all lines together).
    open_commitments: Decimal = ZERO
    budget_transfer_tolerance: Decimal = Decimal("0.10")
    closed_years: tuple[str, ...] = ()  # fiscal years whose statement is closed (not reopened)
    # Reopened years: (label, eligible spend as closed), to show "as closed" beside "now".
    as_closed: tuple[tuple[str, Decimal], ...] = ()

    def funder(self, funder_id: int) -> FunderFact | None:
        return next((f for f in self.funders if f.id == funder_id), None)


# --- Pure helpers over the facts -------------------------------------------------------------------


def eligible_spent(facts: ProgramFacts, day: date | None = None, *, category: str | None = None) -> Decimal:
    """Cumulative eligible cost to the end of `day` (default: the as-of date).

    Exact at any day from `daily_cumulative` (load_facts fills it); per category, and for facts
    built by hand with months only, `day` must be a month end or on or after the as-of date.
    """
    if day is None or day >= facts.as_of:
        last = month_start(facts.as_of)
    elif category is None and (facts.daily_cumulative or not facts.monthly):
        at = bisect_right(facts.daily_cumulative, day, key=lambda point: point[0])
        return facts.daily_cumulative[at - 1][1] if at else ZERO
    elif day == month_end(day):
        last = month_start(day)
    else:
        raise ValueError(f"cumulative spend at {day} is not in the facts (not a month end)")
    months = (m for m in facts.monthly if m.month <= last)
    return sum((m.eligible for m in months if category is None or m.category == category), ZERO)


def ineligible_spent(facts: ProgramFacts, day: date | None = None) -> Decimal:
    """Ineligible spending (amount + taxes) to the end of day's month, shown beside the eligible cost."""
    last = month_start(min(day or facts.as_of, facts.as_of))
    return sum((m.ineligible for m in facts.monthly if m.month <= last), ZERO)


def spent_between(facts: ProgramFacts, first: date, last: date, *, eligible: bool = True) -> Decimal:
    """Eligible (or ineligible) spend of the months from first's month to last's month, inclusive."""
    lo, hi = month_start(first), month_start(last)
    return sum(
        ((m.eligible if eligible else m.ineligible) for m in facts.monthly if lo <= m.month <= hi), ZERO
    )


def monthly_eligible(facts: ProgramFacts) -> dict[date, Decimal]:
    """Eligible spend per month (first day of the month), all categories together."""
    totals: dict[date, Decimal] = {}
    for m in facts.monthly:
        totals[m.month] = totals.get(m.month, ZERO) + m.eligible
    return dict(sorted(totals.items()))


def received(
    facts: ProgramFacts,
    day: date | None = None,
    *,
    quebec: bool | None = None,
    public_aid: bool | None = None,
    in_kind: bool | None = None,
    first: date | None = None,
) -> Decimal:
    """Contributions received from `first` (default: ever) to `day` (default: as-of), filtered by funder."""
    last = day or facts.as_of
    funders = {f.id: f for f in facts.funders}
    total = ZERO
    for c in facts.contributions:
        funder = funders.get(c.funder_id)
        if funder is None or c.received_date > last or (first is not None and c.received_date < first):
            continue
        if quebec is not None and funder.is_quebec != quebec:
            continue
        if public_aid is not None and funder.is_public_aid != public_aid:
            continue
        if in_kind is not None and c.in_kind != in_kind:
            continue
        total += c.amount
    return total


def quebec_commitment(facts: ProgramFacts) -> Decimal:
    return sum((f.committed for f in facts.funders if f.is_quebec), ZERO)


def fiscal_year_budget(facts: ProgramFacts, label: str) -> Decimal:
    return sum((b.amount for b in facts.budget_lines if b.fiscal_year == label), ZERO)


# --- Loading: all the SQL lives here --------------------------------------------------------------


def load_facts(session: Session, *, program_id: int, as_of: date | None = None) -> ProgramFacts:
    """Settings and aggregates of one program at the as-of date (default today), clamped to its period."""
    facts = load_facts_many(session, as_of=as_of, program_ids=[program_id], daily=True)
    if not facts:
        raise LookupError(f"no program with id {program_id}")
    return facts[0]


def load_facts_many(session: Session, *, as_of: date | None = None, program_ids: list[int] | None = None,
                    daily: bool = False) -> list[ProgramFacts]:
    """THE facts loader: each program's ProgramFacts (every program without `program_ids`) at `as_of`
    (default today) clamped to its period, in program order — the same few grouped queries for one program
    or fifty (the portfolio). With `daily`, the spending is grouped by day and category (exact at any day:
    `daily_cumulative`); without, by month and category in SQL, which leaves every figure exact at the
    as-of and at month ends and `daily_cumulative` empty (the portfolio's case, 1 000 000 expenses)."""
    stmt = sa.select(Program).order_by(Program.id)
    if program_ids is not None:
        stmt = stmt.where(Program.id.in_(list(program_ids)))
    programs = session.execute(stmt).scalars().all()
    if not programs:
        return []
    ids = [p.id for p in programs]
    cutoffs = {p.id: clamp_as_of(as_of or date.today(), p.start_date, p.end_date) for p in programs}
    categories = dict(session.execute(sa.select(Category.id, Category.code)).all())

    monthly, daily_totals = _spending(session, cutoffs, categories, daily=daily)

    # The budget lines and funder commitments in force at each as-of (amendments applied: budget.py).
    original = budget_originals(session, ids, categories)
    changes = amendment_changes(session, cutoffs, categories)
    open_by_line = open_commitments_by_program(session, cutoffs, categories)
    funder_rows: dict[int, list] = {pid: [] for pid in ids}
    for pid, *row in session.execute(
        sa.select(Funder.program_id, Funder.id, Funder.name, Funder.kind, Funder.is_public_aid,
                  Funder.committed_cents, Funder.in_kind)
        .where(Funder.program_id.in_(ids)).order_by(Funder.program_id, Funder.id)
    ).all():
        funder_rows[pid].append(row)

    contributions: dict[int, list[ContributionFact]] = {pid: [] for pid in ids}
    for pid, cid, fid, day, amount, in_kind, ref, mid in session.execute(
        sa.select(Funder.program_id, Contribution.id, Contribution.funder_id, Contribution.received_date,
                  Contribution.amount_cents, Contribution.in_kind, Contribution.reference,
                  Contribution.milestone_id)
        .join(Funder, Funder.id == Contribution.funder_id)
        .where(Funder.program_id.in_(ids), Contribution.received_date <= cutoff(Funder.program_id, cutoffs))
        .order_by(Funder.program_id, Contribution.received_date, Contribution.id)
    ).all():
        contributions[pid].append(
            ContributionFact(cid, fid, day, from_cents(amount), bool(in_kind), ref or "", mid))

    milestones: dict[int, list[MilestoneFact]] = {pid: [] for pid in ids}
    for pid, mid, fr, en, due, planned, status, achieved, pay_funder, pay in session.execute(
        sa.select(Milestone.program_id, Milestone.id, Milestone.name_fr, Milestone.name_en,
                  Milestone.due_date, Milestone.planned_cumulative_cents, Milestone.status,
                  Milestone.achieved_date, Milestone.payment_funder_id, Milestone.payment_cents)
        .where(Milestone.program_id.in_(ids))
        .order_by(Milestone.program_id, Milestone.due_date, Milestone.id)
    ).all():
        milestones[pid].append(MilestoneFact(mid, fr, en, due, from_cents(planned), status, achieved,
                                             pay_funder, None if pay is None else from_cents(pay)))

    closes: dict[int, list] = {pid: [] for pid in ids}
    for pid, label, reopened, statement in session.execute(
        sa.select(FiscalYearClose.program_id, FiscalYearClose.fiscal_year, FiscalYearClose.reopened,
                  FiscalYearClose.statement)
        .where(FiscalYearClose.program_id.in_(ids))
        .order_by(FiscalYearClose.program_id, FiscalYearClose.fiscal_year)
    ).all():
        closes[pid].append((label, reopened, statement))

    out = []
    for program in programs:
        pid = program.id
        committed = {fid: int(cents) for fid, _, _, _, cents, _ in funder_rows[pid]}
        lines, committed = in_force(original[pid], committed, changes[pid])
        budget_lines = tuple(
            BudgetLineFact(fy, cat, from_cents(amount), from_cents(original[pid].get((fy, cat), 0)),
                           from_cents(open_by_line[pid].get((fy, cat), 0)))
            for (fy, cat), amount in sorted(
                lines.items(), key=lambda item: (item[0][0], _category_order(categories, item[0][1]))))
        funders = tuple(FunderFact(fid, name, kind, bool(public), from_cents(committed[fid]), bool(in_kind))
                        for fid, name, kind, public, _, in_kind in funder_rows[pid])
        running, cumulative = 0, []
        for day in sorted(daily_totals.get(pid, {})):
            running += daily_totals[pid][day]
            cumulative.append((day, from_cents(running)))
        out.append(ProgramFacts(
            **program_settings(program), as_of=cutoffs[pid], monthly=tuple(monthly.get(pid, ())),
            budget_lines=budget_lines, funders=funders, contributions=tuple(contributions[pid]),
            milestones=tuple(milestones[pid]), daily_cumulative=tuple(cumulative),
            open_commitments=from_cents(sum(open_by_line[pid].values())),
            closed_years=tuple(label for label, reopened, _ in closes[pid] if not reopened),
            as_closed=tuple((label, from_cents(json.loads(statement)["totals"]["eligible_cents"]))
                            for label, reopened, statement in closes[pid] if reopened),
        ))
    return out


def _spending(session: Session, cutoffs: dict[int, date], categories: dict[int, str], *, daily: bool
              ) -> tuple[dict[int, list[MonthlySpend]], dict[int, dict[date, int]]]:
    """Each program's MonthlySpend in (month, category) order, and with `daily` its eligible cents by day."""
    total = Expense.amount_cents + Expense.gst_cents + Expense.qst_cents
    # One GROUP BY (program, day, category) from the ix_expense_aggregate index: at most ~365 × 8 rows a
    # year per program whatever the number of expenses, with no date function per expense.
    by_day = (
        sa.select(
            Expense.program_id.label("program_id"), Expense.date.label("day"),
            Expense.category_id.label("category_id"),
            sa.func.sum(Expense.eligible_cents).label("eligible"),
            sa.func.sum(sa.case((Expense.eligible.is_(False), total), else_=0)).label("ineligible"),
            sa.func.count().label("expenses"),
        )
        .where(Expense.program_id.in_(list(cutoffs)), Expense.date <= cutoff(Expense.program_id, cutoffs))
        .group_by(Expense.program_id, Expense.date, Expense.category_id)
    )
    months: dict[tuple[int, date, str], list[int]] = {}
    days: dict[int, dict[date, int]] = {}
    if daily:
        rows = [(pid, month_start(day), day, cat, el, inel, n)
                for pid, day, cat, el, inel, n in session.execute(by_day).all()]
    else:  # the date functions run on the grouped days only, and Python sees one row per month
        sub = by_day.subquery()
        year, month = sa.extract("year", sub.c.day), sa.extract("month", sub.c.day)
        rows = [(pid, date(int(y), int(m), 1), None, cat, el, inel, n) for pid, y, m, cat, el, inel, n in
                session.execute(
                    sa.select(sub.c.program_id, year, month, sub.c.category_id, sa.func.sum(sub.c.eligible),
                              sa.func.sum(sub.c.ineligible), sa.func.sum(sub.c.expenses))
                    .group_by(sub.c.program_id, year, month, sub.c.category_id)).all()]
    for pid, first, day, cat, eligible, ineligible, count in rows:
        bucket = months.setdefault((pid, first, categories.get(cat, str(cat))), [0, 0, 0])
        bucket[0] += int(eligible or 0)
        bucket[1] += int(ineligible or 0)
        bucket[2] += int(count)
        if day is not None:
            days.setdefault(pid, {})[day] = days.get(pid, {}).get(day, 0) + int(eligible or 0)
    monthly: dict[int, list[MonthlySpend]] = {}
    for (pid, first, cat), (el, inel, n) in sorted(months.items()):
        monthly.setdefault(pid, []).append(MonthlySpend(first, cat, from_cents(el), from_cents(inel), n))
    return monthly, days


def eligible_cost(session: Session, *, program_id: int, as_of: date) -> Decimal:
    """E, the program's eligible cost of the expenses dated on or before `as_of` (already clamped to the
    program's period): what eligible_spent(load_facts(...)) gives at the as-of, in ONE SUM read from the
    ix_expense_aggregate index, for a page that needs E and none of the monthly figures (Merchants & impact:
    1 000 000 expenses, no grouping by day and category)."""
    cents = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(Expense.eligible_cents), 0))
        .where(Expense.program_id == program_id, Expense.date <= as_of)
    ).scalar_one()
    return from_cents(int(cents))


def _category_order(categories: dict[int, str], code: str) -> int:
    """Budget lines in category id order, as they were listed before amendments existed."""
    return next((cid for cid, c in categories.items() if c == code), len(categories) + 1)


def program_settings(program: Program) -> dict:
    """The ProgramFacts fields a Program row gives directly: identity, period, budget and settings."""
    return dict(
        program_id=program.id, code=program.code, name_fr=program.name_fr, name_en=program.name_en,
        start=program.start_date, end=program.end_date, budget_total=from_cents(program.budget_total_cents),
        quebec_rate=Decimal(program.quebec_rate), stacking_cap=Decimal(program.stacking_cap),
        admin_cap=Decimal(program.admin_cap), admin_base=program.admin_base,
        tax_recovery_rate=Decimal(program.tax_recovery_rate), holdback_rate=Decimal(program.holdback_rate),
        budget_transfer_tolerance=Decimal(program.budget_transfer_tolerance),
        burn_window_months=int(program.burn_window_months),
        target_merchants_reached=program.target_merchants_reached,
        target_merchants_supported=program.target_merchants_supported,
        target_merchants_completed=program.target_merchants_completed,
    )

