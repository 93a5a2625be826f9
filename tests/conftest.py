"""Shared fixtures: a fresh store on SQLite and on PostgreSQL (never skipped under CI=true).

The schema is migrated ONCE per test run (per pytest-xdist worker): the first store test builds a template
store (schema at head + the CQIC program: `init`), and a second one with the demo loaded (`init --demo`);
every later test gets a copy of it. On SQLite the template is a file, copied per test; on PostgreSQL it is
a template database, and each test gets its own database made with CREATE DATABASE ... TEMPLATE (made
ahead by a background thread while the previous test runs, and dropped in the background after it).

Fixtures (same names as before the templates):
- db_url: the URL of a store of the test's own; EMPTY, unless the test also asks for `engine` (then it is
  the initialised store) or `demo_store` / `demo_engine` (then the demo is loaded).
- engine / session: the initialised store (the CQIC program, no demo data); session is one unit of work.
- store: `engine`, named by CQIC_DATABASE_URL as the app and the command line find it.
- demo_store: `store` with the demo program loaded (the AppTest suites' usual store).
- demo_engine: `engine` with the demo loaded, without touching CQIC_DATABASE_URL.
- demo_readonly / demo_readonly_session: ONE demo store per test module and backend, for the tests that only
  read it (writes are refused); cheaper than a copy per test.
- fresh_caches: Streamlit's data and resource caches cleared before and after the test.
- pg_server: an empty PostgreSQL database of the test's own; downloads: the files a page offers.
Mark a module or test `one_store` to run it on SQLite only (the AppTest suites: the page does not depend
on the backend; every store test of the domain still runs on both).
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.pages_manager import PagesManager

from cqic_budget.auth import LOCAL_USER
from cqic_budget.db import make_engine, session_scope
from cqic_budget.demo import load_demo
from cqic_budget.setup import init_store

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT.parent / "shared" / "fixtures"
PEER_EXCEL = FIXTURES / "peer-excel"
PG_ADMIN_URL = os.environ.get("CQIC_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IN_CI = os.environ.get("CI", "").lower() == "true"
# One name per run and per xdist worker: two runs (or two workers) never share a PostgreSQL database.
RUN_ID = f"{uuid.uuid4().hex[:8]}_{os.environ.get('PYTEST_XDIST_WORKER', 'gw')}"
EMPTY, INIT, DEMO = "empty", "init", "demo"


def skip_or_fail(reason: str) -> None:
    """Under CI=true a missing service or browser is a failure, never a skip."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: not skipping)")
    pytest.skip(reason)


def pytest_collection_modifyitems(config, items):
    """`one_store` tests keep their SQLite instance only."""
    kept, dropped = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        backend = params.get("db_url") or params.get("demo_readonly")
        if item.get_closest_marker("one_store") and backend == "postgresql":
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _wanted(request) -> str:
    """What the test's store must hold, from the fixtures it asks for."""
    names = request.fixturenames
    if "demo_store" in names or "demo_engine" in names:
        return DEMO
    if "engine" in names:
        return INIT
    return EMPTY


def _fill(engine: sa.Engine, kind: str) -> None:
    init_store(engine)
    if kind == DEMO:
        with session_scope(engine) as session:
            assert load_demo(session, user=LOCAL_USER)


class SqliteTemplates:
    """Template store files, built on first use, copied per test."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.files: dict[str, Path] = {}

    def file(self, kind: str) -> Path:
        if kind not in self.files:
            path = self.folder / f"{kind}.db"
            engine = make_engine(f"sqlite:///{path}")
            _fill(engine, kind)
            engine.dispose()
            with sqlite3.connect(path) as conn:  # fold the WAL into the file: one file to copy
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.files[kind] = path
        return self.files[kind]

    def copy(self, kind: str, target: Path) -> None:
        shutil.copyfile(self.file(kind), target)


class PgTemplates:
    """Template databases on the PostgreSQL server, built on first use; one database per test."""

    def __init__(self, admin: sa.Engine):
        self.admin = admin
        self.names: dict[str, str] = {}
        self.counter = itertools.count()
        # CREATE DATABASE and DROP DATABASE wait on the server's disk (seconds each on a busy machine), not
        # on this process. One background thread makes the next database of each kind while a test runs;
        # used databases are dropped by other threads, several at once: each DROP waits for a checkpoint,
        # and the server serves the drops waiting together with one checkpoint.
        self.background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-create")
        self.dropping = ThreadPoolExecutor(max_workers=8, thread_name_prefix="pg-drop")
        self.ahead: dict[str, Future] = {}

    def url(self, database: str) -> str:
        return sa.engine.make_url(PG_ADMIN_URL).set(database=database).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(sa.text(sql))

    def template(self, kind: str) -> str:
        if kind not in self.names:
            name = f"cqic_tpl_{RUN_ID}_{kind}"
            self._execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
            if kind != EMPTY:
                engine = make_engine(self.url(name))
                _fill(engine, kind)
                engine.dispose()
            self.names[kind] = name
        return self.names[kind]

    def _copy(self, kind: str) -> str:
        name = f"cqic_test_{RUN_ID}_{next(self.counter)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.names[kind]}"')
        return name

    def create(self, kind: str) -> str:
        """A new database copied from the template `kind`: the one made ahead, if any; the next one is
        started in the background."""
        self.template(kind)
        ready = self.ahead.pop(kind, None)
        name = ready.result() if ready is not None else self._copy(kind)
        self.ahead[kind] = self.background.submit(self._copy, kind)
        return name

    def drop(self, name: str) -> None:
        self.dropping.submit(self._execute, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        for ready in self.ahead.values():
            self.drop(ready.result())
        self.background.shutdown(wait=True)
        self.dropping.shutdown(wait=True)
        for name in self.names.values():
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.dispose()

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
def sqlite_templates(tmp_path_factory):
    return SqliteTemplates(tmp_path_factory.mktemp("templates"))


@pytest.fixture(scope="session")
def pg_templates():
    """The PostgreSQL server's template databases for this run (and worker), dropped at the end."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        skip_or_fail(f"PostgreSQL not reachable at {PG_ADMIN_URL}: {exc.orig}")
    templates = PgTemplates(admin)
    yield templates
    templates.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """The URL of the test's own store, once on SQLite and once on PostgreSQL (see the module's doc)."""
    kind = _wanted(request)
    if request.param == "sqlite":
        path = tmp_path / "cqic.db"
        if kind != EMPTY:
            request.getfixturevalue("sqlite_templates").copy(kind, path)
        yield f"sqlite:///{path}"
    else:
        templates = request.getfixturevalue("pg_templates")
        name = templates.create(kind)
        yield templates.url(name)
        templates.drop(name)


@pytest.fixture
def engine(db_url):
    """An initialised store (schema at head, the CQIC program, no demo data): a copy of the template."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine):
    with session_scope(engine) as session:
        yield session


@pytest.fixture
def demo_engine(engine):
    """`engine` with the demo program loaded (a copy of the demo template)."""
    return engine


@pytest.fixture
def store(engine, db_url, monkeypatch):
    """An initialised store named by CQIC_DATABASE_URL, as the app finds it (no demo data)."""
    monkeypatch.setenv("CQIC_DATABASE_URL", db_url)
    return engine


@pytest.fixture
def demo_store(store):
    """`store` with the demo program loaded (a copy of the demo template)."""
    return store


@pytest.fixture
def fresh_caches():
    """Streamlit's caches are per process; the stores of two tests may share a URL."""
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def pg_server(pg_templates):
    """The URL of an empty PostgreSQL database of the test's own, dropped after it."""
    name = pg_templates.create(EMPTY)
    yield pg_templates.url(name)
    pg_templates.drop(name)


@pytest.fixture
def downloads(monkeypatch):
    """The files a page offers, by file name: the callables Streamlit runs when the reader clicks."""
    offered: dict[str, object] = {}
    original = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        offered[file_name] = (data_callable, mimetype)
        return original(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return offered


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


@pytest.fixture
def demo_users(demo_store):
    """`demo_store` with one user per role (app_tools.USERS), for the signed-in AppTest suites."""
    from app_tools import USERS

    from cqic_budget.users import add_user

    with session_scope(demo_store) as session:
        for role, email in USERS.items():
            add_user(session, email, role, by=LOCAL_USER)
    return demo_store


# --- one demo store per test module and backend, for the tests that only read it -----------------------


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo_readonly(request, sqlite_templates, tmp_path_factory):
    """An engine on a demo store (a copy of the demo template) shared by the tests of one module, on SQLite
    and on PostgreSQL: loading the demo costs more than most tests that read it. The store refuses every
    write (SQLite: PRAGMA query_only; PostgreSQL: default_transaction_read_only), so a test that writes
    fails at once instead of changing what the next test reads; such a test takes `demo_engine`."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("demo_readonly") / "cqic.db"
        sqlite_templates.copy(DEMO, path)
        engine = make_engine(f"sqlite:///{path}")
        sa.event.listen(engine, "connect", lambda conn, _record: conn.execute("PRAGMA query_only=ON"))
        yield engine
        engine.dispose()
    else:
        templates = request.getfixturevalue("pg_templates")
        name = templates.create(DEMO)
        templates._execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        engine = make_engine(templates.url(name))
        yield engine
        engine.dispose()
        templates.drop(name)


@pytest.fixture
def demo_readonly_session(demo_readonly):
    """A session on `demo_readonly` (reads only; rolled back at the end)."""
    from sqlmodel import Session

    with Session(demo_readonly) as session:
        yield session
        session.rollback()
