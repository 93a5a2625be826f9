"""Alembic environment: runs on the connection db.migrate passes, or on CQIC_DATABASE_URL."""

from alembic import context
from sqlmodel import SQLModel

import cqic_budget.models  # noqa: F401  (registers the tables)
from cqic_budget.db import make_engine

target_metadata = SQLModel.metadata


def run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    with make_engine().begin() as conn:
        run(conn)
