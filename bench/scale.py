"""Benchmark (SPEC §8): a store of 1 000 000 expenses and 20 000 merchants, every page's first view and
warm rerun, and the app process's peak memory, beside the naive way, in one run.

    .venv/bin/python bench/scale.py                                # SQLite, both scenarios
    .venv/bin/python bench/scale.py --backend postgresql           # a bench database, created and dropped
    .venv/bin/python bench/scale.py --scenario one --no-browser     # one scenario, no Streamlit server

Scenarios: `one` — one program holding 1 000 000 expenses on its own (the goal's case); `many` — a
ministry's portfolio, 50 programs × 20 000 expenses. Each store is initialised with `init --demo` (the
CQIC program, its milestones, contributions and indicators), the expenses go in THROUGH THE PRODUCT'S OWN
IMPORT (importing.service.import_file on .xlsx sheets written here: 36 monthly sheets of ~27 800 rows for
`one`, one 20 000-row sheet per program for `many`), and 20 000 merchants with their indicator
measurements are inserted in bulk (there is no merchant import); the merchant-service expenses are then
tied to merchants so that the direct-spend figures have rows to add. Sheets and SQLite stores are kept
under bench/out/scale/ and reused; `--rebuild` starts over.

Measured per page (every file of pages/), with Streamlit's AppTest in this process:
- first view: the page opened with Streamlit's data cache empty (the engine already made);
- warm rerun: the same page run again (median of 3), what a reader's every click costs;
- naive rerun: the page's view builders called directly each time, with no cache.
Then the app itself: `streamlit run dashboard.py` as a subprocess, every page opened in headless Chromium
(Playwright), and the process's peak resident memory (VmHWM in /proc/<pid>/status). The naive memory and
aggregate: pandas.read_sql of the program's whole expense table then a monthly GROUP BY in pandas (a child
process, its own VmHWM), beside metrics.facts.load_facts's SQL GROUP BY.
Goals (SPEC §8, the `one` scenario): first view ≤ 2 s, warm rerun ≤ 0.3 s, app process ≤ 400 MB.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

OUT = ROOT / "bench" / "out" / "scale"
DASHBOARD = ROOT / "dashboard.py"
PAGES = sorted((ROOT / "pages").glob("*.py"))
PG_ADMIN_URL = os.environ.get("CQIC_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]

AS_OF = date(2028, 3, 31)  # the program's last day: every expense counts, every fiscal year has ended
START, END = date(2025, 4, 1), date(2028, 3, 31)
TOTAL_EXPENSES = 1_000_000
PROGRAMS = 50
MERCHANTS = 20_000
GOAL_FIRST, GOAL_WARM, GOAL_MEMORY_MB = 2.0, 0.3, 400

HEADER = ["Date", "Fournisseur", "Description", "Catégorie", "No facture", "Montant avant taxes", "TPS",
          "TVQ", "Total"]
# Spreadsheet labels as staff type them (the import maps them to the categories).
CATEGORY_LABELS = ["Salaires et charges sociales", "Honoraires professionnels", "Déplacements et missions",
                   "Marketing et événements", "Équipement et logiciels",
                   "Services d'accompagnement aux commerçants", "Frais d'administration"]
VENDORS = [f"{name} {i}" for i, name in enumerate(
    ["Groupe Conseil Numérique", "Bell Canada", "Vidéotron Affaires", "Dell Canada", "Lavery avocats",
     "Agence Marketing Boréal", "Hôtel Sheraton Laval", "Commerce Numérique Québec", "Via Rail Canada",
     "Imprimerie Laval Express"] * 30)]
TOWNS = ["Laval", "Montréal", "Longueuil", "Terrebonne", "Boisbriand", "Blainville", "Repentigny", "Mirabel",
         "Saint-Jérôme", "Mascouche", "Sainte-Thérèse", "Brossard", "Québec", "Gatineau", "Sherbrooke"]
CENT = Decimal("0.01")


def log(text: str) -> None:
    print(text, flush=True)


# --- sheets ---------------------------------------------------------------------------------------------


def write_sheet(path: Path, *, rows: int, first: date, last: date, seed: str, title: str) -> None:
    """An expense sheet as staff keep it: a title, the header on row 3, one row per expense, by date."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    span = (last - first).days
    days = sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(rows))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dépenses")
    sheet.append([title])
    sheet.append([])
    sheet.append(HEADER)
    for i, day in enumerate(days):
        amount = Decimal(rng.randint(500, 900_000)) / 100
        taxable = rng.random() > 0.1
        gst = (amount * Decimal("0.05")).quantize(CENT, ROUND_HALF_UP) if taxable else Decimal(0)
        qst = (amount * Decimal("0.09975")).quantize(CENT, ROUND_HALF_UP) if taxable else Decimal(0)
        sheet.append([day, rng.choice(VENDORS), f"Accompagnement numérique, mandat {i % 977}",
                      rng.choice(CATEGORY_LABELS), f"{seed}-{i:06d}", float(amount), float(gst), float(qst),
                      float(amount + gst + qst)])
    part = path.with_suffix(".part")
    workbook.save(part)
    part.rename(path)


def month_starts() -> list[date]:
    months, day = [], START
    while day <= END:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


@dataclass(frozen=True)
class Sheet:
    path: Path
    program: str
    rows: int


def sheets(scenario: str) -> list[Sheet]:
    """The sheets of a scenario (written once, reused)."""
    folder = OUT / "sheets" / f"{scenario}-{TOTAL_EXPENSES}"
    folder.mkdir(parents=True, exist_ok=True)
    planned: list[tuple[Path, str, int, date, date, str]] = []
    if scenario == "one":
        months = month_starts()
        per_month, extra = divmod(TOTAL_EXPENSES, len(months))
        for n, first in enumerate(months):
            last = (months[n + 1] if n + 1 < len(months) else END + timedelta(days=1)) - timedelta(days=1)
            name = f"depenses-{first:%Y-%m}"
            planned.append((folder / f"{name}.xlsx", "CQIC", per_month + (n < extra), first, last, name))
    else:
        for code in program_codes():
            name = f"depenses-{code}"
            planned.append((folder / f"{name}.xlsx", code, TOTAL_EXPENSES // PROGRAMS, START, END, name))
    written = 0
    started = time.perf_counter()
    for path, code, rows, first, last, seed in planned:
        if not path.exists():
            write_sheet(path, rows=rows, first=first, last=last, seed=seed, title=f"{code} — dépenses")
            written += 1
    if written:
        log(f"  wrote {written} sheets in {time.perf_counter() - started:.1f} s ({folder})")
    return [Sheet(path, code, rows) for path, code, rows, *_ in planned]


def program_codes() -> list[str]:
    return ["CQIC"] + [f"P{n:02d}" for n in range(2, PROGRAMS + 1)]


# --- store ----------------------------------------------------------------------------------------------


def store_url(backend: str, scenario: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{OUT / f'sqlite-{scenario}-{TOTAL_EXPENSES}.db'}"
    name = f"cqic_bench_{scenario}_{TOTAL_EXPENSES}"
    return sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def pg_admin(statement: str) -> None:
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(statement))
    finally:
        admin.dispose()


def drop_store(backend: str, scenario: str) -> None:
    url = store_url(backend, scenario)
    if backend == "sqlite":
        path = Path(sa.engine.make_url(url).database)
        for suffix in ("", "-wal", "-shm", ".done"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        pg_admin(f'DROP DATABASE IF EXISTS "{sa.engine.make_url(url).database}" WITH (FORCE)')


def store_complete(backend: str, scenario: str) -> bool:
    url = store_url(backend, scenario)
    if backend == "sqlite":
        return Path(f"{sa.engine.make_url(url).database}.done").exists()
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            done = conn.execute(sa.text("SELECT value FROM appstate WHERE key = 'bench_complete'")).scalar()
            return bool(done)
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def build_store(backend: str, scenario: str) -> None:
    """init --demo, the programs of the scenario, the sheets through the import, merchants in bulk."""
    from cqic_budget.auth import LOCAL_USER
    from cqic_budget.claims import DRAFT, SUBMITTED
    from cqic_budget.closing import close_year, reopen_year
    from cqic_budget.db import make_engine, session_scope
    from cqic_budget.demo import load_demo
    from cqic_budget.demo.tables import CLOSED_YEAR
    from cqic_budget.importing.service import import_file
    from cqic_budget.models import Claim
    from cqic_budget.setup import init_store

    drop_store(backend, scenario)
    url = store_url(backend, scenario)
    if backend == "postgresql":
        pg_admin(f'CREATE DATABASE "{sa.engine.make_url(url).database}"')
    planned = sheets(scenario)
    engine = make_engine(url)
    init_store(engine)
    with session_scope(engine) as session:
        load_demo(session, user=LOCAL_USER)
        # The demo closes its first fiscal year and leaves a claim submitted, which lock their periods (the
        # import and the store's triggers refuse rows there); the bulk load spans every month, so the year
        # is reopened for the load and closed again after it, and the claim waits as a draft meanwhile.
        reopen_year(session, CLOSED_YEAR, reason="bench: bulk load", user=LOCAL_USER)
        waiting = session.execute(sa.update(Claim).where(Claim.status == SUBMITTED).values(status=DRAFT)
                                  .returning(Claim.id)).scalars().all()
    if scenario == "many":
        add_programs(engine, program_codes()[1:])
    started, imported = time.perf_counter(), 0
    for n, sheet in enumerate(planned, start=1):
        outcome = import_file(engine, sheet.path, program_code=sheet.program, user=LOCAL_USER)
        if outcome.status != "imported":
            raise SystemExit(f"{sheet.path.name}: {outcome.status} {outcome.reason} {outcome.errors[:3]}")
        imported += outcome.rows_imported
        if n % 10 == 0 or n == len(planned):
            elapsed = time.perf_counter() - started
            log(f"  imported {n}/{len(planned)} sheets, {imported:,} rows, {elapsed:.0f} s")
    add_merchants(engine, scenario)
    with session_scope(engine) as session:
        session.execute(sa.update(Claim).where(Claim.id.in_(waiting)).values(status=SUBMITTED))
        close_year(session, CLOSED_YEAR, user=LOCAL_USER, today=END)
    with engine.begin() as conn:
        if backend == "postgresql":
            conn.execute(sa.text("INSERT INTO appstate (key, value) VALUES ('bench_complete', 1)"))
    if backend == "postgresql":
        # What autovacuum does after a bulk load: visibility map and statistics (index-only scans).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    else:
        Path(f"{sa.engine.make_url(url).database}.done").touch()
    engine.dispose()


def add_programs(engine: sa.Engine, codes: list[str]) -> None:
    """Programs shaped like the demo's CQIC: funders, budget lines, milestones, contributions, indicators."""
    from cqic_budget.models import BudgetLine, Contribution, Funder, Indicator, Milestone, Program

    with engine.begin() as conn:
        cqic = conn.execute(sa.select(Program).where(Program.code == "CQIC")).mappings().one()

        def of_cqic(table):
            return conn.execute(sa.select(table).where(table.program_id == cqic["id"])).mappings().all()

        funders, lines = of_cqic(Funder), of_cqic(BudgetLine)
        milestones, indicators = of_cqic(Milestone), of_cqic(Indicator)
        contributions = conn.execute(
            sa.select(Contribution).join(Funder).where(Funder.program_id == cqic["id"])).mappings().all()
        for n, code in enumerate(codes, start=2):
            values = {k: v for k, v in cqic.items() if k != "id"}
            values.update(code=code, name_fr=f"Programme régional {n:02d}",
                          name_en=f"Regional program {n:02d}")
            program_id = conn.execute(sa.insert(Program).values(**values).returning(Program.id)).scalar_one()
            funder_ids = {}
            for f in funders:
                funder_ids[f["id"]] = conn.execute(sa.insert(Funder).values(
                    **{k: v for k, v in f.items() if k not in ("id", "program_id")}, program_id=program_id,
                ).returning(Funder.id)).scalar_one()
            conn.execute(sa.insert(BudgetLine), [
                {**{k: v for k, v in b.items() if k != "id"}, "program_id": program_id} for b in lines])
            conn.execute(sa.insert(Indicator), [
                {**{k: v for k, v in i.items() if k != "id"}, "program_id": program_id} for i in indicators])
            milestone_ids = {}
            for m in milestones:
                milestone_ids[m["id"]] = conn.execute(sa.insert(Milestone).values(
                    **{k: v for k, v in m.items() if k not in ("id", "program_id", "payment_funder_id")},
                    program_id=program_id, payment_funder_id=funder_ids.get(m["payment_funder_id"]),
                ).returning(Milestone.id)).scalar_one()
            conn.execute(sa.insert(Contribution), [
                {**{k: v for k, v in c.items() if k not in ("id", "funder_id", "milestone_id")},
                 "funder_id": funder_ids[c["funder_id"]],
                 "milestone_id": milestone_ids.get(c["milestone_id"])}
                for c in contributions])


def add_merchants(engine: sa.Engine, scenario: str) -> None:
    """20 000 merchants in all (the demo's included), with a baseline and a follow-up of each indicator for
    those supported; then each merchant-service expense tied to one of its program's merchants."""
    from cqic_budget.db import bump_data_version, session_scope
    from cqic_budget.models import Category, Expense, Indicator, Measurement, Merchant, Program

    rng = random.Random(f"merchants-{scenario}")
    with engine.begin() as conn:
        programs = conn.execute(sa.select(Program.id, Program.code).order_by(Program.id)).all()
        existing = conn.execute(sa.select(sa.func.count()).select_from(Merchant)).scalar_one()
        indicators = conn.execute(sa.select(Indicator.id, Indicator.program_id, Indicator.unit)).all()
        wanted = MERCHANTS - existing
        rows = []
        for n in range(wanted):
            program_id = programs[n % len(programs)][0]
            rows.append({
                "program_id": program_id, "name": f"Commerce {n:05d}", "neq": f"{1140000000 + n}",
                "sector": rng.choice(["retail", "wholesale"]),
                "size_band": rng.choice(["micro", "small", "medium"]), "municipality": rng.choice(TOWNS),
                "enrolment_date": START + timedelta(days=rng.randint(0, 900)),
                "status": rng.choices(["reached", "supported", "completed"], [40, 35, 25])[0],
                "contact_name": None, "contact_email": None, "contact_phone": None, "erased_at": None,
            })
        conn.execute(sa.insert(Merchant), rows)
        merchants = conn.execute(
            sa.select(Merchant.id, Merchant.program_id, Merchant.enrolment_date)
            .where(Merchant.status.in_(["supported", "completed"]), Merchant.name.like("Commerce %"))
        ).all()
        by_program: dict[int, list[tuple[int, str]]] = {}
        for indicator_id, program_id, unit in indicators:
            by_program.setdefault(program_id, []).append((indicator_id, unit))
        measurements = []
        for merchant_id, program_id, enrolled in merchants:
            for indicator_id, unit in by_program.get(program_id, []):
                if unit == "bool":
                    base, follow = Decimal(0), Decimal(rng.random() < 0.6)
                elif unit == "percent":
                    base = Decimal(rng.randint(0, 40)) / 100
                    follow = base + Decimal(rng.randint(-5, 20)) / 100
                else:
                    base = Decimal(rng.randint(1, 30))
                    follow = base + rng.randint(-1, 3)
                measurements += [
                    {"merchant_id": merchant_id, "indicator_id": indicator_id, "date": enrolled,
                     "kind": "baseline", "value": base},
                    {"merchant_id": merchant_id, "indicator_id": indicator_id,
                     "date": min(enrolled + timedelta(days=180), END), "kind": "followup", "value": follow},
                ]
        for start in range(0, len(measurements), 50_000):
            conn.execute(sa.insert(Measurement), measurements[start:start + 50_000])
        services = conn.execute(
            sa.select(Category.id).where(Category.code == "merchant_services")).scalar_one()
        for program_id, _ in programs:
            first, count = conn.execute(
                sa.select(sa.func.min(Merchant.id), sa.func.count()).where(Merchant.program_id == program_id)
            ).one()
            if count:
                conn.execute(
                    sa.update(Expense)
                    .where(Expense.program_id == program_id, Expense.category_id == services,
                           Expense.merchant_id.is_(None))
                    .values(merchant_id=first + Expense.id % count))
    with session_scope(engine) as session:
        bump_data_version(session)
    log(f"  merchants: {wanted:,} added ({MERCHANTS:,} in all), {len(measurements):,} measurements")


# --- measurements -----------------------------------------------------------------------------------------


@dataclass
class PageFigures:
    page: str
    first: float | None = None
    warm: float | None = None
    naive: float | None = None
    browser: float | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)


def quiet_streamlit() -> None:
    """Errors only: Streamlit warns that AppTest runs without a server at every cache clear and run, and
    sets its level again whenever it reads its config."""
    from streamlit import logger

    set_level = logger.set_log_level
    set_level("error")
    logger.set_log_level = lambda level: set_level("error")


def navigation_only() -> None:
    """As tests/conftest.py: AppTest must run the pages through st.navigation, never as a pages/ folder."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


def program_params(scenario: str) -> dict[str, str]:
    params = {"lang": "fr", "as_of": AS_OF.isoformat()}
    if scenario == "many":
        params["program"] = "CQIC"
    return params


def measure_pages(url: str, scenario: str) -> list[PageFigures]:
    """First view (empty data cache) and warm rerun of every page, with AppTest."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["CQIC_DATABASE_URL"] = url
    figures = []
    for path in PAGES:
        page = PageFigures(path.stem)
        figures.append(page)
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(DASHBOARD), default_timeout=600)
        at.query_params.update(program_params(scenario))
        at.run()  # the frame and the default page; the engine is made
        try:
            at.switch_page(f"pages/{path.name}")
        except ValueError:
            page.error = "not in the navigation"
            continue
        st.cache_data.clear()
        started = time.perf_counter()
        at.run()
        page.first = time.perf_counter() - started
        if at.exception:
            page.error = str(at.exception[0].value)[:120]
            continue
        warm = []
        for _ in range(3):
            started = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - started)
        page.warm = statistics.median(warm)
    return figures


def page_builders(path: Path) -> list:
    """The view builders a page's cached edges call: build_* functions of the cqic_budget.views modules
    behind the cqic_budget.ui modules the page imports, taking a session first."""
    source = path.read_text(encoding="utf-8")
    modules = set(re.findall(r"from cqic_budget\.ui\.(\w+) import", source))
    modules |= set(re.findall(r"from cqic_budget\.ui import (\w+) as", source))
    builders = []
    for name in sorted(modules):
        try:
            module = importlib.import_module(f"cqic_budget.views.{name}")
        except ModuleNotFoundError:  # a ui module without a view of its own (brief, closing)
            continue
        for attr, function in vars(module).items():
            own = inspect.isfunction(function) and function.__module__ == module.__name__
            if attr.startswith("build_") and own:
                params = list(inspect.signature(function).parameters.values())
                if params and params[0].name == "session":
                    builders.append(function)
    return builders


def naive_rerun(url: str, scenario: str, path: Path) -> float | None:
    """The page's builders called directly, with no cache (median of 3); None when none can be called."""
    from sqlmodel import Session

    from cqic_budget.auth import LOCAL_USER
    from cqic_budget.db import make_engine

    known = {"program_code": program_params(scenario).get("program"), "as_of": AS_OF, "lang": "fr",
             "user": LOCAL_USER}
    calls = []
    for builder in page_builders(path):
        params = list(inspect.signature(builder).parameters.values())[1:]
        if any(p.default is inspect.Parameter.empty and p.name not in known for p in params):
            continue
        calls.append((builder, {p.name: known[p.name] for p in params if p.name in known}))
    if not calls:
        return None
    engine = make_engine(url)
    times = []
    try:
        for _ in range(3):
            started = time.perf_counter()
            for builder, kwargs in calls:
                with Session(engine) as session:
                    builder(session, **kwargs)
            times.append(time.perf_counter() - started)
    finally:
        engine.dispose()
    return statistics.median(times)


NAIVE_PANDAS = r"""
import sys, time
import pandas as pd
import sqlalchemy as sa
from cqic_budget.db import make_engine
engine = make_engine(sys.argv[1])
started = time.perf_counter()
with engine.connect() as conn:
    if sys.argv[3] == "program":
        program_id = conn.execute(sa.text("SELECT id FROM program WHERE code = 'CQIC'")).scalar_one()
        frame = pd.read_sql(sa.text("SELECT * FROM expense WHERE program_id = :p"), conn,
                            params={"p": program_id})
    else:
        frame = pd.read_sql(sa.text("SELECT * FROM expense"), conn)
frame["date"] = pd.to_datetime(frame["date"])
frame = frame[frame["date"] <= pd.Timestamp(sys.argv[2])]
total = frame["amount_cents"] + frame["gst_cents"] + frame["qst_cents"]
frame["ineligible"] = total.where(~frame["eligible"].astype(bool), 0)
monthly = frame.groupby(["program_id", frame["date"].dt.to_period("M"), "category_id"]).agg(
    eligible=("eligible_cents", "sum"), ineligible=("ineligible", "sum"), expenses=("id", "count"))
elapsed = time.perf_counter() - started
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(elapsed, peak / 1024, len(frame), int(monthly["eligible"].sum()))
"""


def aggregate_figures(url: str, scenario: str) -> dict:
    """The monthly aggregate the pages start from, by SQL GROUP BY (median of 3): load_facts for the one
    program, portfolio_facts for every program of the portfolio; against the naive way, the expense
    table read whole into pandas and grouped there (a child process, with its own peak memory)."""
    from sqlmodel import Session

    from cqic_budget.db import make_engine
    from cqic_budget.metrics.facts import load_facts
    from cqic_budget.metrics.portfolio import portfolio_facts
    from cqic_budget.setup import get_program

    engine = make_engine(url)
    times = []
    with Session(engine) as session:
        program_id = get_program(session, "CQIC").id
        for _ in range(3):
            started = time.perf_counter()
            if scenario == "one":
                facts = [load_facts(session, program_id=program_id, as_of=AS_OF)]
            else:
                facts, _ = portfolio_facts(session, as_of=AS_OF)
            times.append(time.perf_counter() - started)
    engine.dispose()
    sql_cents = int(sum(m.eligible for f in facts for m in f.monthly) * 100)
    scope = "program" if scenario == "one" else "table"
    result = subprocess.run([sys.executable, "-c", NAIVE_PANDAS, url, AS_OF.isoformat(), scope], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                            check=True)
    elapsed, peak, rows, pandas_cents = result.stdout.split()
    if int(pandas_cents) != sql_cents:
        raise SystemExit(f"pandas and SQL disagree: {pandas_cents} != {sql_cents} cents")
    return {"sql": statistics.median(times), "pandas": float(elapsed), "pandas_mb": float(peak),
            "rows": int(rows), "how": "load_facts" if scenario == "one" else "portfolio_facts, 50 programs"}


def merchant_figures(url: str) -> dict:
    """The Merchants & impact page's figures for the CQIC program (median of 3): ours, what the page calls —
    program_impact_facts (E in one SUM) and store_impact (the statistics in SQL, a few rows per indicator
    back); against the naive way, load_facts (the day-by-category grouping) with every baseline → follow-up
    pair read into Python and impact() over them. The two must agree."""
    from sqlmodel import Session

    from cqic_budget.db import make_engine
    from cqic_budget.metrics.facts import load_facts
    from cqic_budget.metrics.impact import impact, load_impact_facts, program_impact_facts, store_impact
    from cqic_budget.setup import get_program

    engine = make_engine(url)
    ours, naive = [], []
    try:
        with Session(engine) as session:
            program = get_program(session, "CQIC")
            for _ in range(3):
                started = time.perf_counter()
                page = program_impact_facts(session, program=program, as_of=AS_OF)
                fast = store_impact(session, ifacts=page)
                ours.append(time.perf_counter() - started)
                started = time.perf_counter()
                facts = load_facts(session, program_id=program.id, as_of=AS_OF)
                ifacts = load_impact_facts(session, facts=facts)
                reference = impact(ifacts)
                naive.append(time.perf_counter() - started)
    finally:
        engine.dispose()
    if fast != reference:
        raise SystemExit("the Merchants & impact figures differ between SQL and Python")
    return {"sql": statistics.median(ours), "python": statistics.median(naive), "pairs": len(ifacts.pairs)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_mb(pid: int) -> dict[str, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    found = {key: re.search(rf"^{key}:\s+(\d+)", status, re.M) for key in ("VmHWM", "VmRSS")}
    return {key: int(match.group(1)) / 1024 for key, match in found.items()}


def browse_app(url: str, scenario: str, figures: list[PageFigures]) -> dict[str, float]:
    """`streamlit run dashboard.py` in a child process; every page opened in headless Chromium, one after
    the other in one tab (first view, the server's caches empty); the process's peak memory."""
    from urllib.parse import urlencode

    from playwright.sync_api import sync_playwright

    port = free_port()
    env = {**os.environ, "CQIC_DATABASE_URL": url}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(DASHBOARD), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit(
                        f"streamlit did not start: {server.stderr.read().decode()[-2000:]}") from None
                time.sleep(0.3)
        before = memory_mb(server.pid)
        query = urlencode(program_params(scenario))
        by_name = {f.page: f for f in figures}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS)
            tab = browser.new_page()
            for path in PAGES:
                figure = by_name[path.stem]
                if figure.error == "not in the navigation":
                    continue
                slug = "" if path.stem == "overview" else path.stem
                started = time.perf_counter()
                tab.goto(f"http://127.0.0.1:{port}/{slug}?{query}")
                tab.wait_for_selector("h1", timeout=120_000)
                tab.wait_for_function(
                    "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=120_000)
                figure.browser = time.perf_counter() - started
            browser.close()
        after = memory_mb(server.pid)
        return {"start_mb": before["VmRSS"], "peak_mb": after["VmHWM"], "rss_mb": after["VmRSS"]}
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


# --- report -----------------------------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return "<0.001" if value < 0.0005 else f"{value:.3f}"


def ratio(naive: float | None, fast: float | None) -> str:
    return "—" if not naive or not fast else f"{naive / fast:.1f}x"


def report(backend: str, scenario: str, figures: list[PageFigures], aggregate: dict, merchant: dict,
           app: dict | None, counts: dict) -> list[str]:
    goal = scenario == "one"
    log("")
    log(f"== {backend} · {scenario}: {counts['programs']} program(s), {counts['expenses']:,} expenses, "
        f"{counts['merchants']:,} merchants, as of {AS_OF} ==")
    log(f"{'page':<12} {'first view':>10} {'warm rerun':>10} {'naive rerun':>11} {'naive/warm':>10} "
        f"{'browser':>8}  goal")
    misses = []
    for f in figures:
        if f.error:
            log(f"{f.page:<12} {f.error}")
            if f.error != "not in the navigation":
                misses.append(f"{scenario}/{f.page}: {f.error}")
            continue
        verdict = ""
        if goal:
            ok = (f.first or 0) <= GOAL_FIRST and (f.warm or 0) <= GOAL_WARM
            verdict = "ok" if ok else "MISS"
            if not ok:
                misses.append(f"{scenario}/{f.page}: first {seconds(f.first)} s, warm {seconds(f.warm)} s")
        log(f"{f.page:<12} {seconds(f.first):>10} {seconds(f.warm):>10} {seconds(f.naive):>11} "
            f"{ratio(f.naive, f.warm):>10} {seconds(f.browser):>8}  {verdict}")
    pandas_ratio = ratio(aggregate["pandas"], aggregate["sql"])
    log(f"monthly aggregate of {aggregate['rows']:,} expenses: SQL GROUP BY ({aggregate['how']}) "
        f"{aggregate['sql']:.3f} s · whole table in pandas {aggregate['pandas']:.3f} s ({pandas_ratio})")
    log(f"merchants & impact figures over {merchant['pairs']:,} baseline → follow-up pairs: SQL "
        f"(program_impact_facts + store_impact) {merchant['sql']:.3f} s · load_facts and the pairs in Python "
        f"(impact()) {merchant['python']:.3f} s ({ratio(merchant['python'], merchant['sql'])})")
    if app is not None:
        verdict = ("ok" if app["peak_mb"] <= GOAL_MEMORY_MB else "MISS") if goal else ""
        log(f"app process: {app['start_mb']:.0f} MB at start, peak {app['peak_mb']:.0f} MB after every page "
            f"(now {app['rss_mb']:.0f} MB) · naive whole-table pandas process: peak "
            f"{aggregate['pandas_mb']:.0f} MB  {verdict}")
        if verdict == "MISS":
            misses.append(f"{scenario}: app peak {app['peak_mb']:.0f} MB")
    return misses


def store_counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return {table: conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
                    for table in ("program", "expense", "merchant")}
    finally:
        engine.dispose()


def main() -> int:
    global TOTAL_EXPENSES, MERCHANTS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--scenario", choices=["one", "many", "both"], default="both")
    parser.add_argument("--rebuild", action="store_true", help="build the stores again")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL bench databases for a rerun")
    parser.add_argument("--no-browser", action="store_true", help="skip the Streamlit server and its memory")
    parser.add_argument("--expenses", type=int, default=TOTAL_EXPENSES, help="a smaller store, for a trial")
    args = parser.parse_args()
    TOTAL_EXPENSES = args.expenses
    MERCHANTS = min(MERCHANTS, max(args.expenses // 50, 1000))
    quiet_streamlit()
    navigation_only()
    scenarios = ["one", "many"] if args.scenario == "both" else [args.scenario]
    misses = []
    for scenario in scenarios:
        url = store_url(args.backend, scenario)
        try:
            if args.rebuild or not store_complete(args.backend, scenario):
                log(f"building the {scenario} store on {args.backend}…")
                started = time.perf_counter()
                build_store(args.backend, scenario)
                log(f"  store built in {time.perf_counter() - started:.0f} s")
            else:
                log(f"reusing the {scenario} store on {args.backend}")
            from cqic_budget.db import make_engine
            from cqic_budget.setup import init_store

            engine = make_engine(url)
            init_store(engine)  # any migration added since the store was built
            engine.dispose()
            raw = store_counts(url)
            counts = {"programs": raw["program"], "expenses": raw["expense"], "merchants": raw["merchant"]}
            figures = measure_pages(url, scenario)
            for f in figures:
                if not f.error:
                    f.naive = naive_rerun(url, scenario, ROOT / "pages" / f"{f.page}.py")
            aggregate = aggregate_figures(url, scenario)
            merchant = merchant_figures(url)
            app = None if args.no_browser else browse_app(url, scenario, figures)
            misses += report(args.backend, scenario, figures, aggregate, merchant, app, counts)
        finally:
            if args.backend == "postgresql" and not args.keep:
                drop_store(args.backend, scenario)
    log("")
    log("every goal met" if not misses else "missed: " + "; ".join(misses))
    return 0 if not misses else 1


if __name__ == "__main__":
    sys.exit(main())
