"""Benchmark: import a 100 000-row and a 200 000-row expense sheet end to end, against the naive way.

    .venv/bin/python bench/import.py                  # both sizes, fast path and naive path
    .venv/bin/python bench/import.py --rows 200000 --no-naive

The fast path is the real command, run as a subprocess (start-up included) on a fresh SQLite store:
`python -m cqic_budget import-expenses FILE --json`. The naive path, also a subprocess on a fresh store:
pandas.read_excel(engine="openpyxl"), one SQLModel Expense per row, session.add_all, commit.
Sheets are written once to bench/out/ (openpyxl write-only mode) and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
HEADER = [
    "Date",
    "Fournisseur",
    "Description",
    "Catégorie",
    "No facture",
    "Montant avant taxes",
    "TPS",
    "TVQ",
    "Total",
]
CATEGORIES = [
    "Honoraires professionnels",
    "Déplacements et missions",
    "Marketing et événements",
    "Équipement et logiciels",
    "Services d'accompagnement aux commerçants",
    "Frais d'administration",
]
CENT = Decimal("0.01")

NAIVE = r"""
import sys
from decimal import Decimal
import pandas as pd
from sqlmodel import Session, select
from cqic_budget.db import make_engine
from cqic_budget.models import Category, Expense, Program
from cqic_budget.money import eligible_cents, to_cents

frame = pd.read_excel(sys.argv[1], engine="openpyxl", header=2)
engine = make_engine()
with Session(engine) as session:
    program = session.exec(select(Program)).first()
    categories = {c.label_fr: c.id for c in session.exec(select(Category))}
    unclassified = next(c.id for c in session.exec(select(Category)) if c.code == "unclassified")
    expenses = []
    for row in frame.itertuples(index=False):
        amount, gst, qst = (to_cents(Decimal(str(v))) for v in (row[5], row[6], row[7]))
        expenses.append(Expense(
            program_id=program.id, date=row[0].date(), vendor=str(row[1]), description=str(row[2]),
            category_id=categories.get(row[3], unclassified), invoice_number=str(row[4]), amount_cents=amount,
            gst_cents=gst, qst_cents=qst,
            eligible_cents=eligible_cents(amount, gst, qst, program.tax_recovery_rate)))
    session.add_all(expenses)
    session.commit()
print(len(expenses))
"""


def write_sheet(path: Path, rows: int) -> None:
    """A realistic expense sheet: a title, the header on row 3, dates, vendors, French categories, taxes."""
    from openpyxl import Workbook

    rng = random.Random(rows)
    vendors = [
        f"{name} {i}"
        for i, name in enumerate(
            [
                "Groupe Conseil Numérique",
                "Bell Canada",
                "Vidéotron Affaires",
                "Dell Canada",
                "Lavery avocats",
                "Agence Marketing Boréal",
                "Hôtel Sheraton Laval",
                "Commerce Numérique Québec",
                "Via Rail Canada",
                "Imprimerie Laval Express",
            ]
            * 30
        )
    ]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dépenses")
    sheet.append(["CQIC — dépenses du programme"])
    sheet.append([])
    sheet.append(HEADER)
    start = date(2025, 4, 1)
    for i in range(rows):
        amount = Decimal(rng.randint(500, 900_000)) / 100
        taxable = rng.random() > 0.1
        gst = (amount * Decimal("0.05")).quantize(CENT, ROUND_HALF_UP) if taxable else Decimal(0)
        qst = (amount * Decimal("0.09975")).quantize(CENT, ROUND_HALF_UP) if taxable else Decimal(0)
        sheet.append(
            [
                start + timedelta(days=rng.randint(0, 1000)),
                rng.choice(vendors),
                f"Accompagnement numérique, mandat {i % 977}",
                rng.choice(CATEGORIES),
                f"F-{i:07d}",
                float(amount),
                float(gst),
                float(qst),
                float(amount + gst + qst),
            ]
        )
    workbook.save(path)


def fresh_store(name: str) -> dict[str, str]:
    database = OUT / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    env = {**os.environ, "CQIC_DATABASE_URL": f"sqlite:///{database}"}
    subprocess.run([PYTHON, "-m", "cqic_budget", "init"], cwd=ROOT, env=env, check=True, capture_output=True)
    return env


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Wall time, CPU time, peak resident memory (MB) and output of a command run as a child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out = process.stdout.read()
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)  # reaps the child and gives its own peak memory
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {err.decode()[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.decode()


def run(rows: int, naive: bool) -> None:
    sheet = OUT / f"expenses_{rows}.xlsx"
    if not sheet.exists():
        started = time.perf_counter()
        write_sheet(sheet, rows)
        print(
            f"wrote {sheet.relative_to(ROOT)} ({sheet.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
    env = fresh_store(f"fast_{rows}")
    fast, fast_cpu, fast_peak, out = timed(
        [PYTHON, "-m", "cqic_budget", "import-expenses", str(sheet), "--json"], env
    )
    result = json.loads(out)
    assert result["status"] == "imported" and result["rows_imported"] == rows, result
    print(
        f"{rows:>7} rows  import-expenses        : {fast:6.2f} s (cpu {fast_cpu:5.2f} s) "
        f"{rows / fast:>9,.0f} rows/s  peak {fast_peak:5.0f} MB"
    )
    if naive:
        env = fresh_store(f"naive_{rows}")
        slow, slow_cpu, slow_peak, out = timed([PYTHON, "-c", NAIVE, str(sheet)], env)
        assert int(out.strip()) == rows
        print(
            f"{rows:>7} rows  naive (pandas, add_all): {slow:6.2f} s (cpu {slow_cpu:5.2f} s) "
            f"{rows / slow:>9,.0f} rows/s  peak {slow_peak:5.0f} MB"
        )
        print(
            f"{rows:>7} rows  ratio naive / import-expenses: {slow / fast:5.1f}x wall, "
            f"{slow_cpu / fast_cpu:5.1f}x cpu"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 200_000])
    parser.add_argument("--no-naive", action="store_true", help="skip the naive path")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
        f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    for rows in args.rows:
        run(rows, not args.no_naive)


if __name__ == "__main__":
    main()
