"""one amendment per reference: a double Save or two commands at once cannot record an avenant twice

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 16:30:00

- budgetamendment.duplicate_of: the first amendment of the same reference, on the rows a store already held
  twice (recorded before this version); NULL on every other row.
- ux_budgetamendment_reference: a partial unique index on (program_id, reference) over the rows with no
  duplicate_of, so that every amendment recorded from now on has a reference of its own.

Rows recorded twice are kept and marked, not refused nor removed: an amendment is a signed record with its
audit entry, and the schema upgrade cannot tell a double Save from two avenants given one number; an
amendment sets amounts (the later one wins), so a repeated one leaves every figure as it was reported. The
amendments list shows the mark; a person decides. Only budgetamendment is touched (no batch copy: the lock
triggers of migration 0006 on expense, contribution and budgetline stay as they are).
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

FIRST_RECORDED = sa.text("duplicate_of IS NULL")


def upgrade() -> None:
    op.add_column("budgetamendment", sa.Column("duplicate_of", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE budgetamendment SET duplicate_of = ("
        " SELECT MIN(f.id) FROM budgetamendment f"
        " WHERE f.program_id = budgetamendment.program_id AND f.reference = budgetamendment.reference)"
        " WHERE EXISTS (SELECT 1 FROM budgetamendment e"
        " WHERE e.program_id = budgetamendment.program_id AND e.reference = budgetamendment.reference"
        " AND e.id < budgetamendment.id)"
    )
    op.create_index(
        "ux_budgetamendment_reference", "budgetamendment", ["program_id", "reference"], unique=True,
        sqlite_where=FIRST_RECORDED, postgresql_where=FIRST_RECORDED,
    )


def downgrade() -> None:
    op.drop_index("ux_budgetamendment_reference", table_name="budgetamendment")
    # A plain DROP COLUMN (SQLite ≥ 3.35): no batch copy of the table.
    op.drop_column("budgetamendment", "duplicate_of")
