"""Benchmark: every page's first view and warm rerun on the demo store, beside the naive way, in one run.

    .venv/bin/python bench/pages.py                         # a temporary SQLite store
    .venv/bin/python bench/pages.py --backend postgresql    # a throw-away PostgreSQL database, then dropped
    .venv/bin/python bench/pages.py --pages overview burn --langs fr --runs 9

The store: `init` and the demo program (as `init --demo`), plus one bare second program (a copy of the
demo's settings, no data) so that the Portfolio page is in the navigation (`--one-program` leaves it out).
Every file of pages/ is run through dashboard.py with Streamlit's AppTest in this process, in French and in
English, at the as-of date 2026-10-31:
- first view: the page opened with Streamlit's data cache empty (st.cache_data.clear(); the engine, a
  cache_resource, already made) — what the first reader after an import or a restart waits for;
- warm rerun: the same page run again, median of --runs — what every click of a reader costs;
- naive: the same page with caching bypassed (st.cache_data cleared before every run), median of --runs.
Every page is run once before measuring, so that module imports (pandas, Plotly, the page's own modules)
count in no figure: a server imports them once per process. Goal (issue 4): warm rerun < 0.5 s.
The same pages in Chromium, each opened in a new tab (cold and warm) beside a minimal Streamlit page, from
navigation until Streamlit is idle (issue 13): bench/browser_pages.py.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cqic_budget.auth import LOCAL_USER, PAGES  # noqa: E402
from cqic_budget.db import make_engine, session_scope  # noqa: E402
from cqic_budget.demo import load_demo  # noqa: E402
from cqic_budget.models import Expense, Program  # noqa: E402
from cqic_budget.setup import get_program, init_store  # noqa: E402

DASHBOARD = ROOT / "dashboard.py"
PAGES_DIR = ROOT / "pages"
AS_OF = "2026-10-31"
GOAL_WARM = 0.5
PG_ADMIN_URL = os.environ.get("CQIC_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SECOND_PROGRAM = "BENCH2"


@dataclass
class Figures:
    page: str
    lang: str
    first: float | None = None
    warm: list[float] = field(default_factory=list)
    naive: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def warm_median(self) -> float | None:
        return statistics.median(self.warm) if self.warm else None

    @property
    def naive_median(self) -> float | None:
        return statistics.median(self.naive) if self.naive else None


# --- the store ----------------------------------------------------------------------------------------------


@contextmanager
def throwaway_store(backend: str) -> Iterator[str]:
    """The URL of an empty store: a file in a temporary folder, or a PostgreSQL database dropped after."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="cqic-bench-pages-") as folder:
            yield f"sqlite:///{Path(folder) / 'cqic.db'}"
        return
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cqic_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def build_demo(url: str, *, second_program: bool) -> dict[str, int]:
    """`init --demo` on the store, and the bare second program that puts the Portfolio page in the
    navigation. Returns how many programs and expenses the store holds."""
    engine = make_engine(url)
    try:
        init_store(engine)
        with session_scope(engine) as session:
            load_demo(session, user=LOCAL_USER)
        if second_program:
            with session_scope(engine) as session:
                demo = get_program(session)
                values = demo.model_dump(exclude={"id"})
                values.update(code=SECOND_PROGRAM, name_fr="Programme de mesure", name_en="Benchmark program")
                session.add(Program(**values))
        with session_scope(engine) as session:
            return {
                "programs": session.scalar(sa.select(sa.func.count()).select_from(Program)),
                "expenses": session.scalar(sa.select(sa.func.count()).select_from(Expense)),
            }
    finally:
        engine.dispose()


# --- Streamlit, as tests/conftest.py runs it ----------------------------------------------------------


@contextmanager
def navigation_only() -> Iterator[None]:
    """tests/conftest.py's `navigation_only`: AppTest resets Streamlit's "pages/ folder layout" flag before
    every run and re-detects it from the folder's name, so a second run of one AppTest would run the page
    without the frame; the app always navigates with st.navigation: tell every PagesManager."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    try:
        yield
    finally:
        PagesManager.__init__ = original


def quiet_streamlit() -> None:
    """Errors only: AppTest warns at every cache clear and run that no Streamlit server is running, and
    Streamlit sets its log level again whenever it reads its config."""
    from streamlit import logger

    set_level = logger.set_log_level
    set_level("error")
    logger.set_log_level = lambda level: set_level("error")


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def failure(at) -> str | None:
    if at.exception:
        return "; ".join(str(e.value).splitlines()[0] for e in at.exception)
    return None


def open_page(page: str, lang: str, program_count: int):
    """An AppTest of dashboard.py on `page` (the frame's first run done: engine made, session seeded)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(DASHBOARD), default_timeout=300)
    params = {"lang": lang, "as_of": AS_OF}
    if program_count > 1:
        params["program"] = "CQIC"
    at.query_params.update(params)
    at.run()
    at.switch_page(f"pages/{page}.py")
    return at


def measure(page: str, lang: str, runs: int, program_count: int) -> Figures:
    import streamlit as st

    figures = Figures(page, lang)
    try:
        at = open_page(page, lang, program_count)
    except ValueError as exc:  # not in the navigation (the Portfolio page with one program)
        figures.error = str(exc).splitlines()[0]
        return figures
    st.cache_data.clear()
    figures.first = timed(at.run)
    figures.error = failure(at)
    if figures.error:
        return figures
    figures.warm = [timed(at.run) for _ in range(runs)]

    def naive_run() -> None:
        st.cache_data.clear()
        at.run()

    figures.naive = [timed(naive_run) for _ in range(runs)]
    figures.error = failure(at)
    return figures


# --- the report -------------------------------------------------------------------------------------


def machine() -> str:
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    memory = ""
    try:
        total_kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f", {total_kb / 1024 / 1024:.1f} GB RAM"
    except (OSError, IndexError, ValueError):
        pass
    cpu = platform.processor() or platform.machine()
    return f"{os.cpu_count()} cores ({cpu}){memory}; load average {load} (1, 5, 15 min)"


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f} s"


def ratio(naive: float | None, warm: float | None) -> str:
    return "—" if not naive or not warm else f"{naive / warm:.1f}×"


def report(results: list[Figures], runs: int) -> bool:
    """Per page, its languages' figures; True when every page rendered and every warm rerun met the goal."""
    header = (f"{'page':<12} {'lang':<4} {'first view':>11} {'warm rerun':>11} {'naive':>10} "
              f"{'naive ÷ warm':>13}  goal")
    print(f"warm rerun and naive: median of {runs} runs; goal: warm rerun < {GOAL_WARM} s")
    print(header)
    print("-" * len(header))
    ok, previous = True, None
    for fig in results:
        if previous is not None and fig.page != previous:
            print()
        previous = fig.page
        if fig.error:
            ok = False
            print(f"{fig.page:<12} {fig.lang:<4} ERROR: {fig.error}")
            continue
        warm = fig.warm_median
        met = warm is not None and warm < GOAL_WARM
        ok = ok and met
        naive = fig.naive_median
        print(f"{fig.page:<12} {fig.lang:<4} {seconds(fig.first):>11} {seconds(warm):>11} "
              f"{seconds(naive):>10} {ratio(naive, warm):>13}  {'ok' if met else 'MISSED'}")
    measured = [f for f in results if not f.error]
    if measured:
        slowest = max(measured, key=lambda f: f.warm_median or 0)
        print(f"\nslowest warm rerun: {slowest.page} ({slowest.lang}) {seconds(slowest.warm_median)}; "
              f"slowest first view: {seconds(max(f.first or 0 for f in measured))}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--runs", type=int, default=5, help="runs per median (default 5)")
    parser.add_argument("--langs", nargs="+", choices=("fr", "en"), default=["fr", "en"])
    parser.add_argument(
        "--pages", nargs="+", metavar="PAGE", help="page keys (default: every file of pages/)"
    )
    parser.add_argument("--one-program", action="store_true",
                        help="no second program: the Portfolio page is not in the navigation")
    args = parser.parse_args(argv)

    found = {path.stem for path in PAGES_DIR.glob("*.py")}
    order = [key for key in PAGES if key in found] + sorted(found - set(PAGES))
    pages = [key for key in order if not args.pages or key in args.pages]
    unknown = set(args.pages or ()) - found
    if unknown:
        parser.error(f"no such page in pages/: {', '.join(sorted(unknown))}")

    print(f"machine: {machine()}")
    print(f"python {platform.python_version()}, streamlit {version('streamlit')}, "
          f"SQLAlchemy {sa.__version__}; backend {args.backend}")
    with throwaway_store(args.backend) as url:
        started = time.perf_counter()
        counts = build_demo(url, second_program=not args.one_program)
        print(f"store: demo program{'' if args.one_program else ' + a bare second program'} — "
              f"{counts['programs']} programs, {counts['expenses']} expenses "
              f"(built in {time.perf_counter() - started:.1f} s); as of {AS_OF}")
        os.environ["CQIC_DATABASE_URL"] = url
        quiet_streamlit()
        import streamlit as st

        with navigation_only():
            for page in pages:  # imports and the engine, once per process as in a server
                try:
                    open_page(page, args.langs[0], counts["programs"]).run()
                except ValueError:
                    pass
            results = [
                measure(page, lang, args.runs, counts["programs"]) for page in pages for lang in args.langs
            ]
        st.cache_data.clear()
        st.cache_resource.clear()  # the engines: a PostgreSQL database is dropped with no one connected
    print()
    ok = report(results, args.runs)
    return 0 if ok else 1


def version(package: str) -> str:
    from importlib.metadata import version as installed

    return installed(package)


if __name__ == "__main__":
    sys.exit(main())
