"""Milestones: planned vs actual cumulative spend at the due date, days late, the payment tied to each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cqic_budget.metrics.burn import planned_cumulative
from cqic_budget.metrics.facts import ZERO, ProgramFacts, eligible_spent
from cqic_budget.money import round_cents, share


@dataclass(frozen=True)
class MilestoneStatus:
    milestone_id: int
    name_fr: str
    name_en: str
    due_date: date
    measured_at: date  # the due date, or the as-of date when not yet due
    is_due: bool
    planned: Decimal  # the plan at measured_at: the milestone's planned cumulative when due, else the
    # planned curve at the as-of (never the whole future plan against today's spend)
    planned_at_due: Decimal  # the milestone's own planned cumulative spend
    actual: Decimal  # actual cumulative eligible spend at measured_at
    gap: Decimal  # actual − planned
    progress: Decimal | None  # actual ÷ planned
    status: str  # planned, achieved (as recorded)
    achieved_date: date | None
    days_late: int  # achieved after the due date, or still open past it (to the as-of)
    payment_funder_id: int | None
    payment_expected: Decimal | None
    payment_received: Decimal  # contributions tied to the milestone, to the as-of
    payment_date: date | None  # the latest of them
    payment_status: str  # none (no payment tied), pending, partial, received

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_fr


def days_late(due: date, achieved: date | None, as_of: date) -> int:
    """Achieved: days after the due date; not achieved: days from the due date to the as-of; ≥ 0."""
    if achieved is not None and achieved <= as_of:
        return max(0, (achieved - due).days)
    return max(0, (as_of - due).days)


def milestone_status(facts: ProgramFacts) -> list[MilestoneStatus]:
    result = []
    for m in sorted(facts.milestones, key=lambda m: (m.due_date, m.id)):
        is_due = m.due_date <= facts.as_of
        measured_at = m.due_date if is_due else facts.as_of
        actual = eligible_spent(facts, measured_at)
        planned = m.planned_cumulative if is_due else round_cents(planned_cumulative(facts, measured_at))
        tied = [c for c in facts.contributions if c.milestone_id == m.id]
        paid = sum((c.amount for c in tied), ZERO)
        if m.payment is None and not tied:
            payment_status = "none"
        elif not tied:
            payment_status = "pending"
        elif m.payment is not None and paid < m.payment:
            payment_status = "partial"
        else:
            payment_status = "received"
        achieved = m.achieved_date if m.status == "achieved" else None
        # Achieved without a recorded date: not counted late (nothing says when).
        undated = m.status == "achieved" and achieved is None
        late = 0 if undated else days_late(m.due_date, achieved, facts.as_of)
        result.append(MilestoneStatus(
            milestone_id=m.id, name_fr=m.name_fr, name_en=m.name_en, due_date=m.due_date,
            measured_at=measured_at, is_due=is_due, planned=planned, planned_at_due=m.planned_cumulative,
            actual=actual, gap=actual - planned, progress=share(actual, planned),
            status=m.status, achieved_date=m.achieved_date,
            days_late=late,
            payment_funder_id=m.payment_funder_id, payment_expected=m.payment, payment_received=paid,
            payment_date=max((c.received_date for c in tied), default=None), payment_status=payment_status,
        ))
    return result


@dataclass(frozen=True)
class PaymentTotals:
    """The funder payments tied to milestones: expected, received, still to come."""

    expected: Decimal
    received: Decimal
    outstanding: Decimal  # expected − received, ≥ 0
    achieved: int
    total: int


def payment_totals(statuses: list[MilestoneStatus]) -> PaymentTotals:
    expected = sum((s.payment_expected for s in statuses if s.payment_expected is not None), ZERO)
    got = sum((s.payment_received for s in statuses), ZERO)
    return PaymentTotals(
        expected=expected, received=got, outstanding=max(ZERO, expected - got),
        achieved=sum(1 for s in statuses if s.status == "achieved"), total=len(statuses),
    )
