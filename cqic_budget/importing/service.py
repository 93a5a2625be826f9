"""The import service: preview (analyse) a file without writing, commit it, and say what happened.

The command line (`import-expenses`) and the Upload page both go through here; roles are checked here.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget import auth
from cqic_budget.closing import locked_on, locked_periods
from cqic_budget.currency import CAD, load_rate_book
from cqic_budget.db import lock_program_writes, session_scope
from cqic_budget.i18n import format_money, t
from cqic_budget.importing import dedup
from cqic_budget.importing.categories import UNKNOWN_CATEGORY, CategoryResolver
from cqic_budget.importing.commit import issues_of, write_batch
from cqic_budget.importing.fast import fast_header
from cqic_budget.importing.header import DATE, Header, find_header, label_key
from cqic_budget.importing.pipeline import (
    DRY_RUN,
    DUPLICATE_FILE,
    IMPORTED,
    REJECTED,
    ImportOutcome,
    outcome_text,
    read_source,
)
from cqic_budget.importing.reader import read_sheets
from cqic_budget.importing.refusal import DEFAULT_LIMITS, EMPTY, NO_HEADER, TOO_LARGE, Limits, Refused
from cqic_budget.importing.safety import check
from cqic_budget.importing.sniff import sniff
from cqic_budget.importing.validate import (
    DUPLICATE,
    TOTAL_MISMATCH,
    CurrencyRules,
    ParsedRows,
    RowError,
    parse_rows,
)
from cqic_budget.models import Commitment, Program
from cqic_budget.money import from_cents
from cqic_budget.setup import get_program

CLOSED_PERIOD = "closed-period"  # a row dated in a closed fiscal year or in a submitted claim (SPEC §4)
STRICT = "strict"


@dataclass
class Outcome(ImportOutcome):
    """What an expense import did (or, for a dry run, would do). `errors` holds rejected rows, totals-row
    warnings and duplicates, each with the sheet row, the column as headed in the file and a code."""

    rows_imported: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    batch_id: int | None = None
    sheet: str | None = None
    header_row: int | None = None
    lang: str = "fr"

    @property
    def refused(self) -> bool:
        """The file as a whole was refused (SPEC §4 codes, duplicate file, unknown program), not `strict`."""
        return self.reason not in (None, STRICT)

    @property
    def reason_message(self) -> str | None:
        return self.reason_text(self.lang)

    def reason_text(self, lang: str = "fr") -> str | None:
        """Why nothing (or not everything) was imported, in words; None when all went in."""
        if self.reason is None:
            return t("import.reason.nothing", lang) if self.status == REJECTED else None
        if self.reason == STRICT:
            return t("import.reason.strict", lang)
        return Refused(self.reason, self.reason_detail, **self.reason_params).message(lang)


@dataclass
class Analysis:
    """A file read, checked and validated, nothing written: the preview of the Upload page."""

    file_name: str
    file_sha256: str
    lang: str = "fr"
    refusal: Refused | None = None
    parsed: ParsedRows | None = None
    keep: list[int] = field(default_factory=list)  # indexes into parsed of the rows to import
    duplicates: list[RowError] = field(default_factory=list)
    duplicate_batch: dict[str, Any] | None = None
    # Category labels no category, label or mapping knows, as written in the file, with their row counts
    # (an import classes them « À classer »): the preview shows them before anything is written.
    unknown_categories: list[tuple[str, int]] = field(default_factory=list)
    closed: list[RowError] = field(default_factory=list)  # rows dated in a closed year or submitted claim

    @property
    def rows_rejected(self) -> int:
        return (len(self.parsed.rejected_rows) if self.parsed is not None else 0) + len(self.closed)

    def errors(self) -> list[RowError]:
        found = list(self.parsed.errors) if self.parsed is not None else []
        return sorted(found + self.closed + self.duplicates, key=lambda e: (e.row, e.code == DUPLICATE))

    def outcome(self, *, strict: bool = False, dry_run: bool = True) -> Outcome:
        """The outcome of this analysis as a dry run (or the refusal/rejection a commit would give)."""
        out = Outcome(status=DRY_RUN, file_name=self.file_name, file_sha256=self.file_sha256, lang=self.lang)
        if self.refusal is not None:
            out.status, out.reason = REJECTED, self.refusal.code
            out.reason_detail, out.reason_params = self.refusal.detail, dict(self.refusal.params)
            return out
        if self.duplicate_batch is not None:
            out.status, out.reason, out.reason_params = (
                DUPLICATE_FILE,
                DUPLICATE_FILE,
                dict(self.duplicate_batch),
            )
            return out
        parsed = self.parsed
        out.sheet, out.header_row = parsed.header.sheet.name, _header_row_number(parsed.header)
        out.rows_read, out.rows_rejected = parsed.rows_read, self.rows_rejected
        out.rows_duplicate, out.errors = len(self.duplicates), self.errors()
        out.rows_imported = len(self.keep)
        if strict and out.rows_rejected:
            out.status, out.reason, out.rows_imported = REJECTED, STRICT, 0
        elif not self.keep:
            out.status, out.rows_imported = REJECTED, 0
        elif not dry_run:
            out.status = IMPORTED
        return out

    def preview(self, *, only_problems: bool = False, limit: int | None = 500) -> list[dict[str, Any]]:
        """Rows for display: sheet row, status (ok / rejected / duplicate), fields, and the reasons."""
        parsed = self.parsed
        if parsed is None:
            return []
        by_row: dict[int, list[RowError]] = {}
        for error in self.errors():
            by_row.setdefault(error.row, []).append(error)
        kept = set(self.keep)
        closed = {e.row for e in self.closed}
        rows: list[dict[str, Any]] = []
        for i, number in enumerate(parsed.source_rows):
            problems = by_row.pop(number, [])
            if only_problems and not problems:
                continue
            rows.append(
                {
                    "row": number,
                    "status": "ok" if i in kept else REJECTED if number in closed else DUPLICATE,
                    "date": parsed.dates[i].isoformat(),
                    "vendor": parsed.vendors[i],
                    "description": parsed.descriptions[i],
                    "category": parsed.categories[i],
                    "invoice": parsed.invoices[i],
                    "amount": from_cents(parsed.amounts[i]),
                    "gst": from_cents(parsed.gsts[i]),
                    "qst": from_cents(parsed.qsts[i]),
                    "total": from_cents(parsed.amounts[i] + parsed.gsts[i] + parsed.qsts[i]),
                    **_written(parsed, i),
                    "problems": "; ".join(error_message(e, self.lang) for e in problems),
                    "codes": [e.code for e in problems],
                }
            )
        for number, problems in by_row.items():
            values = parsed.values(number)
            rows.append(
                {
                    "row": number,
                    "status": REJECTED if any(e.counts_as_rejected for e in problems) else "total",
                    "values": values,
                    "problems": "; ".join(error_message(e, self.lang) for e in problems),
                    "codes": [e.code for e in problems],
                }
            )
        rows.sort(key=lambda r: r["row"])
        return rows[:limit] if limit is not None else rows


def _written(parsed: ParsedRows, i: int) -> dict[str, Any]:
    """A preview row's currency: the amounts above are CAD; a foreign row also shows them as written."""
    conversion = parsed.foreign.get(i)
    if conversion is None:
        return {"currency": CAD}
    return {"currency": conversion.currency, "written_total": from_cents(sum(conversion.written)),
            "fx_rate": conversion.rate, "fx_source": conversion.source}


def error_message(error: RowError, lang: str = "fr") -> str:
    params = dict(error.params)
    if error.code == CLOSED_PERIOD:
        params["lock"] = t(f"funding.locked.{params.get('reason')}", lang, label=params.get("label", ""))
    for name in ("total", "expected", "read"):
        if isinstance(params.get(name), int):
            params[name] = format_money(from_cents(params[name]), lang)
    key = f"import.row.{error.code}"
    if error.code == DUPLICATE:
        key += f".{params.get('where', 'store')}"
    elif error.code == TOTAL_MISMATCH and not error.counts_as_rejected:
        key += ".totals-row"
    return t(key, lang, **params)


def review_reasons(reason: str, lang: str = "fr") -> list[str]:
    """An expense's review_reason ("gst-differs|unknown-category:frais divers") in words."""
    words = []
    for part in filter(None, (reason or "").split("|")):
        code, _, label = part.partition(":")
        words.append(
            t(f"import.review.{code}", lang, label=label) if label else t(f"import.review.{code}", lang)
        )
    return words


def _header_row_number(header: Header) -> int:
    return header.sheet.first_row + header.row_index + 1


# --- analyse (nothing written) --------------------------------------------------------------------


def analyse_bytes(
    data: bytes,
    *,
    file_name: str,
    period: tuple,
    lang: str = "fr",
    limits: Limits = DEFAULT_LIMITS,
    currency: CurrencyRules | None = None,
) -> Analysis:
    """Every step up to validation, on bytes already in memory; no database access."""
    analysis = Analysis(file_name=file_name, file_sha256=hashlib.sha256(data).hexdigest(), lang=lang)
    try:
        if len(data) > limits.max_file_bytes:
            raise Refused(TOO_LARGE, "file", limit_mb=limits.max_file_bytes // (1024 * 1024))
        sniffed = sniff(data)
        facts = check(data, sniffed.kind, limits)
        # Large .xlsx sheets: typed columns (fast.py); anything it is not sure of: the general reader.
        header = fast_header(data, sniffed.kind, facts, limits)
        if header is None:
            header = find_header(
                read_sheets(data, sniffed.kind, limits, encoding=sniffed.encoding), limits.header_rows
            )
        if header is None:
            raise Refused(NO_HEADER, rows=limits.header_rows)
        parsed = parse_rows(header, facts, period=period, max_chars=limits.max_field_chars, currency=currency)
        if parsed.rows_read == 0:
            raise Refused(EMPTY)
    except Refused as refusal:
        analysis.refusal = refusal
        return analysis
    parsed.release()
    analysis.parsed = parsed
    analysis.keep = list(range(len(parsed)))
    return analysis


def analyse(
    engine: sa.Engine,
    source: Path | str | bytes,
    *,
    file_name: str | None = None,
    program_code: str | None = None,
    user: str = auth.LOCAL_USER,
    lang: str = "fr",
    limits: Limits = DEFAULT_LIMITS,
    find_duplicates: bool = True,
) -> Analysis:
    """Preview an import: read, check and validate `source`, and find duplicates; nothing is written."""
    with session_scope(engine) as session:
        auth.require(session, user, "import")
        program = get_program(session, program_code)
        period = (program.start_date, program.end_date)
        currency = currency_rules(session, program)
    name = file_name or (Path(source).name if not isinstance(source, (bytes, bytearray, memoryview)) else "")
    try:
        data = read_source(source, limits)
    except Refused as refusal:
        return Analysis(file_name=name, file_sha256="", lang=lang, refusal=refusal)
    analysis = analyse_bytes(data, file_name=name, period=period, lang=lang, limits=limits, currency=currency)
    del data
    if analysis.refusal is None and find_duplicates:
        with Session(engine) as session:
            _find_duplicates(session, program, analysis)
            _find_closed(session, program, analysis)
    if analysis.refusal is None and analysis.parsed is not None:
        with Session(engine) as session:
            analysis.unknown_categories = unknown_category_labels(
                session, [analysis.parsed.categories[i] for i in analysis.keep])
    return analysis


def currency_rules(session: Session, program: Program) -> CurrencyRules:
    """What parse_rows needs from the store: the currencies the program accepts, their stored rates, and
    the program's commitment references."""
    accepted = frozenset(c.strip().upper() for c in program.accepted_currencies.split(",") if c.strip())
    accepted |= {CAD}
    commitments = {reference.casefold(): cid for cid, reference in session.execute(
        sa.select(Commitment.id, Commitment.reference).where(Commitment.program_id == program.id)).all()}
    return CurrencyRules(accepted=accepted, book=load_rate_book(session, accepted - {CAD}),
                         commitments=commitments)


def unknown_category_labels(session: Session, labels: list[str]) -> list[tuple[str, int]]:
    """The labels (as written, first spelling met) the category resolver does not know, with how many rows
    carry each, in the order met."""
    resolver = CategoryResolver(session)
    found: dict[str, tuple[str, int]] = {}
    for label in labels:
        if label and resolver.resolve(label)[1].startswith(UNKNOWN_CATEGORY):
            key = label_key(label)
            written, count = found.get(key, (label, 0))
            found[key] = (written, count + 1)
    return list(found.values())


def _find_duplicates(session: Session, program: Program, analysis: Analysis) -> None:
    analysis.duplicate_batch = None
    batch = dedup.active_batch_with_hash(session, program.id, analysis.file_sha256)
    if batch is not None:
        analysis.duplicate_batch = {
            "batch_id": batch.id,
            "date": batch.created_at.date().isoformat(),
            "user": batch.user,
        }
        return
    parsed = analysis.parsed
    stored = (
        dedup.stored_keys(session, program.id, min(parsed.dates), max(parsed.dates)) if len(parsed) else set()
    )
    analysis.keep, analysis.duplicates = dedup.find_duplicates(parsed, stored)


def _find_closed(session: Session, program: Program, analysis: Analysis) -> None:
    """Rows to import dated in a closed fiscal year or a submitted claim's period: `closed-period`."""
    analysis.closed = []
    parsed = analysis.parsed
    if parsed is None or not analysis.keep:
        return
    periods = locked_periods(session, program.id)
    if not periods:
        return
    keep, column = [], parsed.header.label(DATE)
    for i in analysis.keep:
        lock = locked_on(periods, parsed.dates[i])
        if lock is None:
            keep.append(i)
        else:
            analysis.closed.append(RowError(parsed.source_rows[i], column, CLOSED_PERIOD, {
                "date": parsed.dates[i].isoformat(), "reason": lock.reason, "label": lock.label}))
    analysis.keep = keep


# --- commit -----------------------------------------------------------------------------------------


def commit(
    engine: sa.Engine,
    analysis: Analysis,
    *,
    user: str = auth.LOCAL_USER,
    strict: bool = False,
    program_code: str | None = None,
) -> Outcome:
    """Write an analysed file in one transaction; duplicates are checked again inside it."""
    if analysis.refusal is not None:
        return analysis.outcome(strict=strict)
    user = auth.normalise_email(user)
    try:
        with session_scope(engine) as session:
            auth.require(session, user, "import")
            program = get_program(session, program_code)
            # The program's write lock before the duplicate checks: a concurrent import of the same file, or
            # of another file sharing rows, waits here and then sees this one's batch and rows.
            lock_program_writes(session, program.id)
            _find_duplicates(session, program, analysis)
            _find_closed(session, program, analysis)
            outcome = analysis.outcome(strict=strict, dry_run=False)
            if outcome.status != IMPORTED:
                return outcome
            parsed = analysis.parsed
            issues = issues_of(parsed, sorted(parsed.errors + analysis.closed + analysis.duplicates,
                                              key=lambda e: e.row))
            batch = write_batch(
                session,
                program=program,
                file_name=analysis.file_name,
                sha256=analysis.file_sha256,
                user=user,
                parsed=parsed,
                keep=analysis.keep,
                issues=issues,
                rows_duplicate=len(analysis.duplicates),
                rows_closed=len(analysis.closed),
                sheet=outcome.sheet or "",
            )
            outcome.batch_id = batch.id
    except sa.exc.IntegrityError as exc:
        # The store's own guard (ux_importbatch_active_file), should a writer ever skip the lock.
        text = str(exc.orig)
        if "ux_importbatch_active_file" not in text and "importbatch.program_id" not in text:
            raise
        with Session(engine) as session:
            _find_duplicates(session, get_program(session, program_code), analysis)
        return analysis.outcome(strict=strict, dry_run=False)
    return outcome


def import_file(
    engine: sa.Engine,
    path: Path | str | bytes,
    *,
    program_code: str | None = None,
    user: str = auth.LOCAL_USER,
    strict: bool = False,
    dry_run: bool = False,
    lang: str = "fr",
    file_name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Outcome:
    """`import-expenses`: analyse then commit (or only analyse for a dry run). Raises auth.Forbidden."""
    try:
        # Committing checks duplicates inside its transaction: no need to look twice.
        analysis = analyse(
            engine,
            path,
            file_name=file_name,
            program_code=program_code,
            user=user,
            lang=lang,
            limits=limits,
            find_duplicates=dry_run,
        )
    except LookupError:
        name = file_name or (str(path) if not isinstance(path, (bytes, bytearray)) else "")
        return Outcome(
            status=REJECTED,
            file_name=name,
            reason="unknown-program",
            reason_params={"code": program_code},
            lang=lang,
        )
    if dry_run:
        return analysis.outcome(strict=strict)
    return commit(engine, analysis, user=user, strict=strict, program_code=program_code)


# --- output -----------------------------------------------------------------------------------------


def outcome_as_json(outcome: Outcome) -> dict[str, Any]:
    """Exactly the keys of SPEC §6."""
    return {
        "status": outcome.status,
        "batch_id": outcome.batch_id,
        "file_sha256": outcome.file_sha256 or None,
        "rows_read": outcome.rows_read,
        "rows_imported": outcome.rows_imported,
        "rows_rejected": outcome.rows_rejected,
        "rows_duplicate": outcome.rows_duplicate,
        "errors": [
            {"row": e.row, "column": e.column, "code": e.code, "message": error_message(e, outcome.lang)}
            for e in outcome.errors
        ],
        "reason": outcome.reason,
    }


def outcome_as_text(outcome: Outcome, lang: str = "fr", *, max_errors: int = 50) -> str:
    lines = []
    if not outcome.refused:
        lines.append(
            t(
                "import.text.counts",
                lang,
                read=outcome.rows_read,
                imported=outcome.rows_imported,
                rejected=outcome.rows_rejected,
                duplicate=outcome.rows_duplicate,
            )
        )
    if outcome.batch_id is not None:
        lines.append(t("import.text.batch", lang, batch_id=outcome.batch_id))
    return outcome_text(outcome, lang, lines, error_message, max_errors=max_errors)


__all__ = [
    "Analysis",
    "Outcome",
    "analyse",
    "analyse_bytes",
    "commit",
    "error_message",
    "import_file",
    "outcome_as_json",
    "outcome_as_text",
    "read_source",
    "review_reasons",
]
