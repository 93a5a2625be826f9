"""Shared fixtures: a fresh store on SQLite and on PostgreSQL (never skipped under CI=true)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from streamlit.runtime.pages_manager import PagesManager

from cqic_budget.db import make_engine, session_scope
from cqic_budget.setup import init_store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT.parent / "shared" / "fixtures"
PEER_EXCEL = FIXTURES / "peer-excel"
PG_ADMIN_URL = os.environ.get("CQIC_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Under CI=true a missing service or browser is a failure, never a skip."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: not skipping)")
    pytest.skip(reason)


# --- the peer-excel corpus (../shared/fixtures/peer-excel): there in CI, absent from a fresh clone -------
PEER_MISSING = (
    f"the peer-excel corpus is absent: no folder {PEER_EXCEL} (it comes with ../shared beside the clone)"
)


def require_peer_excel() -> None:
    """Skip (outside CI) or fail (CI=true) a test that reads the peer-excel corpus when it is absent."""
    if not PEER_EXCEL.is_dir():
        skip_or_fail(PEER_MISSING)


@pytest.fixture(scope="module")
def peer_excel() -> Path:
    """The corpus folder; skips (or fails under CI=true) when it is absent."""
    require_peer_excel()
    return PEER_EXCEL


def peer_files(*suffixes: str, exclude: tuple[str, ...] = ()) -> list[Path]:
    """The corpus files with one of `suffixes` (any when none), for parametrize. Without the corpus: one
    stand-in path, so that the test runs once and require_peer_excel says why it does not go further."""
    if not PEER_EXCEL.is_dir():
        return [PEER_EXCEL / "(absent)"]
    return sorted(
        p for p in PEER_EXCEL.rglob("*")
        if p.is_file() and (not suffixes or p.suffix.lower() in suffixes) and p.suffix.lower() not in exclude
    )


@pytest.fixture(scope="session")
def pg_server():
    """A throw-away PostgreSQL database for the whole run, dropped at the end."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cqic_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        skip_or_fail(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.orig}")
    url = sa.engine.make_url(PG_ADMIN_URL).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_pg(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The URL of an empty store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cqic.db'}"
    else:
        url = request.getfixturevalue("pg_server")
        engine = make_engine(url)
        _reset_pg(engine)
        engine.dispose()
        yield url


@pytest.fixture
def engine(db_url):
    """An initialised store (schema at head, the CQIC program, no demo data)."""
    engine = make_engine(db_url)
    init_store(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with session_scope(engine) as session:
        yield session


@pytest.fixture(autouse=True)
def navigation_only(monkeypatch):
    """AppTest resets Streamlit's "old pages/ folder layout" flag before every run and re-detects it from
    the folder's name; only st.navigation clears it. A second run of the same AppTest would then execute
    the page without the frame. The app always navigates with st.navigation: tell every PagesManager."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
