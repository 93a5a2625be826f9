"""funding cycle (SPEC §9): fiscal-year closes, claims, the budget-line transfer tolerance, store locks

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00

- program.budget_transfer_tolerance (default 0.10): a budget line is a breach above 100 % + this.
- fiscalyearclose: a year's statement (canonical JSON + SHA-256), who closed it, reopened with a reason.
- claim, claimexpense (an expense in one claim at most), contribution.claim_id (a claim's payments).
- Triggers, on SQLite and PostgreSQL alike: an expense, contribution or budget line dated in a closed
  (not reopened) fiscal year cannot be inserted, changed or deleted; nor an expense dated in the period
  of a submitted claim awaiting its decision, nor an expense in a submitted, approved or paid claim. Redacting an expense's text (a Law 25 erasure) stays possible:
  only its date, amounts, category, eligibility and program are locked.
"""
import sqlalchemy as sa
from alembic import op

import cqic_budget.models

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

LOCKING = "('submitted', 'approved', 'paid')"


def _closed(program: str, day: str) -> str:
    return (f"EXISTS (SELECT 1 FROM fiscalyearclose f WHERE f.program_id = {program} AND NOT f.reopened "
            f"AND {day} BETWEEN f.start_date AND f.end_date)")


def _pending_claim(program: str, day: str) -> str:
    # A submitted claim awaiting its decision freezes its whole period; once decided, its own lines only.
    return (f"EXISTS (SELECT 1 FROM claim c WHERE c.program_id = {program} AND c.status = 'submitted' "
            f"AND {day} BETWEEN c.period_from AND c.period_to)")


def _in_claim(expense_id: str) -> str:
    return (f"EXISTS (SELECT 1 FROM claimexpense ce JOIN claim c ON c.id = ce.claim_id "
            f"WHERE ce.expense_id = {expense_id} AND c.status IN {LOCKING})")


def _expense_locked(row: str) -> str:
    period = f"{_closed(f'{row}.program_id', f'{row}.date')} OR {_pending_claim(f'{row}.program_id', f'{row}.date')}"
    return f"({period})" if row == "NEW" else f"({period} OR {_in_claim(f'{row}.id')})"


def _contribution_locked(row: str) -> str:
    return (f"EXISTS (SELECT 1 FROM fiscalyearclose f JOIN funder fu ON fu.program_id = f.program_id "
            f"WHERE fu.id = {row}.funder_id AND NOT f.reopened "
            f"AND {row}.received_date BETWEEN f.start_date AND f.end_date)")


def _budget_line_locked(row: str) -> str:
    return (f"EXISTS (SELECT 1 FROM fiscalyearclose f WHERE f.program_id = {row}.program_id "
            f"AND NOT f.reopened AND f.fiscal_year = {row}.fiscal_year)")


# The columns of an expense a close or a claim freezes (its text may still be redacted).
EXPENSE_FROZEN = ("program_id", "date", "category_id", "amount_cents", "gst_cents", "qst_cents",
                  "eligible_cents", "eligible")

# (table, condition on a row, columns whose change counts as a change; None: any).
LOCKS = (
    ("expense", _expense_locked, EXPENSE_FROZEN),
    ("contribution", _contribution_locked, None),
    ("budgetline", _budget_line_locked, None),
)


def _changed(columns: tuple[str, ...] | None, dialect: str) -> str:
    if columns is None:
        return "1 = 1"
    op_ = "IS NOT" if dialect == "sqlite" else "IS DISTINCT FROM"
    return "(" + " OR ".join(f"OLD.{c} {op_} NEW.{c}" for c in columns) + ")"


def _sqlite_triggers() -> None:
    raise_ = "SELECT RAISE(ABORT, 'closed-period');"
    for table, locked, columns in LOCKS:
        op.execute(f"CREATE TRIGGER {table}_lock_insert BEFORE INSERT ON {table} "
                   f"WHEN {locked('NEW')} BEGIN {raise_} END")
        op.execute(f"CREATE TRIGGER {table}_lock_update BEFORE UPDATE ON {table} "
                   f"WHEN {_changed(columns, 'sqlite')} AND ({locked('OLD')} OR {locked('NEW')}) "
                   f"BEGIN {raise_} END")
        op.execute(f"CREATE TRIGGER {table}_lock_delete BEFORE DELETE ON {table} "
                   f"WHEN {locked('OLD')} BEGIN {raise_} END")


def _postgresql_triggers() -> None:
    for table, locked, columns in LOCKS:
        op.execute(f"""
CREATE FUNCTION cqic_{table}_lock() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF {locked('NEW')} THEN RAISE EXCEPTION 'closed-period' USING ERRCODE = 'check_violation'; END IF;
    RETURN NEW;
  ELSIF TG_OP = 'UPDATE' THEN
    IF {_changed(columns, 'postgresql')} AND ({locked('OLD')} OR {locked('NEW')}) THEN
      RAISE EXCEPTION 'closed-period' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  IF {locked('OLD')} THEN RAISE EXCEPTION 'closed-period' USING ERRCODE = 'check_violation'; END IF;
  RETURN OLD;
END $$ LANGUAGE plpgsql""")
        op.execute(f"CREATE TRIGGER {table}_lock BEFORE INSERT OR UPDATE OR DELETE ON {table} "
                   f"FOR EACH ROW EXECUTE FUNCTION cqic_{table}_lock()")


def upgrade() -> None:
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.add_column(sa.Column('budget_transfer_tolerance', cqic_budget.models.DecimalText(length=40),
                                      nullable=False, server_default='0.10'))
    op.create_table(
        'fiscalyearclose',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('fiscal_year', sa.String(length=9), nullable=False),
        sa.Column('start_date', sa.Date(), nullable=False),
        sa.Column('end_date', sa.Date(), nullable=False),
        sa.Column('statement', sa.Text(), nullable=False),
        sa.Column('statement_sha256', sa.String(length=64), nullable=False),
        sa.Column('closed_by', sa.String(length=320), nullable=False),
        sa.Column('closed_at', cqic_budget.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('reopened', sa.Boolean(), nullable=False),
        sa.Column('reopened_by', sa.String(length=320), nullable=True),
        sa.Column('reopened_at', cqic_budget.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('reopen_reason', sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(['program_id'], ['program.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('program_id', 'fiscal_year'),
    )
    op.create_index('ix_fiscalyearclose_program_id', 'fiscalyearclose', ['program_id'])
    op.create_table(
        'claim',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('fiscal_year', sa.String(length=9), nullable=False),
        sa.Column('period_from', sa.Date(), nullable=False),
        sa.Column('period_to', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('is_final', sa.Boolean(), nullable=False),
        sa.Column('eligible_cents', sa.BigInteger(), nullable=False),
        sa.Column('claimed_cents', sa.BigInteger(), nullable=False),
        sa.Column('approved_cents', sa.BigInteger(), nullable=True),
        sa.Column('note', sa.String(length=1000), nullable=False),
        sa.Column('created_by', sa.String(length=320), nullable=False),
        sa.Column('created_at', cqic_budget.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column('submitted_at', cqic_budget.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column('decided_at', cqic_budget.models.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['program_id'], ['program.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('program_id', 'number'),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'approved', 'paid', 'refused')",
                           name='ck_claim_status'),
        sa.CheckConstraint("period_from <= period_to", name='ck_claim_period'),
    )
    op.create_index('ix_claim_program_id', 'claim', ['program_id'])
    op.create_table(
        'claimexpense',
        sa.Column('claim_id', sa.Integer(), nullable=False),
        sa.Column('expense_id', sa.Integer(), nullable=False),
        sa.Column('eligible_cents', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['claim_id'], ['claim.id']),
        sa.ForeignKeyConstraint(['expense_id'], ['expense.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('claim_id', 'expense_id'),
        sa.UniqueConstraint('expense_id'),
    )
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_contribution_claim_id', ['claim_id'], unique=False)
        batch_op.create_foreign_key('fk_contribution_claim_id', 'claim', ['claim_id'], ['id'])
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_triggers()
    else:
        _postgresql_triggers()


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, _, _ in LOCKS:
        if sqlite:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_lock_{event}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_lock ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS cqic_{table}_lock()")
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_constraint('fk_contribution_claim_id', type_='foreignkey')
        batch_op.drop_index('ix_contribution_claim_id')
        batch_op.drop_column('claim_id')
    op.drop_table('claimexpense')
    op.drop_index('ix_claim_program_id', table_name='claim')
    op.drop_table('claim')
    op.drop_index('ix_fiscalyearclose_program_id', table_name='fiscalyearclose')
    op.drop_table('fiscalyearclose')
    # A plain DROP COLUMN (SQLite ≥ 3.35): copying program in batch mode would trip the rows referencing it.
    op.drop_column('program', 'budget_transfer_tolerance')
