"""Budget lines as signed and in force (amendments), commitments, and in-kind contributions (SPEC §10).

The store side of a budget line: load_facts reads these numbers, and metrics.budget_lines turns them into
each line's position (spent, available, status) for the pages, the report and the summary. A budget line
is keyed (fiscal year label, category code).

- original: the BudgetLine amounts as first set (Settings' budget lines);
- in force at a date: the last approved amendment change effective on or before that date, else the
  original (budget_in_force_cents); the same for funder commitments (funder_commitments_in_force);
- open commitments of a line: each open commitment dated on or before the date, less the eligible cost of
  the expenses drawn on it to that date, never below zero (open_commitments_by_line);
- available = budget in force − spent − open commitments (metrics.budget_lines.budget_line_positions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget import audit
from cqic_budget.auth import require
from cqic_budget.db import bump_data_version, lock_program_writes, off_index
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import format_money, t
from cqic_budget.models import (
    AmendmentChange,
    BudgetAmendment,
    BudgetLine,
    Category,
    Commitment,
    Contribution,
    Expense,
    Funder,
    Program,
)
from cqic_budget.money import TAX_NONE, eligible_cents, from_cents
from cqic_budget.periods import fiscal_years_between

LineKey = tuple[str, str]  # (fiscal year label, category code)
OPEN, CLOSED = "open", "closed"
COMMITMENT_STATUSES = (OPEN, CLOSED)


def _category_codes(session: Session) -> dict[int, str]:
    return dict(session.execute(sa.select(Category.id, Category.code)).all())


NO_LIMIT = date(9999, 12, 31)  # a cutoff of None: every amendment, whatever its date


def cutoff(program_id: sa.ColumnElement, cutoffs: dict[int, date | None]) -> sa.ColumnElement:
    """Each program's own as-of date, chosen in SQL by its id: one query serves every program. One date for
    all (one program: its pages) is a plain literal, so that the (program, date) index bounds the read."""
    days = {day or NO_LIMIT for day in cutoffs.values()}
    if len(days) == 1:
        return sa.literal(days.pop(), sa.Date)
    return sa.case({pid: sa.literal(day or NO_LIMIT, sa.Date) for pid, day in cutoffs.items()},
                   value=program_id)


def budget_originals(session: Session, program_ids: list[int], codes: dict[int, str] | None = None
                     ) -> dict[int, dict[LineKey, int]]:
    """Each program's budget lines as first set, in cents (one query; `codes`: the category codes by id
    when the caller has them)."""
    codes = codes if codes is not None else _category_codes(session)
    out: dict[int, dict[LineKey, int]] = {pid: {} for pid in program_ids}
    for pid, fy, cat, amount in session.execute(
        sa.select(BudgetLine.program_id, BudgetLine.fiscal_year, BudgetLine.category_id,
                  BudgetLine.amount_cents).where(BudgetLine.program_id.in_(program_ids))
    ).all():
        out[pid][(fy, codes[cat])] = int(amount)
    return out


def budget_original(session: Session, *, program_id: int) -> dict[LineKey, int]:
    """The budget lines as first set, in cents."""
    return budget_originals(session, [program_id])[program_id]


def amendment_changes(session: Session, cutoffs: dict[int, date | None], codes: dict[int, str] | None = None
                      ) -> dict[int, list[tuple[str | None, str | None, int | None, int]]]:
    """Each program's amendment changes effective on or before its cutoff (None: all), in the order they
    apply: (fiscal year, category code, funder id, amount in cents) — one query for every program."""
    codes = codes if codes is not None else _category_codes(session)
    out: dict[int, list] = {pid: [] for pid in cutoffs}
    for pid, fy, category_id, funder_id, amount in session.execute(
        sa.select(BudgetAmendment.program_id, AmendmentChange.fiscal_year, AmendmentChange.category_id,
                  AmendmentChange.funder_id, AmendmentChange.amount_cents)
        .join(BudgetAmendment, BudgetAmendment.id == AmendmentChange.amendment_id)
        .where(BudgetAmendment.program_id.in_(list(cutoffs)),
               BudgetAmendment.effective_date <= cutoff(BudgetAmendment.program_id, cutoffs))
        .order_by(BudgetAmendment.program_id, BudgetAmendment.effective_date, BudgetAmendment.id,
                  AmendmentChange.id)
    ).all():
        out[pid].append((fy, codes.get(category_id) if category_id is not None else None, funder_id,
                         int(amount)))
    return out


def in_force(original: dict[LineKey, int], committed: dict[int, int], changes) -> tuple[dict, dict]:
    """(budget lines, funder commitments) in force: the originals replaced, change by change, in order
    (the later amendment wins). Pure: `changes` as amendment_changes gives them."""
    lines, funders = dict(original), dict(committed)
    for fy, code, funder_id, amount in changes:
        if funder_id is not None:
            if funder_id in funders:
                funders[funder_id] = amount
        elif fy is not None and code is not None:
            lines[(fy, code)] = amount
    return lines, funders


def budget_in_force(session: Session, *, program_id: int, as_of: date | None = None) -> dict[LineKey, int]:
    """The budget lines in force at `as_of` (None: every amendment), in cents: the original, replaced
    line by line by the amendments effective on or before that date, the later one winning."""
    changes = amendment_changes(session, {program_id: as_of})[program_id]
    return in_force(budget_original(session, program_id=program_id), {}, changes)[0]


def funder_commitments_in_force(
    session: Session, *, program_id: int, as_of: date | None = None
) -> dict[int, int]:
    """Each funder's committed amount in force at `as_of`, in cents (amendments applied in date order)."""
    committed = {k: int(v) for k, v in session.execute(
        sa.select(Funder.id, Funder.committed_cents).where(Funder.program_id == program_id)).all()}
    return in_force({}, committed, amendment_changes(session, {program_id: as_of})[program_id])[1]


def open_commitment_cents(amount_cents: int, drawn_cents: int, status: str) -> int:
    """What is still committed on one commitment: its amount less what was drawn on it, ≥ 0; 0 closed."""
    if status != OPEN:
        return 0
    return max(0, int(amount_cents) - int(drawn_cents))


def open_commitments_by_program(session: Session, cutoffs: dict[int, date],
                                codes: dict[int, str] | None = None) -> dict[int, dict[LineKey, int]]:
    """Open commitments per budget line (the commitment's fiscal year and category) of each program at its
    cutoff, in cents: one query for every program."""
    codes = codes if codes is not None else _category_codes(session)
    # The programs kept off the (program, date) index: the commitment index holds the few expenses drawn on
    # a commitment (1 000 000 expenses: 0.22 s -> under 1 ms of CPU on SQLite, in every load_facts).
    drawn = (
        sa.select(Expense.commitment_id, sa.func.sum(Expense.eligible_cents).label("drawn"))
        .where(off_index(session, Expense.program_id).in_(list(cutoffs)), Expense.commitment_id.is_not(None),
               Expense.date <= cutoff(Expense.program_id, cutoffs))
        .group_by(Expense.commitment_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(Commitment.program_id, Commitment.fiscal_year, Commitment.category_id,
                  Commitment.amount_cents, sa.func.coalesce(drawn.c.drawn, 0), Commitment.status)
        .outerjoin(drawn, drawn.c.commitment_id == Commitment.id)
        .where(Commitment.program_id.in_(list(cutoffs)),
               Commitment.date <= cutoff(Commitment.program_id, cutoffs))
    ).all()
    out: dict[int, dict[LineKey, int]] = {pid: {} for pid in cutoffs}
    for pid, fy, category_id, amount, used, status in rows:
        still = open_commitment_cents(amount, used, status)
        if still:
            key = (fy, codes[category_id])
            out[pid][key] = out[pid].get(key, 0) + still
    return out


def open_commitments_by_line(session: Session, *, program_id: int, as_of: date) -> dict[LineKey, int]:
    """Open commitments per budget line (the commitment's fiscal year and category) at `as_of`, in cents."""
    return open_commitments_by_program(session, {program_id: as_of})[program_id]


# --- budget amendments (avenants) --------------------------------------------------------------------


class AmendmentError(UserFacingError, ValueError):
    """An amendment that cannot be recorded: a code and a message in the user's language; nothing written."""

    def __init__(self, code: str, value: object = ""):
        super().__init__(f"{code}: {value}")
        self.code = code
        self.value = value

    def message(self, lang: str = "fr") -> str:
        return t(f"amendment.error.{self.code}", lang, value=str(self.value))


@dataclass(frozen=True)
class ChangeView:
    fiscal_year: str | None
    category: str | None  # category code
    funder: str | None  # funder name
    before: int  # in force just before the amendment, in cents
    after: int


@dataclass(frozen=True)
class AmendmentView:
    id: int
    reference: str
    effective_date: date
    approved_by: str
    note: str
    changes: tuple[ChangeView, ...]
    duplicate_of: int | None = None  # recorded again under an earlier one's reference (before migration 0007)

    def describe(self, lang: str, categories: dict[str, tuple[str, int]] | None = None) -> str:
        """« 2026-2027 Déplacements : 60 000,00 $ → 45 000,00 $ ; ... »"""
        parts = []
        for change in self.changes:
            what = change.funder or (
                f"{change.fiscal_year} {(categories or {}).get(change.category, (change.category, 0))[0]}")
            parts.append(f"{what} : {format_money(from_cents(change.before), lang)} → "
                         f"{format_money(from_cents(change.after), lang)}")
        return " ; ".join(parts)


def amendment_list(session: Session, *, program_id: int, as_of: date | None = None) -> list[AmendmentView]:
    """The program's amendments effective on or before `as_of` (all without it), oldest first, each change
    with the amount in force just before it and the new one."""
    codes = _category_codes(session)
    names = dict(session.execute(
        sa.select(Funder.id, Funder.name).where(Funder.program_id == program_id)).all())
    stmt = select(BudgetAmendment).where(BudgetAmendment.program_id == program_id).order_by(
        BudgetAmendment.effective_date, BudgetAmendment.id)
    if as_of is not None:
        stmt = stmt.where(BudgetAmendment.effective_date <= as_of)
    lines = budget_original(session, program_id=program_id)
    committed = dict(session.execute(
        sa.select(Funder.id, Funder.committed_cents).where(Funder.program_id == program_id)).all())
    out = []
    for amendment in session.exec(stmt).all():
        changes = []
        for change in session.exec(select(AmendmentChange).where(
                AmendmentChange.amendment_id == amendment.id).order_by(AmendmentChange.id)):
            if change.funder_id is not None:
                before = int(committed.get(change.funder_id, 0))
                committed[change.funder_id] = change.amount_cents
                changes.append(ChangeView(None, None, names.get(change.funder_id), before,
                                          change.amount_cents))
            else:
                key = (change.fiscal_year, codes[change.category_id])
                before = lines.get(key, 0)
                lines[key] = change.amount_cents
                changes.append(ChangeView(key[0], key[1], None, before, change.amount_cents))
        out.append(AmendmentView(amendment.id, amendment.reference, amendment.effective_date,
                                 amendment.approved_by, amendment.note, tuple(changes),
                                 amendment.duplicate_of))
    return out


def _refuse_closed_years(session: Session, program_id: int, effective_date: date, years: set[str]) -> None:
    """A closed fiscal year's figures are signed (SPEC §9): its budget lines are frozen, and nothing may take
    effect on a date inside it (the budget and commitments in force at its dates would move)."""
    from cqic_budget.closing import CLOSED_YEAR, locked_periods

    closed = [p for p in locked_periods(session, program_id) if p.reason == CLOSED_YEAR]
    for period in closed:
        if period.label in years or period.covers(effective_date):
            raise AmendmentError("closed-year", period.label)


def _refuse_repeated_reference(session: Session, program_id: int, reference: str) -> None:
    """An avenant is recorded once: its reference names one amendment of the program (a double Save, a
    command run twice)."""
    taken = session.execute(sa.select(BudgetAmendment.id).where(
        BudgetAmendment.program_id == program_id, BudgetAmendment.reference == reference).limit(1)).first()
    if taken is not None:
        raise AmendmentError("duplicate-reference", reference)


def _is_repeated_reference(exc: sa.exc.IntegrityError) -> bool:
    """Whether the store refused the row for its reference (PostgreSQL names the index, SQLite columns)."""
    text = str(exc.orig)
    return "ux_budgetamendment_reference" in text or "budgetamendment.reference" in text


def record_amendment(
    session: Session,
    *,
    program_id: int,
    reference: str,
    effective_date: date,
    approved_by: str,
    lines: dict[LineKey, int] | None = None,
    funders: dict[int, int] | None = None,
    note: str = "",
    user: str,
    standalone: bool = True,
) -> BudgetAmendment:
    """Record an approved amendment: from `effective_date`, each given budget line (fiscal year, category
    code) and funder commitment takes its new amount (cents). The original and every earlier version are
    kept; audited with the before/after of each change; bumps the data version. Refused (AmendmentError,
    nothing written) for a reference the program already has (duplicate-reference, also when two writers
    record it at once), a line or a date of a closed fiscal year, an unknown line, category or funder, a
    negative amount. SPEC §10 asks no equal totals: an amendment may move money between lines or add some
    (a funder's added commitment), so the lines need not sum to what they were."""
    require(session, user, "settings")
    program = session.get(Program, program_id)
    if program is None:
        raise AmendmentError("unknown-line", program_id)
    reference, approved_by = reference.strip(), approved_by.strip()
    if not reference:
        raise AmendmentError("required", "reference")
    if not approved_by:
        raise AmendmentError("required", "approved_by")
    if not program.start_date <= effective_date <= program.end_date:
        raise AmendmentError("out-of-period", effective_date.isoformat())
    lines, funders = lines or {}, funders or {}
    if not lines and not funders:
        raise AmendmentError("no-change")
    by_code = {code: cid for cid, code in _category_codes(session).items()}
    years = {fy.label for fy in fiscal_years_between(program.start_date, program.end_date)}
    known_funders = set(session.execute(
        sa.select(Funder.id).where(Funder.program_id == program_id)).scalars())
    for (fy, code), cents in lines.items():
        if fy not in years:
            raise AmendmentError("unknown-line", f"{fy} {code}")
        if code not in by_code:
            raise AmendmentError("unknown-category", code)
        if cents < 0:
            raise AmendmentError("negative", f"{fy} {code}")
    for funder_id, cents in funders.items():
        if funder_id not in known_funders:
            raise AmendmentError("unknown-funder", funder_id)
        if cents < 0:
            raise AmendmentError("negative", funder_id)
    # The program's write lock before the checks a write depends on: a second Save of the same amendment,
    # or a command recording it at the same time, waits here and then finds its reference taken.
    lock_program_writes(session, program_id)
    reference = reference[:120]
    _refuse_repeated_reference(session, program_id, reference)
    _refuse_closed_years(session, program_id, effective_date, {fy for fy, _ in lines})
    before_lines = budget_in_force(session, program_id=program_id, as_of=effective_date)
    before_funders = funder_commitments_in_force(session, program_id=program_id, as_of=effective_date)
    amendment = BudgetAmendment(program_id=program_id, reference=reference,
                                effective_date=effective_date, approved_by=approved_by[:200],
                                note=note.strip()[:500])
    session.add(amendment)
    try:
        session.flush()
    except sa.exc.IntegrityError as exc:
        # The store's own guard (ux_budgetamendment_reference), should a writer ever pass the check above.
        if not _is_repeated_reference(exc):
            raise
        session.rollback()
        raise AmendmentError("duplicate-reference", reference) from None
    for (fy, code), cents in sorted(lines.items()):
        session.add(AmendmentChange(amendment_id=amendment.id, fiscal_year=fy, category_id=by_code[code],
                                    amount_cents=int(cents)))
    for funder_id, cents in sorted(funders.items()):
        session.add(AmendmentChange(amendment_id=amendment.id, funder_id=funder_id, amount_cents=int(cents)))
    session.flush()
    if not standalone:  # part of a larger change (the demo), audited and bumped once for all
        return amendment
    audit.record(session, user=user, action="amendment.create", entity="budgetamendment",
                 entity_id=amendment.id,
                 before={"lines": {f"{fy} {code}": before_lines.get((fy, code), 0) for fy, code in lines},
                         "funders": {str(f): before_funders.get(f, 0) for f in funders}},
                 after={"reference": amendment.reference, "effective_date": effective_date,
                        "approved_by": amendment.approved_by,
                        "lines": {f"{fy} {code}": cents for (fy, code), cents in lines.items()},
                        "funders": {str(f): cents for f, cents in funders.items()}})
    bump_data_version(session)
    return amendment


# --- in kind ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InKind:
    contribution_id: int
    funder: str
    date: date
    value: int  # cents
    category: str | None  # where its value stands as eligible cost (None: not yet placed)
    basis: str
    proof: str


def in_kind_list(session: Session, *, program_id: int, as_of: date | None = None) -> list[InKind]:
    """The in-kind contributions received to `as_of`, with their valuation basis and proof."""
    codes = _category_codes(session)
    stmt = (
        sa.select(Contribution.id, Funder.name, Contribution.received_date, Contribution.amount_cents,
                  Contribution.category_id, Contribution.valuation_basis, Contribution.proof_reference)
        .join(Funder, Funder.id == Contribution.funder_id)
        .where(Funder.program_id == program_id, Contribution.in_kind.is_(True))
        .order_by(Contribution.received_date, Contribution.id)
    )
    if as_of is not None:
        stmt = stmt.where(Contribution.received_date <= as_of)
    return [InKind(cid, name, day, int(value), codes.get(cat) if cat else None, basis or "", proof or "")
            for cid, name, day, value, cat, basis, proof in session.execute(stmt).all()]


def sync_in_kind_expenses(session: Session, *, program_id: int, user: str, standalone: bool = True) -> int:
    """Make the program's in-kind contributions stand as eligible cost (SPEC §10): one expense per in-kind
    contribution placed in a category (its value, no tax, dated when received, the proof as its invoice
    number), created, updated or removed to match; returns how many expenses changed (audited)."""
    program = session.get(Program, program_id)
    wanted = {g.contribution_id: g for g in in_kind_list(session, program_id=program_id) if g.category}
    by_code = {code: cid for cid, code in _category_codes(session).items()}
    stored = {e.contribution_id: e for e in session.exec(select(Expense).where(
        Expense.program_id == program_id, Expense.contribution_id.is_not(None)))}
    changed = []
    for contribution_id, expense in stored.items():
        if contribution_id not in wanted:
            changed.append({"contribution_id": contribution_id, "removed": expense.amount_cents})
            session.delete(expense)
    for contribution_id, gift in wanted.items():
        expense = stored.get(contribution_id) or Expense(
            program_id=program_id, contribution_id=contribution_id, date=gift.date, category_id=0,
            amount_cents=0, eligible_cents=0)
        values = dict(
            date=gift.date, vendor=gift.funder[:500],
            description=t("in_kind.expense", "fr", basis=gift.basis or "—")[:500],
            category_id=by_code[gift.category], invoice_number=gift.proof[:500], amount_cents=gift.value,
            gst_cents=0, qst_cents=0, tax_treatment=TAX_NONE, eligible=True,
            eligible_cents=eligible_cents(gift.value, 0, 0, program.tax_recovery_rate,
                                          tax_treatment=TAX_NONE))
        if any(getattr(expense, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(expense, k, v)
            session.add(expense)
            changed.append({"contribution_id": contribution_id, "value": gift.value,
                            "category": gift.category})
    if changed:
        session.flush()
        if standalone:  # else part of a larger change (the demo), audited once for all
            audit.record(session, user=user, action="in_kind.sync", entity="expense",
                         after={"changes": changed})
    return len(changed)
