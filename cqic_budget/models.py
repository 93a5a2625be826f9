"""SQLModel tables of the store: money in integer cents, rates as exact decimal text, dates as dates."""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Optional

import sqlalchemy as sa
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class DecimalText(TypeDecorator):
    """A rate or indicator value stored as its exact decimal text (SQLite has no exact NUMERIC)."""

    impl = sa.String(40)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Optional[str]:
        if value is None:
            return None
        return str(Decimal(str(value)))

    def process_result_value(self, value: Any, dialect: Any) -> Optional[Decimal]:
        return None if value is None else Decimal(value)


class UTCDateTime(TypeDecorator):
    """A timestamp that always comes back UTC-aware, on SQLite as on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: Any, dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def _rate(default: str, **kw: Any) -> Any:
    return Field(default=Decimal(default), sa_type=DecimalText, **kw)


def _timestamp() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime)


class Program(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True, index=True)
    name_fr: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    start_date: date
    end_date: date
    budget_total_cents: int = Field(sa_type=sa.BigInteger)
    # Settings: the signed agreement with MEIE overrides these defaults.
    quebec_rate: Decimal = _rate("0.50")
    stacking_cap: Decimal = _rate("0.80")
    admin_cap: Decimal = _rate("0.10")
    admin_base: str = Field(default="eligible", max_length=20)  # "eligible" or "salaries"
    tax_recovery_rate: Decimal = _rate("0.50")
    holdback_rate: Decimal = _rate("0.10")
    budget_transfer_tolerance: Decimal = _rate("0.10")  # between budget lines, before a line is a breach
    burn_window_months: int = 3
    target_merchants_reached: int = 0
    target_merchants_supported: int = 0
    target_merchants_completed: int = 0
    # A split a funder or viewer sees (sector, size band, municipality) merges groups of fewer merchants.
    min_group_size: int = Field(default=5, sa_column_kwargs={"server_default": "5"})
    # ISO currencies the program accepts on expenses (SPEC §10), comma-separated; CAD always.
    accepted_currencies: str = Field(default="CAD,EUR,USD", max_length=200,
                                     sa_column_kwargs={"server_default": "CAD,EUR,USD"})


class Category(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    label_fr: str = Field(max_length=120)
    label_en: str = Field(max_length=120)
    sort_order: int = 0


class CategoryAlias(SQLModel, table=True):
    """A spreadsheet label an admin mapped once to a category; later imports use it."""

    id: Optional[int] = Field(default=None, primary_key=True)
    label_key: str = Field(max_length=200, unique=True)  # normalised label (see importing)
    category_id: int = Field(foreign_key="category.id")


class Funder(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20)  # quebec, federal, municipal, private, own
    is_public_aid: bool = False
    committed_cents: int = Field(default=0, sa_type=sa.BigInteger)
    in_kind: bool = False


class BudgetLine(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("program_id", "fiscal_year", "category_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    fiscal_year: str = Field(max_length=9)  # "2025-2026"
    category_id: int = Field(foreign_key="category.id")
    amount_cents: int = Field(sa_type=sa.BigInteger)


class Milestone(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    name_fr: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    due_date: date
    planned_cumulative_cents: int = Field(sa_type=sa.BigInteger)
    status: str = Field(default="planned", max_length=20)  # planned, achieved
    achieved_date: Optional[date] = None
    payment_funder_id: Optional[int] = Field(default=None, foreign_key="funder.id")
    payment_cents: Optional[int] = Field(default=None, sa_type=sa.BigInteger)


class Contribution(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    funder_id: int = Field(foreign_key="funder.id", index=True)
    received_date: date
    amount_cents: int = Field(sa_type=sa.BigInteger)
    in_kind: bool = False
    reference: str = Field(default="", max_length=200)
    milestone_id: Optional[int] = Field(default=None, foreign_key="milestone.id")
    # In kind (SPEC §10, migration 0005): how it was valued, the proof, and the category where its value
    # stands as eligible cost.
    valuation_basis: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    proof_reference: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    category_id: Optional[int] = Field(default=None, foreign_key="category.id")
    claim_id: Optional[int] = Field(default=None, foreign_key="claim.id", index=True)  # a claim's payment


class User(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True, index=True)
    role: str = Field(max_length=20)  # admin, manager, funder, viewer
    name: str = Field(default="", max_length=200)
    created_at: datetime = _timestamp()
    # The identity provider's account (issuer and subject) first seen signing in with this e-mail: a later
    # sign-in with the same e-mail from another account is refused (auth.current_identity).
    oidc_issuer: Optional[str] = Field(default=None, max_length=500)
    oidc_subject: Optional[str] = Field(default=None, max_length=255)


class ImportBatch(SQLModel, table=True):
    # One active batch per file per program, in the store itself (two imports of one file at once).
    __table_args__ = (
        sa.Index("ux_importbatch_active_file", "program_id", "file_sha256", unique=True,
                 sqlite_where=sa.text("status = 'imported'"),
                 postgresql_where=sa.text("status = 'imported'")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    file_name: str = Field(max_length=500)
    file_sha256: str = Field(max_length=64, index=True)
    user: str = Field(max_length=320)
    created_at: datetime = _timestamp()
    rows_read: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    status: str = Field(default="imported", max_length=20)  # imported, reversed
    reversed_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    reversed_by: Optional[str] = Field(default=None, max_length=320)
    # Rejected and duplicate rows with their reasons and the cells as read:
    # [{"row": 12, "column": "Montant", "code": "invalid-amount", "values": {...}}]
    issues: list = Field(default_factory=list, sa_type=sa.JSON)


class Merchant(SQLModel, table=True):
    # Counts by status to an as-of date (merchants supported, per program and across the portfolio).
    __table_args__ = (sa.Index("ix_merchant_program_status", "program_id", "status", "enrolment_date"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    name: str = Field(max_length=200)
    neq: Optional[str] = Field(default=None, max_length=10)
    sector: str = Field(max_length=20)  # retail, wholesale
    size_band: str = Field(max_length=20)  # micro (1-4), small (5-49), medium (50-199)
    municipality: str = Field(max_length=120)
    enrolment_date: date
    status: str = Field(max_length=20)  # reached, supported, completed
    # Personal information (Québec Law 25): staff roles only.
    contact_name: Optional[str] = Field(default=None, max_length=200)
    contact_email: Optional[str] = Field(default=None, max_length=320)
    contact_phone: Optional[str] = Field(default=None, max_length=40)
    erased_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)


class Expense(SQLModel, table=True):
    __table_args__ = (
        sa.Index("ix_expense_program_date", "program_id", "date"),
        sa.Index("ix_expense_dedup", "program_id", "date", "vendor", "invoice_number"),
        # Covers metrics.facts' GROUP BY (day, category) and the drill-down totals: the aggregates read
        # this index alone, never the rows (1 000 000 expenses: ~10x faster on SQLite).
        sa.Index("ix_expense_aggregate", "program_id", "date", "category_id", "eligible", "eligible_cents",
                 "amount_cents", "gst_cents", "qst_cents"),
        # Expenses tied to a merchant (direct spend, a merchant's page); most expenses have none.
        sa.Index("ix_expense_merchant", "merchant_id", "program_id", "date", "eligible_cents",
                 sqlite_where=sa.text("merchant_id IS NOT NULL"),
                 postgresql_where=sa.text("merchant_id IS NOT NULL")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id")
    date: date
    vendor: str = Field(default="", max_length=500)
    description: str = Field(default="", max_length=500)
    category_id: int = Field(foreign_key="category.id")
    invoice_number: str = Field(default="", max_length=500)
    amount_cents: int = Field(sa_type=sa.BigInteger)  # before taxes
    gst_cents: int = Field(default=0, sa_type=sa.BigInteger)
    qst_cents: int = Field(default=0, sa_type=sa.BigInteger)
    # Eligible cost at the program's tax recovery rate, rounded per expense; 0 when ineligible.
    # Recomputed for the whole program when the rate changes (settings_service.recompute_eligible_cents).
    eligible_cents: int = Field(sa_type=sa.BigInteger)
    eligible: bool = True
    ineligible_reason: str = Field(default="", max_length=500)
    needs_review: bool = False
    review_reason: str = Field(default="", max_length=200)
    merchant_id: Optional[int] = Field(default=None, foreign_key="merchant.id")
    batch_id: Optional[int] = Field(default=None, foreign_key="importbatch.id", index=True)
    source_row: Optional[int] = None
    # Currency and tax treatment (SPEC §10, migration 0005): the amounts above are in CAD; a foreign-currency
    # expense keeps its amounts as written, the rate to CAD and its source.
    currency: str = Field(default="CAD", max_length=3, sa_column_kwargs={"server_default": "CAD"})
    written_amount_cents: Optional[int] = Field(default=None, sa_type=sa.BigInteger)
    written_gst_cents: Optional[int] = Field(default=None, sa_type=sa.BigInteger)
    written_qst_cents: Optional[int] = Field(default=None, sa_type=sa.BigInteger)
    fx_rate: Optional[Decimal] = Field(default=None, sa_type=DecimalText)  # CAD per unit of currency
    fx_source: str = Field(default="", max_length=80, sa_column_kwargs={"server_default": ""})
    fx_reference_rate: Optional[Decimal] = Field(default=None, sa_type=DecimalText)  # Bank of Canada's
    tax_treatment: str = Field(default="qc", max_length=10, sa_column_kwargs={"server_default": "qc"})
    commitment_id: Optional[int] = Field(default=None, foreign_key="commitment.id", index=True)
    # The in-kind contribution whose value this expense stands for (budget.sync_in_kind_expenses).
    # Removing the contribution removes it (ON DELETE CASCADE, in the store).
    contribution_id: Optional[int] = Field(default=None, foreign_key="contribution.id", unique=True,
                                           ondelete="CASCADE")


# --- SPEC §10: exchange rates, commitments, budget amendments (migration 0005) ---------------------------


class ExchangeRate(SQLModel, table=True):
    """A daily rate to CAD (CAD per unit of `currency`), e.g. the Bank of Canada's FXEURCAD."""

    __table_args__ = (sa.UniqueConstraint("currency", "date"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    currency: str = Field(max_length=3)
    date: date
    rate: Decimal = Field(sa_type=DecimalText)
    source: str = Field(max_length=80)  # "BoC FXEURCAD" (and the file or URL it came from in the audit)


class Commitment(SQLModel, table=True):
    """A signed contract or purchase order not yet fully invoiced (engagement)."""

    __table_args__ = (sa.UniqueConstraint("program_id", "reference"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    reference: str = Field(max_length=120)
    vendor: str = Field(default="", max_length=500)
    category_id: int = Field(foreign_key="category.id")
    fiscal_year: str = Field(max_length=9)
    date: date
    amount_cents: int = Field(sa_type=sa.BigInteger)
    status: str = Field(default="open", max_length=10)  # open, closed
    batch_id: Optional[int] = Field(default=None, foreign_key="importbatch.id")
    source_row: Optional[int] = None


class BudgetAmendment(SQLModel, table=True):
    """A dated, approved change (avenant) to budget lines or funder commitments; the original stays."""

    # One amendment per reference per program, in the store itself (a double Save, two commands at once).
    # The rows a store held twice before migration 0007 stay as recorded, marked `duplicate_of`.
    __table_args__ = (
        sa.Index("ux_budgetamendment_reference", "program_id", "reference", unique=True,
                 sqlite_where=sa.text("duplicate_of IS NULL"),
                 postgresql_where=sa.text("duplicate_of IS NULL")),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    reference: str = Field(max_length=120)
    effective_date: date
    approved_by: str = Field(max_length=200)
    note: str = Field(default="", max_length=500)
    created_at: datetime = _timestamp()
    duplicate_of: Optional[int] = None  # the first amendment of the same reference (stores before 0007)


class AmendmentChange(SQLModel, table=True):
    """One line of an amendment: a budget line's or a funder commitment's new amount from its date."""

    id: Optional[int] = Field(default=None, primary_key=True)
    amendment_id: int = Field(foreign_key="budgetamendment.id", index=True)
    fiscal_year: Optional[str] = Field(default=None, max_length=9)  # a budget line...
    category_id: Optional[int] = Field(default=None, foreign_key="category.id")
    funder_id: Optional[int] = Field(default=None, foreign_key="funder.id")  # ...or a funder commitment
    amount_cents: int = Field(sa_type=sa.BigInteger)  # the amount in force from the effective date


class Indicator(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    code: str = Field(max_length=40)
    name_fr: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
    unit: str = Field(max_length=20)  # percent, count, score, bool, cad
    direction: str = Field(default="up", max_length=4)  # up: more is better; down: less is better
    target: Optional[Decimal] = Field(default=None, sa_type=DecimalText)


class Measurement(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_measurement_indicator", "indicator_id", "kind"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    merchant_id: int = Field(foreign_key="merchant.id", index=True)
    indicator_id: int = Field(foreign_key="indicator.id")
    date: date
    kind: str = Field(max_length=10)  # baseline, followup
    value: Decimal = Field(sa_type=DecimalText)


class AuditEvent(SQLModel, table=True):
    """Written for every change and import; never edited or deleted by the app."""

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = _timestamp()
    user: str = Field(max_length=320)
    action: str = Field(max_length=40)
    entity: str = Field(max_length=40)
    entity_id: Optional[int] = None
    before: Optional[dict] = Field(default=None, sa_type=sa.JSON)
    after: Optional[dict] = Field(default=None, sa_type=sa.JSON)


# --- The funding cycle (SPEC §9): fiscal-year closes and claims --------------------------------------
# The locks are in the store: triggers (migration 0006) refuse any insert, change or removal of an
# expense, contribution or budget line dated in a closed year, and of an expense in a submitted claim.


class FiscalYearClose(SQLModel, table=True):
    """A fiscal year's signed statement: its canonical JSON and SHA-256; reopened with a reason."""

    __table_args__ = (sa.UniqueConstraint("program_id", "fiscal_year"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    fiscal_year: str = Field(max_length=9)  # "2025-2026"
    start_date: date  # the year's days within the program (the triggers compare dates with these)
    end_date: date
    statement: str = Field(sa_type=sa.Text)  # canonical JSON (sorted keys, no spaces)
    statement_sha256: str = Field(max_length=64)
    closed_by: str = Field(max_length=320)
    closed_at: datetime = _timestamp()
    reopened: bool = False
    reopened_by: Optional[str] = Field(default=None, max_length=320)
    reopened_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    reopen_reason: str = Field(default="", max_length=1000)


class Claim(SQLModel, table=True):
    """A claim (réclamation) to Québec for a period inside one fiscal year."""

    __table_args__ = (
        sa.UniqueConstraint("program_id", "number"),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'approved', 'paid', 'refused')",
                           name="ck_claim_status"),
        sa.CheckConstraint("period_from <= period_to", name="ck_claim_period"),
    )
    id: Optional[int] = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    number: int
    fiscal_year: str = Field(max_length=9)
    period_from: date
    period_to: date
    status: str = Field(default="draft", max_length=20)  # draft, submitted, approved, paid, refused
    is_final: bool = False  # the final claim, after the final report: releases the holdback
    eligible_cents: int = Field(sa_type=sa.BigInteger)  # E of the period: its unclaimed eligible expenses
    claimed_cents: int = Field(sa_type=sa.BigInteger)
    approved_cents: Optional[int] = Field(default=None, sa_type=sa.BigInteger)
    note: str = Field(default="", max_length=1000)
    created_by: str = Field(max_length=320)
    created_at: datetime = _timestamp()
    submitted_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)
    decided_at: Optional[datetime] = Field(default=None, sa_type=UTCDateTime)


class ClaimExpense(SQLModel, table=True):
    """An expense in a claim, with its eligible cents when claimed; an expense is in one claim at most."""

    claim_id: int = Field(foreign_key="claim.id", primary_key=True)
    expense_id: int = Field(sa_column=sa.Column(sa.Integer, sa.ForeignKey("expense.id", ondelete="CASCADE"),
                                                primary_key=True, unique=True))
    eligible_cents: int = Field(sa_type=sa.BigInteger)


class AppState(SQLModel, table=True):
    """Small counters, such as the data version every import and edit bumps."""

    key: str = Field(primary_key=True, max_length=40)
    value: int = 0
