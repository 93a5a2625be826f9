"""Benchmark: import a large expense sheet end to end, beside the naive way, for both kinds of .xlsx
(inline strings, as streaming writers save them; a shared-strings part, as Excel saves) and both stores.

    .venv/bin/python bench/import.py                # 200 000 rows, both kinds, SQLite and PostgreSQL
    .venv/bin/python bench/import.py --rows 100000 200000 --stores sqlite --no-naive
    .venv/bin/python bench/import.py --kinds inline --no-stages

The fast path is the real command, run as a subprocess (start-up included) on a fresh store:
`python -m cqic_budget import-expenses FILE --json`. The naive path, also a subprocess on a fresh store:
pandas.read_excel(engine="openpyxl"), one SQLModel Expense per row, session.add_all, commit. The stages
are timed in a third run (a subprocess on a fresh store, the service's steps wrapped with timers).
SQLite stores are files in a temporary folder; PostgreSQL (CQIC_TEST_PG_URL, by default
postgres@127.0.0.1:5432) gets a throw-away database per run, dropped after.
Sheets are written once to bench/out/ and reused: `inline` by openpyxl's write-only mode (inline strings,
no shared-strings part), `shared` by a small streaming writer here (a sharedStrings.xml part, as Excel).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PYTHON = sys.executable
PG_ADMIN_URL = os.environ.get("CQIC_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
KINDS = ("inline", "shared")
STORES = ("sqlite", "postgresql")
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
TITLE = "CQIC — dépenses du programme"

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

# The service's steps, timed where service.py calls them (run in a child process: `--stages FILE`).
STAGES = (
    ("service", "read_source", "read file"),
    ("service", "check", "safety scan"),
    ("service", "fast_header", "read sheet (typed)"),
    ("service", "find_header", "read sheet (general)"),
    ("service", "parse_rows", "normalise + validate"),
    ("service", "_find_duplicates", "duplicates"),
    ("service", "_find_closed", "closed periods"),
    ("service", "unknown_category_labels", "categories"),
    ("commit", "link_merchants", "merchant links"),
    ("commit", "insert_expenses", "insert"),
    ("service", "write_batch", "write batch (with insert)"),
    ("service", "commit", "commit (with write batch)"),
)


# --- the sheets ---------------------------------------------------------------------------------------


def sheet_rows(rows: int) -> Iterator[list]:
    """A realistic expense sheet's data rows: dates, vendors, French categories, taxes (10 % untaxed)."""
    rng = random.Random(rows)
    names = [
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
    vendors = [f"{name} {i}" for i, name in enumerate(names * 30)]
    start = date(2025, 4, 1)
    for i in range(rows):
        amount = Decimal(rng.randint(500, 900_000)) / 100
        taxable = rng.random() > 0.1
        gst = (amount * Decimal("0.05")).quantize(CENT, ROUND_HALF_UP) if taxable else Decimal(0)
        qst = (amount * Decimal("0.09975")).quantize(CENT, ROUND_HALF_UP) if taxable else Decimal(0)
        yield [
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


def write_inline(path: Path, rows: int) -> None:
    """openpyxl's write-only mode: every text cell an inline string (t="inlineStr"), no shared strings."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dépenses")
    sheet.append([TITLE])
    sheet.append([])
    sheet.append(HEADER)
    for row in sheet_rows(rows):
        sheet.append(row)
    workbook.save(path)


_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        'spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Dépenses" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'styles" Target="styles.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        "</styleSheet>"
    ),
}


def write_shared(path: Path, rows: int) -> None:
    """A streaming writer as Excel lays a sheet out: every text cell a shared string (t="s")."""
    strings: dict[str, int] = {}
    uses = 0

    def text(column: str, number: int, value: str) -> str:
        nonlocal uses
        uses += 1
        index = strings.setdefault(value, len(strings))
        return f'<c r="{column}{number}" t="s"><v>{index}</v></c>'

    letters = "ABCDEFGHI"
    epoch = date(1899, 12, 30)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _PARTS.items():
            archive.writestr(name, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            head = [f'<row r="1">{text("A", 1, TITLE)}</row>', '<row r="3">']
            head += [text(letters[j], 3, label) for j, label in enumerate(HEADER)]
            part.write(("".join(head) + "</row>").encode())
            lines = []
            for i, row in enumerate(sheet_rows(rows)):
                n = i + 4
                day, vendor, description, category, invoice, *amounts = row
                cells = [
                    f'<row r="{n}"><c r="A{n}" s="1"><v>{(day - epoch).days}</v></c>',
                    text("B", n, vendor),
                    text("C", n, description),
                    text("D", n, category),
                    text("E", n, invoice),
                ]
                cells += [f'<c r="{letters[5 + j]}{n}"><v>{v!r}</v></c>' for j, v in enumerate(amounts)]
                lines.append("".join(cells) + "</row>")
                if len(lines) == 5000:
                    part.write("".join(lines).encode())
                    lines = []
            part.write(("".join(lines) + "</sheetData></worksheet>").encode())
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                + f'count="{uses}" uniqueCount="{len(strings)}">'.encode()
            )
            items = [f"<si><t>{escape(s)}</t></si>" for s in strings]
            for start in range(0, len(items), 10_000):
                part.write("".join(items[start : start + 10_000]).encode())
            part.write(b"</sst>")


def sheet_file(kind: str, rows: int) -> Path:
    path = OUT / f"expenses_{kind}_{rows}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        (write_inline if kind == "inline" else write_shared)(partial, rows)
        partial.rename(path)
        print(
            f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.1f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
    return path


# --- the stores ---------------------------------------------------------------------------------------


@contextmanager
def fresh_store(store: str) -> Iterator[dict[str, str]]:
    """The environment of a child process whose store is new and initialised (`init`), removed after."""
    if store == "sqlite":
        with tempfile.TemporaryDirectory(prefix="cqic-bench-import-") as folder:
            env = {**os.environ, "CQIC_DATABASE_URL": f"sqlite:///{Path(folder) / 'cqic.db'}"}
            _init(env)
            yield env
        return
    import sqlalchemy as sa

    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"cqic_bench_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        url = sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        env = {**os.environ, "CQIC_DATABASE_URL": url}
        _init(env)
        yield env
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _init(env: dict[str, str]) -> None:
    subprocess.run([PYTHON, "-m", "cqic_budget", "init"], cwd=ROOT, env=env, check=True, capture_output=True)


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Wall time, CPU time, peak resident memory (MB) and output of a command run as a child process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    usage = process_usage.pop(process.pid, None)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {err.decode()[-2000:]}")
    cpu, peak = usage if usage else (float("nan"), float("nan"))
    return elapsed, cpu, peak, out.decode()


process_usage: dict[int, tuple[float, float]] = {}


def _reap_hook() -> None:
    """Popen reaps its child with waitpid; wait4 gives the child's own CPU time and peak memory instead."""
    original = subprocess.Popen._try_wait

    def _try_wait(self, wait_flags):
        try:
            pid, status, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return original(self, wait_flags)
        if pid == self.pid:
            process_usage[pid] = (usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)
        return pid, status

    subprocess.Popen._try_wait = _try_wait


# --- the runs -----------------------------------------------------------------------------------------


def fast(path: Path, store: str, rows: int) -> tuple[float, float, float]:
    with fresh_store(store) as env:
        command = [PYTHON, "-m", "cqic_budget", "import-expenses", str(path), "--json"]
        wall, cpu, peak, out = timed(command, env)
    result = json.loads(out)
    assert result["status"] == "imported" and result["rows_imported"] == rows, result
    return wall, cpu, peak


def naive(path: Path, store: str, rows: int) -> tuple[float, float, float]:
    with fresh_store(store) as env:
        wall, cpu, peak, out = timed([PYTHON, "-c", NAIVE, str(path)], env)
    assert int(out.strip()) == rows
    return wall, cpu, peak


def stages(path: Path, store: str) -> dict[str, float]:
    with fresh_store(store) as env:
        _, _, _, out = timed([PYTHON, str(Path(__file__).resolve()), "--stages", str(path)], env)
    return json.loads(out)


def run_stages(path: str) -> None:
    """In this process: import `path` into the store of CQIC_DATABASE_URL, the service's steps timed."""
    started = time.perf_counter()
    sys.path.insert(0, str(ROOT))  # as `python -m cqic_budget` run from ROOT finds the package
    from cqic_budget.db import make_engine
    from cqic_budget.importing import commit, service

    modules = {"service": service, "commit": commit}
    times: dict[str, list[float]] = {}  # stage -> [wall, cpu] seconds

    def add(label: str, wall: float, cpu: float) -> None:
        spent = times.setdefault(label, [0.0, 0.0])
        spent[0] += wall
        spent[1] += cpu

    def wrap(module, name: str, label: str) -> None:
        function = getattr(module, name)

        def timed_step(*args, **kwargs):
            begun, begun_cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                add(label, time.perf_counter() - begun, time.process_time() - begun_cpu)

        setattr(module, name, timed_step)

    for module, name, label in STAGES:
        if hasattr(modules[module], name):
            wrap(modules[module], name, label)
    add("python start + imports", time.perf_counter() - started, time.process_time())
    engine = make_engine()
    begun, begun_cpu = time.perf_counter(), time.process_time()
    outcome = service.import_file(engine, path)
    add("import_file (all)", time.perf_counter() - begun, time.process_time() - begun_cpu)
    assert outcome.status == "imported", (outcome.status, outcome.reason)
    print(json.dumps(times))


def report(rows: int, kind: str, store: str, with_naive: bool, with_stages: bool) -> dict:
    path = sheet_file(kind, rows)
    label = f"{rows:>7} rows {kind:<6} {store:<10}"
    wall, cpu, peak = fast(path, store, rows)
    line = {"rows": rows, "kind": kind, "store": store, "fast": wall, "fast_cpu": cpu, "fast_peak": peak}
    print(
        f"{label} import-expenses : {wall:6.2f} s (cpu {cpu:5.2f} s) {rows / wall:>9,.0f} rows/s "
        f"peak {peak:5.0f} MB",
        flush=True,
    )
    if with_naive:
        slow, slow_cpu, slow_peak = naive(path, store, rows)
        line.update(naive=slow, naive_cpu=slow_cpu, naive_peak=slow_peak)
        print(
            f"{label} naive           : {slow:6.2f} s (cpu {slow_cpu:5.2f} s) {rows / slow:>9,.0f} rows/s "
            f"peak {slow_peak:5.0f} MB\n"
            f"{label} ratio naive / import-expenses: {slow / wall:5.1f}x wall, {slow_cpu / cpu:5.1f}x cpu",
            flush=True,
        )
    if with_stages:
        found = stages(path, store)
        line["stages"] = found
        print(f"{label} stages (one more run, in process):", flush=True)
        for name, (seconds, cpu) in found.items():
            print(f"{'':>30}{name:<28}{seconds:6.2f} s (cpu {cpu:5.2f} s)", flush=True)
    return line


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[200_000])
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--stores", nargs="+", choices=STORES, default=list(STORES))
    parser.add_argument("--no-naive", action="store_true", help="skip the naive path")
    parser.add_argument("--no-stages", action="store_true", help="skip the run timing each stage")
    parser.add_argument("--stages", metavar="FILE", help=argparse.SUPPRESS)  # the child of stages()
    args = parser.parse_args()
    if args.stages:
        run_stages(args.stages)
        return
    _reap_hook()
    OUT.mkdir(parents=True, exist_ok=True)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
        f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}",
        flush=True,
    )
    lines = []
    for rows in args.rows:
        for kind in args.kinds:
            sheet_file(kind, rows)
        for kind in args.kinds:
            for store in args.stores:
                lines.append(report(rows, kind, store, not args.no_naive, not args.no_stages))
    print("\nsummary (wall seconds; ratio = naive / import-expenses)")
    for line in lines:
        ratio = f"{line['naive'] / line['fast']:5.1f}x" if "naive" in line else "     -"
        naive_wall = f"{line['naive']:6.2f}" if "naive" in line else "     -"
        print(
            f"{line['rows']:>7} rows {line['kind']:<6} {line['store']:<10} import-expenses "
            f"{line['fast']:6.2f} (cpu {line['fast_cpu']:5.2f})  naive {naive_wall}  ratio {ratio}"
        )
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
