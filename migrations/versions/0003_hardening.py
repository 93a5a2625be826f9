"""hardening: one active batch per file, the identity provider's subject of each user

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00

- ux_importbatch_active_file: a partial unique index on (program_id, file_sha256) for active batches
  (status 'imported'), so that two imports of one file at once cannot both succeed (SPEC §7).
  A store that already holds two active batches of one file (imported twice before this version) cannot
  take the index: the upgrade stops and names them; undo one of each pair, then upgrade again.
- user.oidc_issuer, user.oidc_subject: the provider's account first seen signing in with the e-mail.
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

ACTIVE = sa.text("status = 'imported'")


def upgrade() -> None:
    doubled = op.get_bind().execute(sa.text(
        "SELECT program_id, file_sha256, COUNT(*) FROM importbatch WHERE status = 'imported' "
        "GROUP BY program_id, file_sha256 HAVING COUNT(*) > 1"
    )).all()
    if doubled:
        listing = ", ".join(f"program {p} file {h[:12]}… ({n} batches)" for p, h, n in doubled)
        raise RuntimeError(
            "files imported more than once are still active; undo the extra batches, then upgrade again: "
            + listing
        )
    op.create_index(
        "ux_importbatch_active_file", "importbatch", ["program_id", "file_sha256"], unique=True,
        sqlite_where=ACTIVE, postgresql_where=ACTIVE,
    )
    with op.batch_alter_table("user") as batch:
        batch.add_column(sa.Column("oidc_issuer", sa.String(length=500), nullable=True))
        batch.add_column(sa.Column("oidc_subject", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("user") as batch:
        batch.drop_column("oidc_subject")
        batch.drop_column("oidc_issuer")
    op.drop_index("ux_importbatch_active_file", table_name="importbatch")
