"""Engine (SQLite by default, PostgreSQL by URL), sessions, data version and the migration entry."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session, create_engine, select

from cqic_budget.models import AppState

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "sqlite:///data/cqic.db"


def database_url(url: str | None = None) -> str:
    return url or os.environ.get("CQIC_DATABASE_URL") or DEFAULT_URL


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str | None = None) -> sa.Engine:
    url = database_url(url)
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    return engine


@contextmanager
def session_scope(engine: sa.Engine) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the Alembic head (batch mode on SQLite)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def data_version(session: Session) -> int:
    row = session.get(AppState, "data_version")
    return row.value if row else 0


def bump_data_version(session: Session) -> int:
    """Every import and edit calls this so that cached figures are recomputed."""
    stmt = select(AppState).where(AppState.key == "data_version").with_for_update()
    row = session.exec(stmt).first()
    if row is None:
        row = AppState(key="data_version", value=0)
        session.add(row)
    row.value += 1
    session.flush()
    return row.value
