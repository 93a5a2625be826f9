"""privacy: the smallest merchant group a funder or viewer sees in a split (Law 25)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00

- program.min_group_size (default 5): a sector, size band or municipality with fewer merchants is merged
  into « Autres (groupes < 5) » on every split a funder or viewer sees.
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


# ADD / DROP COLUMN are native on SQLite (3.35+) as on PostgreSQL: no batch copy of the table, whose
# DROP would trip the foreign keys that point at it.
def upgrade() -> None:
    op.add_column("program", sa.Column("min_group_size", sa.Integer(), nullable=False, server_default="5"))


def downgrade() -> None:
    op.drop_column("program", "min_group_size")
