"""Claims to Québec (réclamations, SPEC §9): a period inside one fiscal year, its unclaimed eligible
expenses, the amount claimed, and the ledger draft → submitted → approved → paid (or refused).

amount claimed = min(rate × E of the period, what remains of the entitlement net of the holdback), where
the entitlement is min(rate × E of every claim so far and this one, Québec's commitment), rounded down to
the cent (a funder pays at most its rate), and "net of the holdback" caps it at commitment × (1 − holdback)
until the final claim, which releases the holdback. What remains is that minus what earlier claims hold
(their approved amount once approved, else their claimed amount; refused claims hold nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_FLOOR, Decimal

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget import audit
from cqic_budget.auth import normalise_email, require
from cqic_budget.closing import CLOSED_YEAR, FundingError, locked_periods
from cqic_budget.db import bump_data_version
from cqic_budget.i18n import format_money, format_percent, t
from cqic_budget.models import Claim, ClaimExpense, Contribution, Expense, Funder, Program
from cqic_budget.money import CENT, from_cents, read_cents, to_cents
from cqic_budget.periods import fiscal_year_of

DRAFT, SUBMITTED, APPROVED, PAID, REFUSED = "draft", "submitted", "approved", "paid", "refused"
ACTION = "claims"
PAYMENT_TERM_DAYS = 30  # a payment later than this after the approval is shown as late


def _floor(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_FLOOR)


@dataclass(frozen=True)
class ClaimComputation:
    """Every step of a claim's amount, for the claim, its packet and the Co-financing page."""

    period_spent: Decimal  # E of the period
    rate: Decimal
    rate_of_period: Decimal  # rate × E of the period, to the cent below
    claimed_spent: Decimal  # E of earlier claims (not refused) + this period
    commitment: Decimal
    entitlement: Decimal  # min(rate × claimed_spent, commitment), to the cent below
    holdback_rate: Decimal
    cap: Decimal  # commitment × (1 − holdback), to the cent below; the commitment for the final claim
    held_by_earlier: Decimal  # what earlier claims hold
    remaining: Decimal  # max(0, min(entitlement, cap) − held by earlier claims)
    amount: Decimal  # min(rate × E of the period, remaining)
    final: bool


def claim_amount(
    *,
    period_spent: Decimal,
    earlier_spent: Decimal,
    held_by_earlier: Decimal,
    rate: Decimal,
    commitment: Decimal,
    holdback_rate: Decimal,
    final: bool = False,
) -> ClaimComputation:
    """The amount of a claim (see the module's docstring), every intermediate figure kept."""
    rate_of_period = _floor(rate * period_spent)
    claimed_spent = earlier_spent + period_spent
    entitlement = _floor(min(rate * claimed_spent, commitment))
    cap = commitment if final else _floor(commitment * (1 - holdback_rate))
    remaining = max(Decimal("0.00"), min(entitlement, cap) - held_by_earlier)
    return ClaimComputation(
        period_spent=period_spent,
        rate=rate,
        rate_of_period=rate_of_period,
        claimed_spent=claimed_spent,
        commitment=commitment,
        entitlement=entitlement,
        holdback_rate=holdback_rate,
        cap=cap,
        held_by_earlier=held_by_earlier,
        remaining=remaining,
        amount=min(rate_of_period, remaining),
        final=final,
    )


def held(claim: Claim) -> int:
    """The cents a claim holds of the entitlement: approved once approved, claimed before, 0 refused."""
    if claim.status == REFUSED:
        return 0
    if claim.status in (APPROVED, PAID) and claim.approved_cents is not None:
        return claim.approved_cents
    return claim.claimed_cents


# --- Reading --------------------------------------------------------------------------------------------


def _program(session: Session, program_code: str | None) -> Program:
    from cqic_budget.setup import get_program

    return get_program(session, program_code)


def _quebec(session: Session, program: Program) -> Funder:
    funder = session.exec(
        select(Funder).where(Funder.program_id == program.id, Funder.kind == "quebec").order_by(Funder.id)
    ).first()
    if funder is None:
        raise FundingError("no-quebec-funder")
    return funder


def _claims(session: Session, program: Program) -> list[Claim]:
    return list(session.exec(select(Claim).where(Claim.program_id == program.id).order_by(Claim.number)))


def _get(session: Session, program: Program, number: int, *, lock: bool = True) -> Claim:
    stmt = select(Claim).where(Claim.program_id == program.id, Claim.number == number)
    claim = session.exec(stmt.with_for_update() if lock else stmt).first()
    if claim is None:
        raise FundingError("unknown-claim", number=number)
    return claim


def _claim_at(session: Session, user: str, program_code: str | None, number: int, expected: str
              ) -> tuple[Program, Claim]:
    """The program and its claim `number`, locked, once `user` may act on claims and the claim is at
    `expected` (every step of the cycle starts here)."""
    require(session, user, ACTION)
    program = _program(session, program_code)
    claim = _get(session, program, number)
    if claim.status != expected:
        raise FundingError("wrong-status", number=number, status=claim.status, expected=expected)
    return program, claim


def _unclaimed(
    session: Session, program: Program, first: date, last: date, claim_id: int | None = None
) -> list[tuple[int, int]]:
    """(expense id, eligible cents) of the eligible expenses dated in the period and in no other claim."""
    other = sa.select(ClaimExpense.expense_id)
    if claim_id is not None:
        other = other.where(ClaimExpense.claim_id != claim_id)
    rows = session.execute(
        sa.select(Expense.id, Expense.eligible_cents)
        .where(
            Expense.program_id == program.id,
            Expense.date >= first,
            Expense.date <= last,
            Expense.eligible.is_(True),
            Expense.eligible_cents != 0,
            Expense.id.not_in(other),
        )
        .order_by(Expense.id)
    ).all()
    return [(int(i), int(c)) for i, c in rows]


def _compute(
    session: Session, program: Program, period_cents: int, *, final: bool, exclude: int | None = None
) -> ClaimComputation:
    earlier = [c for c in _claims(session, program) if c.id != exclude and c.status != REFUSED]
    return claim_amount(
        period_spent=from_cents(period_cents),
        earlier_spent=from_cents(sum(c.eligible_cents for c in earlier)),
        held_by_earlier=from_cents(sum(held(c) for c in earlier)),
        rate=Decimal(program.quebec_rate),
        commitment=from_cents(_quebec(session, program).committed_cents),
        holdback_rate=Decimal(program.holdback_rate),
        final=final,
    )


def computation(session: Session, number: int, *, program_code: str | None = None) -> ClaimComputation:
    """A claim's amount as computed with the claims before it (its lines, the ledger as it is now)."""
    program = _program(session, program_code)
    claim = _get(session, program, number, lock=False)
    earlier = [c for c in _claims(session, program) if c.number < claim.number and c.status != REFUSED]
    return claim_amount(
        period_spent=from_cents(claim.eligible_cents),
        earlier_spent=from_cents(sum(c.eligible_cents for c in earlier)),
        held_by_earlier=from_cents(sum(held(c) for c in earlier)),
        rate=Decimal(program.quebec_rate),
        commitment=from_cents(_quebec(session, program).committed_cents),
        holdback_rate=Decimal(program.holdback_rate),
        final=claim.is_final,
    )


# --- Writing --------------------------------------------------------------------------------------------


def _check_period(program: Program, first: date, last: date) -> str:
    if last < first:
        raise FundingError("period-reversed", start=first.isoformat(), end=last.isoformat())
    if first < program.start_date or last > program.end_date:
        raise FundingError(
            "period-outside", start=program.start_date.isoformat(), end=program.end_date.isoformat()
        )
    if fiscal_year_of(first) != fiscal_year_of(last):
        raise FundingError("across-fiscal-years", end=fiscal_year_of(first).end.isoformat())
    return fiscal_year_of(first).label


def _audit(session: Session, user: str, action: str, claim: Claim, before: dict | None, after: dict) -> None:
    audit.record(
        session,
        user=user,
        action=f"claim.{action}",
        entity="claim",
        entity_id=claim.id,
        before=before,
        after=after,
    )
    bump_data_version(session)


def new_claim(
    session: Session,
    *,
    period_from: date,
    period_to: date,
    user: str,
    program_code: str | None = None,
    final: bool = False,
    at: datetime | None = None,
) -> Claim:
    """A draft claim of the period's unclaimed eligible expenses, its amount computed; audited."""
    require(session, user, ACTION)
    program = _program(session, program_code)
    label = _check_period(program, period_from, period_to)
    claims = _claims(session, program)
    if final and any(c.is_final and c.status != REFUSED for c in claims):
        raise FundingError("final-exists")
    lines = _unclaimed(session, program, period_from, period_to)
    if not lines:
        raise FundingError("nothing-to-claim", start=period_from.isoformat(), end=period_to.isoformat())
    period_cents = sum(c for _, c in lines)
    result = _compute(session, program, period_cents, final=final)
    who = normalise_email(user)
    claim = Claim(
        program_id=program.id,
        number=max((c.number for c in claims), default=0) + 1,
        fiscal_year=label,
        period_from=period_from,
        period_to=period_to,
        is_final=final,
        eligible_cents=period_cents,
        claimed_cents=to_cents(result.amount),
        created_by=who,
        created_at=at or datetime.now(timezone.utc),
    )
    session.add(claim)
    try:
        session.flush()
        session.execute(
            sa.insert(ClaimExpense.__table__),
            [{"claim_id": claim.id, "expense_id": i, "eligible_cents": c} for i, c in lines],
        )
        session.flush()
    except sa.exc.IntegrityError:
        # Another claim took the same number or the same expenses meanwhile.
        session.rollback()
        raise FundingError("store-busy") from None
    _audit(
        session,
        who,
        "create",
        claim,
        None,
        {
            "number": claim.number,
            "period": f"{period_from}..{period_to}",
            "eligible_cents": period_cents,
            "claimed_cents": claim.claimed_cents,
            "expenses": len(lines),
            "final": final,
        },
    )
    return claim


def submit_claim(
    session: Session, number: int, *, user: str, program_code: str | None = None, at: datetime | None = None
) -> Claim:
    """draft → submitted: the lines and the amount are brought up to date, then the period is locked."""
    program, claim = _claim_at(session, user, program_code, number, DRAFT)
    lines = _unclaimed(session, program, claim.period_from, claim.period_to, claim_id=claim.id)
    if not lines:
        raise FundingError(
            "nothing-to-claim", start=claim.period_from.isoformat(), end=claim.period_to.isoformat()
        )
    session.execute(sa.delete(ClaimExpense.__table__).where(ClaimExpense.__table__.c.claim_id == claim.id))
    session.execute(
        sa.insert(ClaimExpense.__table__),
        [{"claim_id": claim.id, "expense_id": i, "eligible_cents": c} for i, c in lines],
    )
    before = {"status": claim.status, "claimed_cents": claim.claimed_cents}
    claim.eligible_cents = sum(c for _, c in lines)
    claim.claimed_cents = to_cents(
        _compute(session, program, claim.eligible_cents, final=claim.is_final, exclude=claim.id).amount
    )
    claim.status, claim.submitted_at = SUBMITTED, at or datetime.now(timezone.utc)
    session.add(claim)
    session.flush()
    _audit(
        session,
        normalise_email(user),
        "submit",
        claim,
        before,
        {"status": SUBMITTED, "claimed_cents": claim.claimed_cents, "expenses": len(lines)},
    )
    return claim


def approve_claim(
    session: Session,
    number: int,
    *,
    amount: Decimal | str,
    note: str = "",
    user: str,
    program_code: str | None = None,
    at: datetime | None = None,
) -> Claim:
    """submitted → approved for `amount` (at most the amount claimed; a different amount needs a note)."""
    program, claim = _claim_at(session, user, program_code, number, SUBMITTED)
    cents = _cents(amount)
    note = (note or "").strip()
    if cents < 0 or cents > claim.claimed_cents:
        raise FundingError("approved-out-of-range", claimed=format_money(from_cents(claim.claimed_cents)))
    if cents != claim.claimed_cents and not note:
        raise FundingError("note-required")
    if len(note) > 1000:
        raise FundingError("note-too-long", limit=1000)
    before = {"status": claim.status}
    claim.status, claim.approved_cents, claim.note = APPROVED, cents, note
    claim.decided_at = at or datetime.now(timezone.utc)
    session.add(claim)
    session.flush()
    _audit(
        session,
        normalise_email(user),
        "approve",
        claim,
        before,
        {"status": APPROVED, "approved_cents": cents, "note": note},
    )
    return claim


def pay_claim(
    session: Session,
    number: int,
    *,
    amount: Decimal | str,
    day: date,
    user: str,
    program_code: str | None = None,
) -> Contribution:
    """A Québec payment of an approved claim: a contribution linked to it; paid in full → paid."""
    program, claim = _claim_at(session, user, program_code, number, APPROVED)
    cents = _cents(amount)
    paid = paid_cents(session, claim)
    if cents <= 0 or paid + cents > (claim.approved_cents or 0):
        raise FundingError(
            "paid-out-of-range", due=format_money(from_cents((claim.approved_cents or 0) - paid))
        )
    if not program.start_date <= day <= program.end_date + timedelta(days=366):
        raise FundingError(
            "period-outside", start=program.start_date.isoformat(), end=program.end_date.isoformat()
        )
    closed = next(
        (p for p in locked_periods(session, program.id) if p.reason == CLOSED_YEAR and p.covers(day)), None
    )
    if closed is not None:
        raise FundingError("closed-year", label=closed.label)
    payment = Contribution(
        funder_id=_quebec(session, program).id,
        received_date=day,
        amount_cents=cents,
        reference=f"Réclamation {claim.number}",
        claim_id=claim.id,
    )
    session.add(payment)
    session.flush()
    if paid + cents == claim.approved_cents:
        claim.status = PAID
        session.add(claim)
        session.flush()
    _audit(
        session,
        normalise_email(user),
        "pay",
        claim,
        None,
        {
            "amount_cents": cents,
            "date": day.isoformat(),
            "status": claim.status,
            "contribution_id": payment.id,
        },
    )
    return payment


def refuse_claim(
    session: Session,
    number: int,
    *,
    note: str,
    user: str,
    program_code: str | None = None,
    at: datetime | None = None,
) -> Claim:
    """submitted → refused, with a note; its expenses are free to claim again."""
    program, claim = _claim_at(session, user, program_code, number, SUBMITTED)
    note = (note or "").strip()
    if not note:
        raise FundingError("note-required")
    claim.status, claim.note, claim.decided_at = REFUSED, note[:1000], at or datetime.now(timezone.utc)
    session.execute(sa.delete(ClaimExpense.__table__).where(ClaimExpense.__table__.c.claim_id == claim.id))
    session.add(claim)
    session.flush()
    _audit(
        session,
        normalise_email(user),
        "refuse",
        claim,
        {"status": SUBMITTED},
        {"status": REFUSED, "note": claim.note},
    )
    return claim


def _cents(amount: Decimal | str) -> int:
    """A claim's approved or paid amount as typed, in cents (money.read_cents, the one reading)."""
    try:
        return read_cents(amount)
    except ValueError:
        raise FundingError("invalid-amount", value=amount) from None


def paid_cents(session: Session, claim: Claim) -> int:
    return int(
        session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(Contribution.amount_cents), 0)).where(
                Contribution.claim_id == claim.id
            )
        ).scalar_one()
    )


# --- The ledger -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerLine:
    number: int
    fiscal_year: str
    period_from: date
    period_to: date
    status: str
    final: bool
    expenses: int
    eligible: Decimal  # E of the period, as claimed
    claimed: Decimal
    approved: Decimal | None
    paid: Decimal
    still_due: Decimal  # approved − paid once approved, claimed − paid when submitted, 0 otherwise
    last_payment: date | None
    days_to_pay: int | None  # from the approval to the last payment
    late: bool  # paid (or still unpaid at `today`) more than PAYMENT_TERM_DAYS after the approval
    note: str
    submitted_on: date | None
    decided_on: date | None

    def status_word(self, lang: str) -> str:
        return t(f"claims.status.{self.status}", lang)


def ledger(
    session: Session, *, program_code: str | None = None, as_of: date | None = None
) -> list[LedgerLine]:
    """Every claim with claimed, approved, paid and still due (payments dated on or before `as_of`)."""
    program = _program(session, program_code)
    today = as_of or date.today()
    payments: dict[int, list[tuple[date, int]]] = {}
    for claim_id, day, cents in session.execute(
        sa.select(Contribution.claim_id, Contribution.received_date, Contribution.amount_cents).where(
            Contribution.claim_id.is_not(None), Contribution.received_date <= today
        )
    ):
        payments.setdefault(claim_id, []).append((day, cents))
    counts = dict(
        session.execute(
            sa.select(ClaimExpense.claim_id, sa.func.count()).group_by(ClaimExpense.claim_id)
        ).all()
    )
    lines = []
    for c in _claims(session, program):
        if as_of is not None and c.period_from > as_of:
            continue
        paid = sum(cents for _, cents in payments.get(c.id, []))
        last = max((day for day, _ in payments.get(c.id, [])), default=None)
        if c.status in (APPROVED, PAID):
            due = (c.approved_cents or 0) - paid
        elif c.status == SUBMITTED:
            due = c.claimed_cents
        else:
            due = 0
        decided = c.decided_at.date() if c.decided_at else None
        days = (last - decided).days if (last and decided and c.status in (APPROVED, PAID)) else None
        waiting = (today - decided).days if (decided and due > 0 and c.status == APPROVED) else 0
        lines.append(
            LedgerLine(
                number=c.number,
                fiscal_year=c.fiscal_year,
                period_from=c.period_from,
                period_to=c.period_to,
                status=c.status,
                final=c.is_final,
                expenses=int(counts.get(c.id, 0)),
                eligible=from_cents(c.eligible_cents),
                claimed=from_cents(c.claimed_cents),
                approved=None if c.approved_cents is None else from_cents(c.approved_cents),
                paid=from_cents(paid),
                still_due=from_cents(due),
                last_payment=last,
                days_to_pay=days,
                late=(days or 0) > PAYMENT_TERM_DAYS or waiting > PAYMENT_TERM_DAYS,
                note=c.note,
                submitted_on=c.submitted_at.date() if c.submitted_at else None,
                decided_on=decided,
            )
        )
    return lines


@dataclass(frozen=True)
class NextClaim:
    period_from: date
    period_to: date
    expenses: int
    computation: ClaimComputation

    @property
    def amount(self) -> Decimal:
        return self.computation.amount


def next_claim(
    session: Session, *, program_code: str | None = None, as_of: date | None = None
) -> NextClaim | None:
    """What a claim made now would ask: from the day after the last claim's period (or the program start)
    to the as-of, within that day's fiscal year; None when nothing is left to claim."""
    program = _program(session, program_code)
    today = min(as_of or date.today(), program.end_date)
    live = [c for c in _claims(session, program) if c.status != REFUSED]
    first = max((c.period_to for c in live), default=program.start_date - timedelta(days=1)) + timedelta(
        days=1
    )
    if first > today:
        return None
    last = min(today, fiscal_year_of(first).end)
    lines = _unclaimed(session, program, first, last)
    if not lines:
        return None
    return NextClaim(
        first, last, len(lines), _compute(session, program, sum(c for _, c in lines), final=False)
    )


def claim_lines_text(result: ClaimComputation, lang: str) -> list[str]:
    """The computation of a claim in sentences (the claim, its packet and the page say the same)."""
    money = lambda v: format_money(v, lang)  # noqa: E731
    return [
        t(
            "claims.step.period",
            lang,
            spent=money(result.period_spent),
            rate_of=money(result.rate_of_period),
            rate=format_percent(result.rate, lang),
        ),
        t(
            "claims.step.entitlement",
            lang,
            claimed_spent=money(result.claimed_spent),
            commitment=money(result.commitment),
            entitlement=money(result.entitlement),
        ),
        t(
            "claims.step.final" if result.final else "claims.step.holdback",
            lang,
            cap=money(result.cap),
            holdback=format_percent(result.holdback_rate, lang),
        ),
        t(
            "claims.step.remaining",
            lang,
            held=money(result.held_by_earlier),
            remaining=money(result.remaining),
        ),
        t("claims.step.amount", lang, amount=money(result.amount)),
        t("reports.entitlement_rounding", lang),
    ]
