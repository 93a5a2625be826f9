"""A claim's packet (SPEC §9): the .xlsx and the bilingual PDF « état des dépenses » (French first) with
every expense line and its file and row of origin, totals by category, the computation of the amount
claimed, and a manifest of SHA-256s (each file, and the canonical lines) so that the funder can check
that nothing changed. Built twice from the same store, every byte is the same.

Merchant personal data is masked as for a funder: descriptions of merchant-linked expenses are replaced
(merchants.expense_description); the packet needs the "reports" permission, which funders have.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlmodel import Session

from cqic_budget.auth import LOCAL_USER, require
from cqic_budget.claims import _get, _program, claim_lines_text, computation
from cqic_budget.closing import canonical_json, sha256_of
from cqic_budget.i18n import format_date, format_money, t
from cqic_budget.importing.templates import deterministic_xlsx_bytes
from cqic_budget.merchants import expense_description
from cqic_budget.models import Category, ClaimExpense, Expense, ImportBatch
from cqic_budget.money import from_cents
from cqic_budget.pdf import Document
from cqic_budget.queries import category_labels, claim_category_totals
from cqic_budget.safe_text import neutralise_cell

LANGS = ("fr", "en")
MANIFEST = "manifest.json"
_ZIP_TIME = (2026, 4, 1, 9, 0, 0)


@dataclass(frozen=True)
class PacketLine:
    expense_id: int
    date: date
    vendor: str
    description: str  # masked for merchant-linked expenses
    invoice: str
    category: str  # code
    amount_cents: int
    gst_cents: int
    qst_cents: int
    eligible_cents: int  # as claimed
    file_name: str
    source_row: int | None

    @property
    def total_cents(self) -> int:
        return self.amount_cents + self.gst_cents + self.qst_cents

    def canonical(self) -> list:
        return [
            self.expense_id,
            self.date.isoformat(),
            self.category,
            self.amount_cents,
            self.gst_cents,
            self.qst_cents,
            self.eligible_cents,
            self.file_name,
            self.source_row,
        ]


@dataclass(frozen=True)
class Packet:
    number: int
    files: dict[str, bytes]  # file name -> bytes, the manifest last

    def zip_bytes(self) -> bytes:
        """The packet as one .zip (fixed timestamps: the same bytes every time)."""
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files.items():
                archive.writestr(
                    zipfile.ZipInfo(name, date_time=_ZIP_TIME), data, compress_type=zipfile.ZIP_DEFLATED
                )
        return out.getvalue()


def _lines(session: Session, claim_id: int) -> list[PacketLine]:
    rows = session.execute(
        sa.select(
            Expense.id,
            Expense.date,
            Expense.vendor,
            expense_description(personal=False, lang="fr"),
            Expense.invoice_number,
            Category.code,
            Expense.amount_cents,
            Expense.gst_cents,
            Expense.qst_cents,
            ClaimExpense.eligible_cents,
            ImportBatch.file_name,
            Expense.source_row,
        )
        .join(ClaimExpense, ClaimExpense.expense_id == Expense.id)
        .join(Category, Category.id == Expense.category_id)
        .outerjoin(ImportBatch, ImportBatch.id == Expense.batch_id)
        .where(ClaimExpense.claim_id == claim_id)
        .order_by(Expense.date, Expense.id)
    ).all()
    return [
        PacketLine(
            int(i), d, v or "", desc or "", inv or "", cat, int(a), int(g), int(q), int(el), f or "", row
        )
        for i, d, v, desc, inv, cat, a, g, q, el, f, row in rows
    ]


def _both(key: str, **params: object) -> str:
    """« français / English » for headings and column names."""
    fr, en = (t(key, lang, **params) for lang in LANGS)
    return fr if fr == en else f"{fr} / {en}"


def build_packet(
    session: Session, number: int, *, program_code: str | None = None, user: str = LOCAL_USER
) -> Packet:
    """The packet of claim `number`: its .xlsx, its PDF and the manifest of their SHA-256s."""
    require(session, user, "reports")
    program = _program(session, program_code)
    claim = _get(session, program, number, lock=False)
    lines = _lines(session, claim.id)
    result = computation(session, number, program_code=program.code)
    labels = {c.code: (c.label_fr, c.label_en) for c in category_labels(session)}
    by_category = {c.category: [c.total_cents, c.eligible_cents, c.expenses]
                   for c in claim_category_totals(session, claim_id=claim.id)}
    stem = f"reclamation-{claim.number:03d}-etat-des-depenses"
    context = _Context(
        program.code, program.name_fr, program.name_en, claim, lines, by_category, labels, result
    )
    files = {f"{stem}.xlsx": _workbook(context), f"{stem}.pdf": _pdf(context)}
    manifest = {
        "program": program.code,
        "claim": claim.number,
        "fiscal_year": claim.fiscal_year,
        "period": [claim.period_from.isoformat(), claim.period_to.isoformat()],
        "status": claim.status,
        "eligible": f"{from_cents(claim.eligible_cents):.2f}",
        "claimed": f"{from_cents(claim.claimed_cents):.2f}",
        "expenses": len(lines),
        "lines_sha256": sha256_of(canonical_json([line.canonical() for line in lines])),
        "files": {name: sha256_of_bytes(data) for name, data in files.items()},
    }
    files[MANIFEST] = (canonical_json(manifest) + "\n").encode("utf-8")
    return Packet(claim.number, files)


def sha256_of_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def write_packet(
    session: Session, number: int, out_dir: Path, *, program_code: str | None = None, user: str = LOCAL_USER
) -> list[Path]:
    packet = build_packet(session, number, program_code=program_code, user=user)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in packet.files.items():
        path = out_dir / name
        path.write_bytes(data)
        paths.append(path)
    return paths


@dataclass(frozen=True)
class _Context:
    code: str
    name_fr: str
    name_en: str
    claim: object
    lines: list[PacketLine]
    by_category: dict[str, list[int]]
    labels: dict[str, tuple[str, str]]
    result: object

    def french(self, code: str) -> str:
        return self.labels.get(code, (code, code))[0]

    def category(self, code: str) -> str:
        fr, en = self.labels.get(code, (code, code))
        return fr if fr == en else f"{fr} / {en}"


COLUMNS = (
    "date",
    "vendor",
    "description",
    "invoice",
    "category",
    "amount",
    "gst",
    "qst",
    "total",
    "eligible",
    "file",
    "row",
)


def _workbook(ctx: _Context) -> bytes:
    claim = ctx.claim
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Lignes - Lines"
    sheet.append([_both("packet.title", number=claim.number)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(
        [_both("packet.period", start=claim.period_from.isoformat(), end=claim.period_to.isoformat())]
    )
    sheet.append([])
    sheet.append([_both(f"packet.col.{c}") for c in COLUMNS])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for line in ctx.lines:
        sheet.append(
            [
                neutralise_cell(v)
                for v in (
                    line.date,
                    line.vendor,
                    line.description,
                    line.invoice,
                    ctx.category(line.category),
                    from_cents(line.amount_cents),
                    from_cents(line.gst_cents),
                    from_cents(line.qst_cents),
                    from_cents(line.total_cents),
                    from_cents(line.eligible_cents),
                    line.file_name,
                    line.source_row,
                )
            ]
        )
        sheet.cell(sheet.max_row, 1).number_format = "yyyy-mm-dd"
    totals = workbook.create_sheet("Totaux - Totals")
    totals.append(
        [
            _both("packet.col.category"),
            _both("packet.col.expenses"),
            _both("packet.col.total"),
            _both("packet.col.eligible"),
        ]
    )
    for code, (total, eligible, count) in sorted(ctx.by_category.items()):
        totals.append([ctx.category(code), count, from_cents(total), from_cents(eligible)])
    totals.append(
        [
            _both("packet.total"),
            len(ctx.lines),
            from_cents(sum(v[0] for v in ctx.by_category.values())),
            from_cents(claim.eligible_cents),
        ]
    )
    steps = workbook.create_sheet("Calcul - Computation")
    for lang in LANGS:
        for text in claim_lines_text(ctx.result, lang):
            steps.append([text])
        steps.append([])
    for ws in (sheet, totals):
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
    return deterministic_xlsx_bytes(workbook)


def _origin(line: PacketLine) -> str:
    """« fichier.xlsx, l. 12 », or « — » for an expense entered without a file."""
    if not line.file_name:
        return "—"
    return f"{line.file_name}, l. {line.source_row}" if line.source_row is not None else line.file_name


def _pdf(ctx: _Context) -> bytes:
    claim = ctx.claim
    doc = Document(
        title=_both("packet.title", number=claim.number),
        program_name=ctx.name_fr,
        as_of=claim.period_to,
        lang="fr",
    )
    doc.heading(_both("packet.title", number=claim.number))
    doc.key_values(
        [
            (
                _both("packet.period_label"),
                f"{format_date(claim.period_from, 'fr')} → {format_date(claim.period_to, 'fr')}",
            ),
            (_both("packet.fiscal_year"), claim.fiscal_year),
            (_both("packet.status"), " / ".join(t(f"claims.status.{claim.status}", lang) for lang in LANGS)),
            (_both("packet.expenses"), str(len(ctx.lines))),
            (_both("packet.eligible"), format_money(from_cents(claim.eligible_cents), "fr")),
            (_both("packet.claimed"), format_money(from_cents(claim.claimed_cents), "fr")),
        ]
    )
    for lang in LANGS:
        doc.heading(t("packet.computation", lang))
        for text in claim_lines_text(ctx.result, lang):
            doc.paragraph(text)
    doc.heading(_both("packet.by_category"))
    rows = [
        [
            ctx.category(code),
            str(count),
            format_money(from_cents(total), "fr"),
            format_money(from_cents(eligible), "fr"),
        ]
        for code, (total, eligible, count) in sorted(ctx.by_category.items())
    ]
    rows.append(
        [
            _both("packet.total"),
            str(len(ctx.lines)),
            format_money(from_cents(sum(v[0] for v in ctx.by_category.values())), "fr"),
            format_money(from_cents(claim.eligible_cents), "fr"),
        ]
    )
    doc.table(
        [
            _both("packet.col.category"),
            _both("packet.col.expenses"),
            _both("packet.col.total"),
            _both("packet.col.eligible"),
        ],
        rows,
        widths=[40, 12, 24, 24],
        align=["L", "R", "R", "R"],
        bold_rows=[len(rows) - 1],
    )
    doc.heading(_both("packet.lines"))
    doc.paragraph(t("packet.lines_note", "fr") + " " + t("packet.lines_note", "en"))
    doc.table(
        [_both(f"packet.col.{c}") for c in ("date", "vendor", "invoice", "category", "total", "eligible",
                                             "origin")],
        [[line.date.isoformat(), line.vendor, line.invoice, ctx.french(line.category),
          format_money(from_cents(line.total_cents), "fr"),
          format_money(from_cents(line.eligible_cents), "fr"), _origin(line)]
         for line in ctx.lines],
        widths=[19, 29, 21, 27, 18, 21, 19], align=["L", "L", "L", "L", "R", "R", "L"],
    )
    return doc.to_bytes()
