"""Benchmark: the Merchants & impact statistics at 20 000 merchants (~72 000 baseline → follow-up pairs),
in SQL (metrics.impact.store_impact, what the page calls) beside the Python reference
(load_impact_facts + impact()), without the 1 000 000 expenses of bench/scale.py (which measures the
whole page).

    .venv/bin/python bench/impact.py                         # SQLite (store kept under bench/out/impact/)
    .venv/bin/python bench/impact.py --backend postgresql    # a bench database, created and dropped

The store is `init --demo` plus bench/scale.py's 20 000 merchants and their measurements (add_merchants).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import sqlalchemy as sa  # noqa: E402
from scale import PG_ADMIN_URL, add_merchants  # noqa: E402

from cqic_budget.auth import LOCAL_USER  # noqa: E402
from cqic_budget.db import make_engine, session_scope  # noqa: E402
from cqic_budget.demo import load_demo  # noqa: E402
from cqic_budget.metrics.facts import load_facts  # noqa: E402
from cqic_budget.metrics.impact import impact, load_impact_facts, store_impact  # noqa: E402
from cqic_budget.models import Measurement, Merchant  # noqa: E402
from cqic_budget.setup import get_program, init_store  # noqa: E402

OUT = ROOT / "bench" / "out" / "impact"
AS_OF_TEXT = "2028-03-31"
RUNS = 5


def build(url: str) -> None:
    engine = make_engine(url)
    init_store(engine)
    with session_scope(engine) as session:
        load_demo(session, user=LOCAL_USER)
    add_merchants(engine, "one")
    engine.dispose()


def timed(function, runs: int = RUNS) -> tuple[str, object]:
    """Median wall and CPU seconds of this process (SQLite runs in it; PostgreSQL's server does not)."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return f"{statistics.median(walls):.3f} s ({statistics.median(cpus):.3f} s CPU)", result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    args = parser.parse_args()
    admin = None
    if args.backend == "sqlite":
        OUT.mkdir(parents=True, exist_ok=True)
        path = OUT / "impact.db"
        url = f"sqlite:///{path}"
        if not path.exists():
            build(url)
    else:
        admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text('DROP DATABASE IF EXISTS "cqic_bench_impact" WITH (FORCE)'))
            conn.execute(sa.text('CREATE DATABASE "cqic_bench_impact"'))
        url = sa.engine.make_url(PG_ADMIN_URL).set(database="cqic_bench_impact").render_as_string(False)
        build(url)
        with make_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            from datetime import date
            program = get_program(session)
            facts = load_facts(session, program_id=program.id, as_of=date.fromisoformat(AS_OF_TEXT))
            merchants = session.execute(sa.select(sa.func.count()).select_from(Merchant)).scalar_one()
            measurements = session.execute(sa.select(sa.func.count()).select_from(Measurement)).scalar_one()
            print(f"== {args.backend}: {merchants:,} merchants, {measurements:,} measurements ==")
            python_s, reference = timed(lambda: impact(load_impact_facts(session, facts=facts)))
            sql_s, fast = timed(lambda: store_impact(session, facts=facts))
            pairs = sum(c.merchants for c in reference.indicators)
            where = {"sector": ("retail",), "municipality": ("Laval", "Montréal")}
            python_f, reference_f = timed(lambda: impact(load_impact_facts(session, facts=facts), where))
            sql_f, fast_f = timed(lambda: store_impact(session, facts=facts, where=where))
        print(f"pairs: {pairs:,}; identical: {fast == reference} (all), {fast_f == reference_f} (filtered)")
        print(f"all merchants: Python {python_s}, SQL {sql_s}")
        load = os.getloadavg()[0]
        print(f"filtered:      Python {python_f}, SQL {sql_f}   (median of {RUNS}; load average {load:.1f})")
    finally:
        engine.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(sa.text('DROP DATABASE IF EXISTS "cqic_bench_impact" WITH (FORCE)'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
