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


def busy_timeout_ms() -> int:
    """How long a writer waits for another one before the store is `busy` (CQIC_BUSY_TIMEOUT_MS, 5 s)."""
    try:
        return max(1, int(os.environ.get("CQIC_BUSY_TIMEOUT_MS", "5000")))
    except ValueError:
        return 5000


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={busy_timeout_ms()}")
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
    """One unit of work: committed when the block ends, rolled back on any error. A writer that waited
    past the busy timeout for another one raises StoreBusy (code `busy`), never the driver's error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException as exc:
            session.rollback()
            if is_busy(exc):
                raise StoreBusy() from None
            raise


# --- concurrency: one writer at a time per program, a busy store refused cleanly ---------------------

# PostgreSQL: lock_not_available (lock_timeout), deadlock, serialization failure, statement timeout.
_BUSY_SQLSTATES = {"55P03", "40P01", "40001", "57014"}
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")


class StoreBusy(Exception):
    """Another writer held the store past the busy timeout: nothing was written, try again. Code `busy`."""

    code = "busy"

    def message(self, lang: str = "fr") -> str:
        from cqic_budget.i18n import t

        return t("store.busy", lang)


def is_busy(exc: BaseException) -> bool:
    """Whether a database error means "another writer holds the lock" (SQLite busy, PostgreSQL lock timeout,
    deadlock or serialisation failure) rather than a fault."""
    if isinstance(exc, StoreBusy):
        return True
    if not isinstance(exc, sa.exc.DBAPIError):
        return False
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    return exc.__class__ is sa.exc.OperationalError and str(orig).lower().startswith(_SQLITE_BUSY)


def lock_program_writes(session: Session, program_id: int) -> None:
    """Take the program's write lock at the start of the session's transaction, before any check that a
    later write depends on (duplicate file, duplicate rows, a batch still active): concurrent imports and
    undos of one program then run one after the other. SQLite: BEGIN IMMEDIATE (the store's write lock);
    PostgreSQL: the program's row, FOR NO KEY UPDATE (expenses' foreign keys still insert), waiting at most
    the busy timeout. Raises StoreBusy past it."""
    connection = session.connection()
    try:
        if connection.dialect.name == "sqlite":
            driver = connection.connection.driver_connection
            if not driver.in_transaction:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
            else:  # already writing: take the write lock now if not yet held
                connection.exec_driver_sql("UPDATE program SET id = id WHERE id = ?", (int(program_id),))
        else:
            connection.exec_driver_sql(f"SET LOCAL lock_timeout = {busy_timeout_ms()}")
            table = sa.table("program", sa.column("id"))
            connection.execute(
                sa.select(table.c.id).where(table.c.id == program_id).with_for_update(key_share=True)
            )
    except sa.exc.DBAPIError as exc:
        if is_busy(exc):
            raise StoreBusy() from None
        raise


def off_index(session: Session, column: sa.ColumnElement) -> sa.ColumnElement:
    """The column as a term no index serves on SQLite (`column + 0`, SQLite's documented way to steer its
    planner), the column itself on PostgreSQL (which plans from its statistics). A store without ANALYZE
    statistics makes SQLite look `program_id = ?` up in the (program, date) index, which reads every expense
    of the program and its row, where a partial or narrower index holds the few rows wanted (expenses tied
    to a merchant or to a commitment)."""
    return column + 0 if session.get_bind().dialect.name == "sqlite" else column


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
