"""Benchmark: build the demo's claim-packet PDF, the funder report PDF and the weekly brief PDF, each with the
product's table writer (cqic_budget.pdf.Document.table) beside the naive way (fpdf2's own `table()`, as the
writer was before: kept here only, never in the product), and print the CPU time of each and the ratio.

    .venv/bin/python bench/pdf.py                 # the three documents, fast and naive, best of --repeat
    .venv/bin/python bench/pdf.py --profile fast  # cProfile of the fast packet build (top 25 by cumtime)
    .venv/bin/python bench/pdf.py --only packet --no-naive

The demo is loaded once into a throw-away SQLite file. The packet is claim 2 (the demo's biggest); its time is
the PDF's alone (claim_packet._pdf), the report's and the brief's the whole build from the store.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from collections.abc import Iterable
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fpdf import FontFace  # noqa: E402
from fpdf.enums import TableBordersLayout, TableCellFillMode  # noqa: E402

from cqic_budget import claim_packet  # noqa: E402
from cqic_budget import pdf as pdf_module  # noqa: E402
from cqic_budget.brief import brief_pdf, build_brief  # noqa: E402
from cqic_budget.claim_packet import build_packet  # noqa: E402
from cqic_budget.db import make_engine, session_scope  # noqa: E402
from cqic_budget.demo import load_demo  # noqa: E402
from cqic_budget.report_pdf import build_report_pdf  # noqa: E402
from cqic_budget.setup import init_store  # noqa: E402

AS_OF = date(2026, 10, 31)
CLAIM = 2


def naive_table(
    self, columns: list[str], rows: list[list[str]], widths: list[float] | None = None,
    align: list[str] | None = None, *, bold_rows: Iterable[int] = (), font_size: float = pdf_module.BODY_SIZE,
) -> None:
    """Document.table as it was: one fpdf2 `table()` (header repeated, rows zebra-filled, cells wrapped)."""
    names = {"L": "LEFT", "R": "RIGHT", "C": "CENTER"}
    text_align = tuple(names[a.upper()[:1]] for a in (align or ["L"] * len(columns)))
    bold = set(bold_rows)
    pdf = self._pdf
    if pdf.get_y() + 15 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_font(pdf_module.FONT_FAMILY, "", font_size)
    with pdf.table(
        col_widths=tuple(widths) if widths else None, text_align=text_align,
        headings_style=FontFace(emphasis="BOLD", fill_color=pdf_module.HEADER_FILL),
        cell_fill_color=pdf_module.ZEBRA_FILL, cell_fill_mode=TableCellFillMode.ROWS,
        borders_layout=TableBordersLayout.SINGLE_TOP_LINE,
        line_height=pdf_module.LINE_MM * font_size / pdf_module.BODY_SIZE, padding=(0.8, 1.2),
        width=pdf.epw, v_align="TOP", repeat_headings=1,
    ) as table:
        head = table.row()
        for name in columns:
            head.cell(pdf_module._clean(name))
        for index, values in enumerate(rows):
            row = table.row(style=FontFace(emphasis="BOLD") if index in bold else None)
            for value in values:
                row.cell(pdf_module._clean(value))
    pdf.set_font(pdf_module.FONT_FAMILY, "", pdf_module.BODY_SIZE)
    pdf.ln(2)


@contextmanager
def naive():
    fast = pdf_module.Document.table
    pdf_module.Document.table = naive_table
    try:
        yield
    finally:
        pdf_module.Document.table = fast


def packet_pdf(session) -> bytes:
    """The packet's PDF alone: build_packet runs in full, the clock counts claim_packet._pdf only."""
    inner, spent = claim_packet._pdf, []

    def counted(context):
        start = time.process_time()
        try:
            return inner(context)
        finally:
            spent.append(time.process_time() - start)

    claim_packet._pdf = counted
    try:
        data = build_packet(session, CLAIM).files[f"reclamation-{CLAIM:03d}-etat-des-depenses.pdf"]
    finally:
        claim_packet._pdf = inner
    return Timed(data, spent[0])


class Timed(bytes):
    """PDF bytes that carry the CPU time of the part worth timing."""

    seconds: float

    def __new__(cls, data: bytes, seconds: float):
        made = super().__new__(cls, data)
        made.seconds = seconds
        return made


def documents(session):
    return {
        "packet": lambda: packet_pdf(session),
        "report": lambda: build_report_pdf(session, as_of=AS_OF, lang="fr"),
        "brief": lambda: brief_pdf(build_brief(session, program_code=None, as_of=AS_OF, lang="fr")),
    }


def timed(build, repeat: int) -> tuple[float, bytes]:
    best, data = float("inf"), b""
    for _ in range(repeat):
        start = time.process_time()
        data = build()
        best = min(best, getattr(data, "seconds", time.process_time() - start))
    return best, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=["packet", "report", "brief"])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--profile", choices=["fast", "naive"])
    parser.add_argument("--out", type=Path, help="folder to write the fast (and naive) PDFs into")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        init_store(engine)
        with session_scope(engine) as session:
            load_demo(session)
        with session_scope(engine) as session:
            builds = documents(session)
            if args.profile:
                with naive() if args.profile == "naive" else contextmanager(lambda: (yield))():
                    profile = cProfile.Profile()
                    profile.runcall(builds[args.only[0]])
                pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
                return
            print(f"{'document':<8} {'fast s':>8} {'naive s':>8} {'ratio':>7} {'pages':>6}")
            for name in args.only:
                fast, data = timed(builds[name], args.repeat)
                pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
                if args.out:
                    args.out.mkdir(parents=True, exist_ok=True)
                    (args.out / f"{name}-fast.pdf").write_bytes(data)
                if args.no_naive:
                    print(f"{name:<8} {fast:8.2f} {'-':>8} {'-':>7} {pages:6d}")
                    continue
                with naive():
                    slow, old = timed(builds[name], args.repeat)
                if args.out:
                    (args.out / f"{name}-naive.pdf").write_bytes(old)
                print(f"{name:<8} {fast:8.2f} {slow:8.2f} {slow / fast:6.1f}x {pages:6d}")


if __name__ == "__main__":
    main()
