"""Program settings: the validated, audited edit of the Program row, and the eligible-cost recompute.

A new tax recovery rate recomputes every eligible cost of the program in one SQL UPDATE
(recompute_eligible_cents); budget_total_check compares the budget lines with the program budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget import audit
from cqic_budget.auth import normalise_email, require
from cqic_budget.db import bump_data_version
from cqic_budget.i18n import DEFAULT_LANG, format_money, t
from cqic_budget.models import BudgetLine, Expense, Program
from cqic_budget.money import eligible_cents_sql, from_cents
from cqic_budget.periods import fiscal_years_between
from cqic_budget.settings_service.values import (
    RATE_PLACES,
    RATE_SCALE,
    Column,
    SettingsError,
    _Context,
    _program,
)


@dataclass(frozen=True)
class SettingsChange:
    """What update_program_settings changed (model attribute -> value) and how many expenses it recomputed."""

    before: dict
    after: dict
    expenses_recomputed: int = 0

# --- program settings ---------------------------------------------------------------------------------

_RATE = dict(kind="rate")
PROGRAM_FIELDS: tuple[Column, ...] = (
    Column("name_fr", "text"),
    Column("name_en", "text"),
    Column("start_date", "date"),
    Column("end_date", "date"),
    Column("budget_total", "money", attr="budget_total_cents", minimum=0),
    Column("quebec_rate", **_RATE),
    Column("stacking_cap", **_RATE),
    Column("admin_cap", **_RATE),
    Column("admin_base", "choice", choices=("eligible", "salaries"), choice_group="admin_base"),
    Column("tax_recovery_rate", **_RATE),
    Column("holdback_rate", **_RATE),
    Column("budget_transfer_tolerance", **_RATE),
    Column("burn_window_months", "int", minimum=1, maximum=12),
    Column("target_merchants_reached", "int", minimum=0),
    Column("target_merchants_supported", "int", minimum=0),
    Column("target_merchants_completed", "int", minimum=0),
    Column("min_group_size", "int", minimum=1, maximum=1000),
)

_PROGRAM_FIELDS = {c.name: c for c in PROGRAM_FIELDS}


def program_settings(session: Session, program_id: int) -> dict:
    """The program's settings for the form: money as Decimal dollars, rates as Decimal, choices as codes."""
    program = _program(session, program_id)
    settings = {"code": program.code}
    for column in PROGRAM_FIELDS:
        value = getattr(program, column.model_attr)
        settings[column.name] = from_cents(value) if column.kind == "money" else value
    return settings


def validate_program_settings(session: Session, program_id: int, changes: dict) -> list[SettingsError]:
    """Every error in `changes` (the fields of program_settings), in the form's order; [] when valid."""
    program = _program(session, program_id)
    _, errors = _parse_settings(session, program, changes)
    return errors


def _parse_settings(session: Session, program: Program, changes: dict) -> tuple[dict, list[SettingsError]]:
    ctx = _Context(session, program, DEFAULT_LANG)
    values, errors = {}, []
    for name in changes:
        if name not in _PROGRAM_FIELDS:
            errors.append(SettingsError("unknown-field", name, name))
    for column in PROGRAM_FIELDS:
        if column.name in changes:
            try:
                values[column.model_attr] = ctx.parse(column, changes[column.name])
            except SettingsError as error:
                errors.append(error)
    if not errors:
        errors.extend(_period_errors(session, program, values))
    return values, errors


def _period_errors(session: Session, program: Program, values: dict) -> list[SettingsError]:
    start = values.get("start_date", program.start_date)
    end = values.get("end_date", program.end_date)
    if end <= start:
        name = "end_date" if "end_date" in values else "start_date"
        return [SettingsError("end-before-start", name, values.get(name), start=start, end=end)]
    if "start_date" not in values and "end_date" not in values:
        return []
    labels = {fy.label for fy in fiscal_years_between(start, end)}
    used = session.exec(select(BudgetLine.fiscal_year).distinct()
                        .where(BudgetLine.program_id == program.id)).all()
    outside = sorted(set(used) - labels)
    if outside:
        name = "start_date" if "start_date" in values else "end_date"
        return [SettingsError("period-excludes-budget-lines", name, outside)]
    return []


def update_program_settings(session: Session, program_id: int, changes: dict, *, user: str) -> SettingsChange:
    """Change some settings of the program (permission "settings"), all or nothing.

    `changes` uses the names of program_settings (budget_total in Decimal dollars, rates 0..1 with at most
    4 decimals). The first invalid field raises SettingsError (validate_program_settings lists them all).
    Audited with the before/after of the changed fields only; bumps the data version; a new tax recovery
    rate recomputes every eligible cost of the program in one SQL UPDATE.
    """
    require(session, user, "settings")
    program = _program(session, program_id)
    values, errors = _parse_settings(session, program, changes)
    if errors:
        raise errors[0]
    changed = {attr: v for attr, v in values.items() if getattr(program, attr) != v}
    if not changed:
        return SettingsChange(before={}, after={})
    before = {attr: getattr(program, attr) for attr in changed}
    for attr, value in changed.items():
        setattr(program, attr, value)
    session.add(program)
    session.flush()
    recomputed = 0
    if "tax_recovery_rate" in changed:
        recomputed = recompute_eligible_cents(session, program_id=program_id,
                                              recovery_rate=changed["tax_recovery_rate"])
    audit.record(session, user=normalise_email(user), action="program.settings", entity="program",
                 entity_id=program_id, before=before, after=changed)
    bump_data_version(session)
    return SettingsChange(before=before, after=changed, expenses_recomputed=recomputed)


LOCKED_EXPENSE_SQL = (
    "(EXISTS (SELECT 1 FROM fiscalyearclose f WHERE f.program_id = expense.program_id AND NOT f.reopened "
    "AND expense.date BETWEEN f.start_date AND f.end_date) OR EXISTS (SELECT 1 FROM claim c "
    "WHERE c.program_id = expense.program_id AND c.status = 'submitted' "
    "AND expense.date BETWEEN c.period_from AND c.period_to) OR EXISTS (SELECT 1 FROM claimexpense ce "
    "JOIN claim c ON c.id = ce.claim_id WHERE ce.expense_id = expense.id "
    "AND c.status IN ('submitted', 'approved', 'paid')))"
)


def recompute_eligible_cents(session: Session, *, program_id: int, recovery_rate: Decimal) -> int:
    """Rewrite Expense.eligible_cents of the program at `recovery_rate` in one UPDATE; returns rows changed.

    The expression is money.eligible_cents_sql: the rule of money.eligible_cents_column written in SQL
    (integer arithmetic only, so SQLite and PostgreSQL agree with Python to the cent; each expense's
    tax treatment decides whether its taxes are recovered).
    """
    scaled = Decimal(recovery_rate) * RATE_SCALE
    if not 0 <= scaled <= RATE_SCALE:
        raise SettingsError("out-of-range", "tax_recovery_rate", recovery_rate, low=0, high=1)
    if scaled != scaled.to_integral_value():
        raise SettingsError("too-many-decimals", "tax_recovery_rate", recovery_rate, places=RATE_PLACES)
    value = eligible_cents_sql(Decimal(recovery_rate))
    # Expenses of a closed year or a submitted claim keep the eligible cost they were signed with.
    stmt = sa.text(f"UPDATE {Expense.__tablename__} SET eligible_cents = {value} "
                   f"WHERE program_id = :program_id AND eligible_cents <> {value} "
                   f"AND NOT {LOCKED_EXPENSE_SQL}")
    session.flush()
    result = session.execute(stmt, {"program_id": program_id})
    for obj in list(session.identity_map.values()):  # expenses already loaded must not keep the old value
        if isinstance(obj, Expense):
            session.expire(obj, ["eligible_cents"])
    return max(result.rowcount or 0, 0)


@dataclass(frozen=True)
class BudgetTotalCheck:
    """Whether the budget lines add up to the program budget (a warning on the page, not an error)."""

    budget_total: Decimal
    lines_total: Decimal
    by_fiscal_year: dict[str, Decimal]

    @property
    def difference(self) -> Decimal:
        """Lines minus budget: positive when the lines plan more than the budget."""
        return self.lines_total - self.budget_total

    @property
    def balanced(self) -> bool:
        return self.difference == 0

    def message(self, lang: str = DEFAULT_LANG) -> str:
        state = "balanced" if self.balanced else ("over" if self.difference > 0 else "under")
        return t(f"settings.budget_check.{state}", lang, lines=format_money(self.lines_total, lang),
                 budget=format_money(self.budget_total, lang), gap=format_money(abs(self.difference), lang))


def budget_total_check(session: Session, program_id: int) -> BudgetTotalCheck:
    """Sum of the budget lines (per fiscal year and in all) against the program's total budget."""
    program = _program(session, program_id)
    rows = session.execute(
        sa.select(BudgetLine.fiscal_year, sa.func.sum(BudgetLine.amount_cents))
        .where(BudgetLine.program_id == program_id)
        .group_by(BudgetLine.fiscal_year).order_by(BudgetLine.fiscal_year)
    ).all()
    by_year = {label: from_cents(int(total or 0)) for label, total in rows}
    return BudgetTotalCheck(
        budget_total=from_cents(program.budget_total_cents),
        lines_total=sum(by_year.values(), Decimal("0.00")),
        by_fiscal_year=by_year,
    )
