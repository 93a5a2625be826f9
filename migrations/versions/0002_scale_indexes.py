"""scale indexes: aggregates read from covering indexes (SPEC §8)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 05:00:00

- ix_expense_aggregate covers metrics.facts' GROUP BY (program, day, category) and the drill-down
  totals: with 1 000 000 expenses the aggregates read this index alone, never the rows.
- ix_expense_merchant (partial: only expenses tied to a merchant) serves direct spend per merchant.
- ix_merchant_program_status serves the counts of merchants supported, per program and per portfolio.
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

TIED = sa.text("merchant_id IS NOT NULL")


def upgrade() -> None:
    op.create_index(
        "ix_expense_aggregate", "expense",
        ["program_id", "date", "category_id", "eligible", "eligible_cents", "amount_cents", "gst_cents",
         "qst_cents"],
    )
    op.create_index(
        "ix_expense_merchant", "expense", ["merchant_id", "program_id", "date", "eligible_cents"],
        sqlite_where=TIED, postgresql_where=TIED,
    )
    op.create_index("ix_merchant_program_status", "merchant", ["program_id", "status", "enrolment_date"])


def downgrade() -> None:
    op.drop_index("ix_merchant_program_status", table_name="merchant")
    op.drop_index("ix_expense_merchant", table_name="expense")
    op.drop_index("ix_expense_aggregate", table_name="expense")
