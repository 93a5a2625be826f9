"""Fiscal-year close (SPEC §9): the year's signed statement and its SHA-256, reopening with a reason,
verifying that the store still gives the statement, and the periods nothing may touch any more.

The locks themselves are in the store (migration 0006's triggers); `locked_periods` gives the same
periods to the import, the undo and the Settings editors so that they refuse with a clear message first.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget import audit
from cqic_budget.auth import normalise_email, require
from cqic_budget.db import bump_data_version
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import DEFAULT_LANG, format_money, t
from cqic_budget.models import Category, Claim, Expense, FiscalYearClose, Program
from cqic_budget.money import from_cents
from cqic_budget.periods import FiscalYear, fiscal_years_between

CLOSE_ACTION = "close_year"  # admin only
LOCKING_CLAIM_STATUSES = ("submitted", "approved", "paid")
CLOSED_YEAR, CLAIMED = "closed-year", "claim"


class FundingError(UserFacingError, ValueError):
    """A refusal a user can cause (closing, claims): a code and a French/English message."""

    def __init__(self, code: str, **params: object):
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str = DEFAULT_LANG) -> str:
        params = {k: str(v) for k, v in self.params.items()}
        for name in ("status", "expected"):  # a claim's status in words, never its code
            if name in params:
                params[name] = t(f"claims.status.{params[name]}", lang)
        return t(f"funding.error.{self.code}", lang, **params)


# --- Locked periods -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LockedPeriod:
    start: date
    end: date
    reason: str  # closed-year or claim
    label: str  # the fiscal year, or the claim's number

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def locked_periods(session: Session, program_id: int) -> list[LockedPeriod]:
    """The closed (not reopened) fiscal years and the periods of submitted claims awaiting a decision."""
    years = session.exec(select(FiscalYearClose).where(
        FiscalYearClose.program_id == program_id, FiscalYearClose.reopened.is_(False))).all()
    # A submitted claim awaiting its decision freezes its period; a decided one only its own expenses.
    claims = session.exec(select(Claim).where(Claim.program_id == program_id,
                                              Claim.status == "submitted")).all()
    periods = [LockedPeriod(y.start_date, y.end_date, CLOSED_YEAR, y.fiscal_year) for y in years]
    periods += [LockedPeriod(c.period_from, c.period_to, CLAIMED, str(c.number)) for c in claims]
    return sorted(periods, key=lambda p: (p.start, p.reason))


def locked_on(periods: list[LockedPeriod], day: date) -> LockedPeriod | None:
    return next((p for p in periods if p.covers(day)), None)


def lock_message(period: LockedPeriod, lang: str) -> str:
    """« l'exercice 2025-2026 est clos » / « la réclamation 3 est soumise »."""
    return t(f"funding.locked.{period.reason}", lang, label=period.label)


# --- The statement ------------------------------------------------------------------------------------


def _program(session: Session, program_code: str | None) -> Program:
    from cqic_budget.setup import get_program

    return get_program(session, program_code)


def _fiscal_year(program: Program, label: str) -> tuple[FiscalYear, date, date]:
    for fy in fiscal_years_between(program.start_date, program.end_date):
        if fy.label == label:
            return fy, max(fy.start, program.start_date), min(fy.end, program.end_date)
    raise FundingError("unknown-year", label=label)


def year_statement(session: Session, program: Program, label: str) -> dict:
    """The statement of expenses of one fiscal year, from the store as it is now.

    By category and in total (eligible and ineligible, number of expenses), the co-financing checks at
    the year end, and every expense id with its eligible cents. Only ids and figures: no text, so no
    personal data, and a Law 25 erasure of a description leaves the statement unchanged.
    """
    from cqic_budget.metrics.cofinancing import cofinancing_checks
    from cqic_budget.metrics.facts import load_facts
    from cqic_budget.metrics.summary import share_text

    _, first, last = _fiscal_year(program, label)
    total = Expense.amount_cents + Expense.gst_cents + Expense.qst_cents
    ineligible = sa.case((Expense.eligible.is_(False), total), else_=0)
    in_year = (Expense.program_id == program.id, Expense.date >= first, Expense.date <= last)
    codes = dict(session.execute(sa.select(Category.id, Category.code)).all())
    by_category = [
        {"category": codes.get(cat, str(cat)), "eligible_cents": int(el or 0),
         "ineligible_cents": int(inel or 0), "expenses": int(n)}
        for cat, el, inel, n in session.execute(
            sa.select(Expense.category_id, sa.func.sum(Expense.eligible_cents), sa.func.sum(ineligible),
                      sa.func.count()).where(*in_year).group_by(Expense.category_id))
    ]
    by_category.sort(key=lambda c: c["category"])
    expenses = [[int(i), int(c)] for i, c in session.execute(
        sa.select(Expense.id, Expense.eligible_cents).where(*in_year).order_by(Expense.id))]
    facts = load_facts(session, program_id=program.id, as_of=last)
    checks = [{"code": c.code, "status": c.status, "value": share_text(c.value)}
              for c in cofinancing_checks(facts) if c.scope == label]
    return {
        "program": program.code,
        "fiscal_year": label,
        "start": first.isoformat(),
        "end": last.isoformat(),
        "totals": {
            "eligible_cents": sum(c["eligible_cents"] for c in by_category),
            "ineligible_cents": sum(c["ineligible_cents"] for c in by_category),
            "expenses": len(expenses),
        },
        "by_category": by_category,
        "checks": checks,
        "expenses": expenses,
    }


def canonical_json(value: object) -> str:
    """The one canonical text of a statement or manifest: sorted keys, no spaces, UTF-8 as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- Close, reopen, verify ----------------------------------------------------------------------------


def _close_row(session: Session, program: Program, label: str, *,
               lock: bool = False) -> FiscalYearClose | None:
    stmt = select(FiscalYearClose).where(FiscalYearClose.program_id == program.id,
                                         FiscalYearClose.fiscal_year == label)
    return session.exec(stmt.with_for_update() if lock else stmt).first()


def close_year(session: Session, label: str, *, user: str, program_code: str | None = None,
               today: date | None = None) -> FiscalYearClose:
    """Close a fiscal year whose 31 March has passed (admin): store its statement and SHA-256, audited.

    A year closed before and reopened is closed again with its statement as it is now.
    """
    require(session, user, CLOSE_ACTION)
    program = _program(session, program_code)
    _, first, last = _fiscal_year(program, label)
    if (today or date.today()) <= last:
        raise FundingError("year-not-ended", label=label, end=last.isoformat())
    row = _close_row(session, program, label, lock=True)
    if row is not None and not row.reopened:
        raise FundingError("already-closed", label=label)
    text = canonical_json(year_statement(session, program, label))
    digest = sha256_of(text)
    who = normalise_email(user)
    before = None
    if row is None:
        row = FiscalYearClose(program_id=program.id, fiscal_year=label, start_date=first, end_date=last,
                              statement=text, statement_sha256=digest, closed_by=who)
    else:
        before = {"statement_sha256": row.statement_sha256, "reopened": True,
                  "reopen_reason": row.reopen_reason}
        row.statement, row.statement_sha256, row.closed_by = text, digest, who
        row.closed_at, row.reopened = datetime.now(timezone.utc), False
    session.add(row)
    try:
        session.flush()
    except sa.exc.IntegrityError:
        # Another close of the same year won the race: the unique (program, year) says so.
        session.rollback()
        raise FundingError("already-closed", label=label) from None
    audit.record(session, user=who, action="fiscal_year.close", entity="fiscalyearclose", entity_id=row.id,
                 before=before, after={"fiscal_year": label, "statement_sha256": digest,
                                       "eligible_cents": json.loads(text)["totals"]["eligible_cents"]})
    bump_data_version(session)
    return row


def reopen_year(session: Session, label: str, *, reason: str, user: str,
                program_code: str | None = None) -> FiscalYearClose:
    """Reopen a closed year (admin, with a reason), audited; its statement is kept to compare with."""
    require(session, user, CLOSE_ACTION)
    program = _program(session, program_code)
    _fiscal_year(program, label)
    reason = (reason or "").strip()
    if not reason:
        raise FundingError("reason-required")
    if len(reason) > 1000:
        raise FundingError("reason-too-long", limit=1000)
    row = _close_row(session, program, label, lock=True)
    if row is None or row.reopened:
        raise FundingError("not-closed", label=label)
    who = normalise_email(user)
    row.reopened, row.reopened_by, row.reopen_reason = True, who, reason
    row.reopened_at = datetime.now(timezone.utc)
    session.add(row)
    session.flush()
    audit.record(session, user=who, action="fiscal_year.reopen", entity="fiscalyearclose", entity_id=row.id,
                 before={"reopened": False, "statement_sha256": row.statement_sha256},
                 after={"reopened": True, "reason": reason})
    bump_data_version(session)
    return row


@dataclass(frozen=True)
class Verification:
    fiscal_year: str
    reopened: bool
    stored_sha256: str
    current_sha256: str
    closed_eligible_cents: int
    current_eligible_cents: int
    closed_ineligible_cents: int
    current_ineligible_cents: int
    expenses_added: int  # ids in the store now, not in the statement
    expenses_removed: int  # ids in the statement, gone now
    expenses_changed: int  # same id, other eligible cents

    @property
    def matches(self) -> bool:
        return self.stored_sha256 == self.current_sha256

    @property
    def difference_cents(self) -> int:
        return self.current_eligible_cents - self.closed_eligible_cents

    def message(self, lang: str) -> str:
        if self.matches:
            return t("funding.verify.matches", lang, label=self.fiscal_year, sha=self.stored_sha256)
        return t("funding.verify.differs", lang, label=self.fiscal_year,
                 closed=format_money(from_cents(self.closed_eligible_cents), lang),
                 now=format_money(from_cents(self.current_eligible_cents), lang),
                 difference=format_money(from_cents(self.difference_cents), lang),
                 added=self.expenses_added, removed=self.expenses_removed, changed=self.expenses_changed)


def verify_close(session: Session, label: str, *, program_code: str | None = None,
                 user: str | None = None) -> Verification:
    """Recompute the year's statement from the store and compare it with the one stored at the close."""
    if user is not None:
        require(session, user, CLOSE_ACTION)
    program = _program(session, program_code)
    _fiscal_year(program, label)
    row = _close_row(session, program, label)
    if row is None:
        raise FundingError("not-closed", label=label)
    stored = json.loads(row.statement)
    now = year_statement(session, program, label)
    before = dict(map(tuple, stored["expenses"]))
    after = dict(map(tuple, now["expenses"]))
    return Verification(
        fiscal_year=label, reopened=row.reopened, stored_sha256=row.statement_sha256,
        current_sha256=sha256_of(canonical_json(now)),
        closed_eligible_cents=stored["totals"]["eligible_cents"],
        current_eligible_cents=now["totals"]["eligible_cents"],
        closed_ineligible_cents=stored["totals"]["ineligible_cents"],
        current_ineligible_cents=now["totals"]["ineligible_cents"],
        expenses_added=len(after.keys() - before.keys()), expenses_removed=len(before.keys() - after.keys()),
        expenses_changed=sum(1 for k in before.keys() & after.keys() if before[k] != after[k]),
    )


@dataclass(frozen=True)
class YearClose:
    """A fiscal year's close as the Settings page lists it."""

    fiscal_year: str
    closed: bool  # closed and not reopened
    closed_by: str | None
    closed_at: datetime | None
    statement_sha256: str | None
    reopened_by: str | None
    reopen_reason: str
    can_close: bool  # its 31 March has passed and it is not closed


def year_closes(session: Session, *, program_code: str | None = None, today: date | None = None
                ) -> list[YearClose]:
    """Every fiscal year of the program with its close (or none)."""
    program = _program(session, program_code)
    rows = {r.fiscal_year: r for r in session.exec(
        select(FiscalYearClose).where(FiscalYearClose.program_id == program.id))}
    today = today or date.today()
    out = []
    for fy in fiscal_years_between(program.start_date, program.end_date):
        r = rows.get(fy.label)
        closed = r is not None and not r.reopened
        out.append(YearClose(
            fy.label, closed, r.closed_by if r else None, r.closed_at if r else None,
            r.statement_sha256 if r else None, r.reopened_by if r and r.reopened else None,
            r.reopen_reason if r and r.reopened else "",
            can_close=not closed and today > min(fy.end, program.end_date),
        ))
    return out
