"""commitments, budget amendments, in-kind valuation, currency (SPEC §10)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00

- expense: currency, the amounts as written, the rate to CAD and its source, the Bank of Canada rate of
  the day (exchange gain or loss), the tax treatment (qc / foreign / none) and the commitment it draws on.
- program.accepted_currencies; contribution: valuation basis, proof and category of an in-kind value.
- new tables exchangerate, commitment, budgetamendment, amendmentchange.
"""
import sqlalchemy as sa
from alembic import op

from cqic_budget.models import DecimalText, UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchangerate",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("rate", DecimalText(), nullable=False),
        sa.Column("source", sa.String(80), nullable=False),
        sa.UniqueConstraint("currency", "date"),
    )
    op.create_table(
        "commitment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("program_id", sa.Integer(), sa.ForeignKey("program.id"), nullable=False),
        sa.Column("reference", sa.String(120), nullable=False),
        sa.Column("vendor", sa.String(500), nullable=False),
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("category.id"), nullable=False),
        sa.Column("fiscal_year", sa.String(9), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("importbatch.id"), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.UniqueConstraint("program_id", "reference"),
    )
    op.create_index("ix_commitment_program_id", "commitment", ["program_id"])
    op.create_table(
        "budgetamendment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("program_id", sa.Integer(), sa.ForeignKey("program.id"), nullable=False),
        sa.Column("reference", sa.String(120), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("approved_by", sa.String(200), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_budgetamendment_program_id", "budgetamendment", ["program_id"])
    op.create_table(
        "amendmentchange",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("amendment_id", sa.Integer(), sa.ForeignKey("budgetamendment.id"), nullable=False),
        sa.Column("fiscal_year", sa.String(9), nullable=True),
        sa.Column("category_id", sa.Integer(), sa.ForeignKey("category.id"), nullable=True),
        sa.Column("funder_id", sa.Integer(), sa.ForeignKey("funder.id"), nullable=True),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_amendmentchange_amendment_id", "amendmentchange", ["amendment_id"])
    # Plain ADD COLUMN: a batch copy of `program` would drop a table other tables reference.
    op.add_column("program", sa.Column("accepted_currencies", sa.String(200), nullable=False,
                                       server_default="CAD,EUR,USD"))
    with op.batch_alter_table("contribution") as batch:
        batch.add_column(sa.Column("valuation_basis", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("proof_reference", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("category_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_contribution_category_id", "category", ["category_id"], ["id"])
    with op.batch_alter_table("expense") as batch:
        batch.add_column(sa.Column("currency", sa.String(3), nullable=False, server_default="CAD"))
        batch.add_column(sa.Column("written_amount_cents", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("written_gst_cents", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("written_qst_cents", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("fx_rate", DecimalText(), nullable=True))
        batch.add_column(sa.Column("fx_source", sa.String(80), nullable=False, server_default=""))
        batch.add_column(sa.Column("fx_reference_rate", DecimalText(), nullable=True))
        batch.add_column(sa.Column("tax_treatment", sa.String(10), nullable=False, server_default="qc"))
        batch.add_column(sa.Column("commitment_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_expense_commitment_id", "commitment", ["commitment_id"], ["id"])
        batch.create_index("ix_expense_commitment_id", ["commitment_id"])
        batch.add_column(sa.Column("contribution_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_expense_contribution_id", "contribution", ["contribution_id"], ["id"],
                                 ondelete="CASCADE")
        batch.create_unique_constraint("uq_expense_contribution_id", ["contribution_id"])


def downgrade() -> None:
    with op.batch_alter_table("expense") as batch:
        batch.drop_constraint("uq_expense_contribution_id", type_="unique")
        batch.drop_constraint("fk_expense_contribution_id", type_="foreignkey")
        batch.drop_column("contribution_id")
        batch.drop_index("ix_expense_commitment_id")
        batch.drop_constraint("fk_expense_commitment_id", type_="foreignkey")
        for name in ("commitment_id", "tax_treatment", "fx_reference_rate", "fx_source", "fx_rate",
                     "written_qst_cents", "written_gst_cents", "written_amount_cents", "currency"):
            batch.drop_column(name)
    with op.batch_alter_table("contribution") as batch:
        batch.drop_constraint("fk_contribution_category_id", type_="foreignkey")
        for name in ("category_id", "proof_reference", "valuation_basis"):
            batch.drop_column(name)
    op.drop_column("program", "accepted_currencies")
    op.drop_index("ix_amendmentchange_amendment_id", table_name="amendmentchange")
    op.drop_table("amendmentchange")
    op.drop_index("ix_budgetamendment_program_id", table_name="budgetamendment")
    op.drop_table("budgetamendment")
    op.drop_index("ix_commitment_program_id", table_name="commitment")
    op.drop_table("commitment")
    op.drop_table("exchangerate")
