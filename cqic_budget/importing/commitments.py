"""Import commitments (engagements: signed contracts and purchase orders) from a sheet (SPEC §10).

The file goes through the shared steps of every import (pipeline.open_table: limits, sniffing, safety
checks, reader, header search), so it is refused with the same codes. Each row is checked (reference,
category, date, amount in CAD, fiscal year, status); a row with an error is reported with its sheet row,
column and code and left out. A reference already stored for the program is updated, not duplicated.
One transaction, audited as one event, data version bumped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget import audit, auth
from cqic_budget.budget import CLOSED, OPEN
from cqic_budget.db import bump_data_version, session_scope
from cqic_budget.i18n import t
from cqic_budget.importing.categories import CategoryResolver
from cqic_budget.importing.header import Header, label_key
from cqic_budget.importing.normalise import amount_cents, clean_text, parse_date, text_amount
from cqic_budget.importing.pipeline import (
    DRY_RUN,
    IMPORTED,
    REJECTED,
    TableImportOutcome,
    data_rows,
    open_table,
)
from cqic_budget.importing.refusal import DEFAULT_LIMITS, EMPTY, Limits, Refused
from cqic_budget.importing.validate import RowError
from cqic_budget.models import Commitment
from cqic_budget.periods import FiscalYear, fiscal_year_of
from cqic_budget.setup import get_program

REFERENCE, VENDOR, CATEGORY, FISCAL_YEAR = "reference", "vendor", "category", "fiscal_year"
DATE, AMOUNT, STATUS = "date", "amount", "status"
SYNONYMS: dict[str, tuple[str, ...]] = {
    REFERENCE: ("reference", "no engagement", "engagement", "no de l engagement", "bon de commande",
                "no bon de commande", "no de bon de commande", "contrat", "no contrat", "no de contrat",
                "purchase order", "po", "po no", "commitment", "contract", "contract no"),
    VENDOR: ("fournisseur", "vendor", "supplier", "nom du fournisseur"),
    CATEGORY: ("categorie", "category", "poste budgetaire", "poste", "ligne budgetaire", "budget line"),
    FISCAL_YEAR: ("exercice", "exercice financier", "annee financiere", "fiscal year"),
    DATE: ("date", "date de signature", "date d engagement", "date du contrat", "signature date",
           "commitment date"),
    AMOUNT: ("montant", "montant engage", "montant de l engagement", "amount", "committed amount"),
    STATUS: ("statut", "etat", "status"),
}
_LOOKUP = {key: name for name, keys in SYNONYMS.items() for key in keys}
_STATUS_WORDS = {"ouvert": OPEN, "open": OPEN, "en cours": OPEN, "actif": OPEN, "ferme": CLOSED,
                 "closed": CLOSED, "termine": CLOSED, "clos": CLOSED, "solde": CLOSED}


def _classify(cell: object) -> str | None:
    return _LOOKUP.get(label_key(cell))


def _complete(columns: dict[str, int]) -> bool:
    return REFERENCE in columns and AMOUNT in columns and DATE in columns


@dataclass
class CommitmentImportOutcome(TableImportOutcome):
    @property
    def rows_rejected(self) -> int:
        return len({e.row for e in self.errors})

    def as_json(self, lang: str = "fr") -> dict[str, Any]:
        reason = None
        if self.reason is not None:
            reason = Refused(self.reason, self.reason_detail, **self.reason_params).message(lang)
        return {
            "status": self.status, "file_sha256": self.file_sha256, "rows_read": self.rows_read,
            "rows_imported": self.rows_imported, "created": self.created, "updated": self.updated,
            "rows_rejected": self.rows_rejected, "reason": self.reason, "reason_message": reason,
            "errors": [{"row": e.row, "column": e.column, "code": e.code,
                        "message": t(f"commitment_import.row.{e.code}", lang, **e.params)}
                       for e in self.errors],
        }


@dataclass
class _Row:
    number: int
    values: dict[str, Any]


def _parse(header: Header, facts, session: Session, program) -> tuple[list[_Row], list[RowError], int]:
    categories = CategoryResolver(session)
    rows: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    read = 0
    for row in data_rows(header.sheet, header):
        read += 1
        values: dict[str, Any] = {}
        reference = clean_text(row.cell(REFERENCE))
        if not reference:
            row.problem(REFERENCE, "required")
        elif len(reference) > 120:
            row.problem(REFERENCE, "too-long", reference)
        elif reference.casefold() in seen:
            row.problem(REFERENCE, "duplicate-in-file", reference, first=seen[reference.casefold()])
        else:
            seen[reference.casefold()] = row.number
        values[REFERENCE] = reference
        values[VENDOR] = clean_text(row.cell(VENDOR))[:500]
        try:
            day = parse_date(row.cell(DATE), facts.date1904)
        except (ValueError, TypeError):
            day = None
        if day is None:
            row.problem(DATE, "invalid-date", row.cell(DATE))
        elif not program.start_date <= day <= program.end_date:
            row.problem(DATE, "out-of-period", day.isoformat())
        values[DATE] = day
        raw = row.cell(AMOUNT)
        try:
            if isinstance(raw, str):
                cents, currency, _ = text_amount(raw)
            else:
                cents, currency = amount_cents(raw), None
        except (ValueError, TypeError, ArithmeticError):
            cents, currency = None, None
        if cents is None or cents <= 0 or currency not in (None, "CAD"):
            row.problem(AMOUNT, "invalid-amount", raw)
        values[AMOUNT] = cents
        category_id, reason = categories.resolve(clean_text(row.cell(CATEGORY)))
        if reason or category_id == categories.unclassified_id:
            row.problem(CATEGORY, "unknown-category", row.cell(CATEGORY))
        values[CATEGORY] = category_id
        label = clean_text(row.cell(FISCAL_YEAR))
        if label:
            try:
                year = FiscalYear.from_label(label)
            except ValueError:
                year = None
            if year is None:
                row.problem(FISCAL_YEAR, "invalid-fiscal-year", label)
            values[FISCAL_YEAR] = year.label if year else None
        else:
            values[FISCAL_YEAR] = fiscal_year_of(day).label if day else None
        status_text = label_key(clean_text(row.cell(STATUS)))
        values[STATUS] = _STATUS_WORDS.get(status_text, OPEN if not status_text else None)
        if values[STATUS] is None:
            row.problem(STATUS, "invalid-status", row.cell(STATUS))
        if row.problems:
            errors.extend(row.problems)
        else:
            rows.append(_Row(row.number, values))
    return rows, errors, read


def import_commitments(
    engine: sa.Engine,
    source: bytes | Path | str,
    *,
    file_name: str | None = None,
    program_code: str | None = None,
    user: str = auth.LOCAL_USER,
    dry_run: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> CommitmentImportOutcome:
    """`import-commitments FILE` (permission "edit"; raises auth.Forbidden)."""
    is_bytes = isinstance(source, (bytes, bytearray, memoryview))
    name = file_name or ("" if is_bytes else Path(source).name)
    out = CommitmentImportOutcome(status=DRY_RUN if dry_run else IMPORTED, file_name=name)
    with session_scope(engine) as session:
        auth.require(session, user, "edit")
        program = get_program(session, program_code)
        try:
            table = open_table(source, limits, classify=_classify, complete=_complete)
            out.file_sha256 = table.sha256
            rows, errors, read = _parse(table.header, table.facts, session, program)
            if read == 0:
                raise Refused(EMPTY)
        except Refused as refusal:
            out.status, out.reason = REJECTED, refusal.code
            out.reason_detail, out.reason_params = refusal.detail, dict(refusal.params)
            return out
        out.rows_read, out.errors = read, errors
        stored = {c.reference.casefold(): c for c in session.exec(
            select(Commitment).where(Commitment.program_id == program.id))}
        for row in rows:
            existing = stored.get(row.values[REFERENCE].casefold())
            if existing is None:
                out.created += 1
            else:
                out.updated += 1
            if dry_run:
                continue
            commitment = existing or Commitment(program_id=program.id, reference=row.values[REFERENCE],
                                                vendor="", category_id=row.values[CATEGORY], fiscal_year="",
                                                date=row.values[DATE], amount_cents=0)
            commitment.vendor = row.values[VENDOR]
            commitment.category_id = row.values[CATEGORY]
            commitment.fiscal_year = row.values[FISCAL_YEAR]
            commitment.date = row.values[DATE]
            commitment.amount_cents = row.values[AMOUNT]
            commitment.status = row.values[STATUS]
            commitment.source_row = row.number
            session.add(commitment)
        if not rows:
            out.status = REJECTED
        elif not dry_run:
            try:
                session.flush()
            except sa.exc.IntegrityError:  # the same reference written by another import meanwhile
                session.rollback()
                out.status, out.reason, out.created, out.updated = REJECTED, "busy", 0, 0
                return out
            audit.record(session, user=auth.normalise_email(user), action="commitment.import",
                         entity="commitment", after={"file_name": name, "file_sha256": out.file_sha256,
                                                     "rows_read": read, "created": out.created,
                                                     "updated": out.updated, "rejected": out.rows_rejected})
            bump_data_version(session)
    return out

