"""Import merchants and their measurements from a workbook, through the expense import's own steps.

The file goes through the same sniffing, safety checks, limits, reader and header search as an expense
sheet (sniff, safety.check, reader.read_sheets, header.find_header), so it is refused with the same codes.
Each row is then checked with the merchant service's own rules (merchants.clean_field); a row with an error is
reported with its sheet row, column and code and left out. A merchant already in the program (same NEQ,
or without NEQ the same name and municipality) is updated, not duplicated. Indicator columns headed
« <indicator> (départ) » / « (suivi) » (or baseline / follow-up) become measurements: the baseline dated
the enrolment date, the follow-up dated « Date de suivi ». Everything is written in one transaction,
audited as one event with counts (no personal value in it), and the data version is bumped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from cqic_budget import audit, auth
from cqic_budget.db import bump_data_version, session_scope
from cqic_budget.i18n import strings, t
from cqic_budget.importing.header import Header, label_key
from cqic_budget.importing.normalise import clean_text, is_blank, parse_date
from cqic_budget.importing.pipeline import (
    DRY_RUN,
    IMPORTED,
    REJECTED,
    TableImportOutcome,
    TableRow,
    data_rows,
    open_table,
    outcome_text,
)
from cqic_budget.importing.refusal import DEFAULT_LIMITS, EMPTY, Limits, Refused
from cqic_budget.importing.validate import FORMULA_NO_VALUE, RowError
from cqic_budget.merchants import MerchantError, clean_field
from cqic_budget.models import Indicator, Measurement, Merchant
from cqic_budget.setup import get_program

INVALID_VALUE, DUPLICATE_IN_FILE = "invalid-value", "duplicate-in-file"
BASELINE, FOLLOWUP = "baseline", "followup"

NAME, NEQ, SECTOR, SIZE_BAND, MUNICIPALITY = "name", "neq", "sector", "size_band", "municipality"
ENROLMENT_DATE, STATUS, FOLLOWUP_DATE = "enrolment_date", "status", "followup_date"
CONTACT_NAME, CONTACT_EMAIL, CONTACT_PHONE = "contact_name", "contact_email", "contact_phone"
MERCHANT_FIELDS = (NAME, NEQ, SECTOR, SIZE_BAND, MUNICIPALITY, ENROLMENT_DATE, STATUS,
                   CONTACT_NAME, CONTACT_EMAIL, CONTACT_PHONE)
REQUIRED_FIELDS = (NAME, SECTOR, SIZE_BAND, MUNICIPALITY, ENROLMENT_DATE, STATUS)

# Accepted headers, as label_key() leaves them (no accents, lower case, punctuation and numbers dropped).
SYNONYMS: dict[str, tuple[str, ...]] = {
    NAME: ("nom", "name", "nom du commercant", "nom de l entreprise", "entreprise", "commercant",
           "raison sociale", "merchant", "merchant name", "business name", "business"),
    NEQ: ("neq", "no neq", "numero neq", "numero d entreprise du quebec", "quebec enterprise number"),
    SECTOR: ("secteur", "secteur d activite", "sector"),
    SIZE_BAND: ("taille", "taille de l entreprise", "size band", "size", "company size"),
    MUNICIPALITY: ("municipalite", "ville", "municipality", "city"),
    ENROLMENT_DATE: ("date d inscription", "date inscription", "inscription", "enrolment date",
                     "enrollment date", "date enrolled"),
    STATUS: ("statut", "etape", "status", "stage"),
    CONTACT_NAME: ("contact", "personne contact", "personne ressource", "nom du contact", "contact name"),
    CONTACT_EMAIL: ("courriel", "adresse courriel", "courriel du contact", "email", "e mail",
                    "contact email"),
    CONTACT_PHONE: ("telephone", "tel", "telephone du contact", "phone", "phone number", "contact phone"),
    FOLLOWUP_DATE: ("date de suivi", "date du suivi", "follow up date", "followup date"),
}
_LOOKUP = {key: name for name, keys in SYNONYMS.items() for key in keys}
# « Emplois (départ) » / « jobs (follow-up) »: the indicator, then the kind of measurement.
_KIND_SUFFIXES = (("depart", BASELINE), ("baseline", BASELINE), ("suivi", FOLLOWUP),
                  ("follow up", FOLLOWUP), ("followup", FOLLOWUP))
# Cell values (label_key) -> the stored choice; the first word is tried too (« Petite (5 à 49 employés) »).
CHOICE_SYNONYMS: dict[str, dict[str, str]] = {
    SECTOR: {"commerce de detail": "retail", "detail": "retail", "retail": "retail", "retail trade": "retail",
             "commerce de gros": "wholesale", "gros": "wholesale", "wholesale": "wholesale",
             "wholesale trade": "wholesale"},
    SIZE_BAND: {"micro": "micro", "micro entreprise": "micro", "petite": "small",
                "petite entreprise": "small", "small": "small", "moyenne": "medium",
                "moyenne entreprise": "medium", "medium": "medium"},
    STATUS: {"rejoint": "reached", "joint": "reached", "reached": "reached", "accompagne": "supported",
             "supported": "supported", "termine": "completed", "complete": "completed",
             "completed": "completed"},
}
_TRUE, _FALSE = {"oui", "yes", "vrai", "true", "o", "y", "x"}, {"non", "no", "faux", "false", "n"}
_MAX_VALUE_CHARS = 40


@dataclass
class MerchantImportOutcome(TableImportOutcome):
    """What a merchant import did (or, for a dry run, would do)."""

    rows_rejected: int = 0
    measurements: int = 0
    sheet: str | None = None
    header_row: int | None = None
    lang: str = "fr"
    # Measurement columns (« X (suivi) ») naming no indicator of the program: reported, not imported.
    unknown_indicator_columns: list[str] = field(default_factory=list)

    def reason_text(self, lang: str | None = None) -> str | None:
        lang = lang or self.lang
        if self.reason is None:
            return t("merchant_import.reason.nothing", lang) if self.status == REJECTED else None
        suffix = f"{self.reason}" + (f".{self.reason_detail}" if self.reason_detail else "")
        own = f"merchant_import.refused.{suffix}"
        key = own if own in strings() else f"import.refused.{suffix}"
        return t(key, lang, **self.reason_params)

    def error_messages(self, lang: str | None = None) -> list[dict[str, Any]]:
        lang = lang or self.lang
        return [{"row": e.row, "column": e.column, "code": e.code, "message": error_message(e, lang)}
                for e in self.errors]

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "file_sha256": self.file_sha256 or None, "rows_read": self.rows_read,
            "rows_imported": self.rows_imported, "created": self.created, "updated": self.updated,
            "rows_rejected": self.rows_rejected, "measurements": self.measurements,
            "errors": self.error_messages(), "reason": self.reason,
            "unknown_indicator_columns": self.unknown_indicator_columns,
        }

    def as_text(self, lang: str | None = None, *, max_errors: int = 50) -> str:
        lang = lang or self.lang
        lines = []
        if not self.refused:
            lines.append(t("merchant_import.counts", lang, read=self.rows_read, created=self.created,
                           updated=self.updated, rejected=self.rows_rejected, measurements=self.measurements))
        for label in self.unknown_indicator_columns:
            lines.append(t("merchant_import.unknown_indicator", lang, column=label))
        return outcome_text(self, lang, lines, error_message, max_errors=max_errors)


def error_message(error: RowError, lang: str = "fr") -> str:
    key = f"merchant_import.row.{error.code}"
    if error.code == "invalid-choice":
        key += f".{error.params.get('field')}"
    return t(key, lang, **error.params)


# --- header --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _IndicatorRef:
    id: int
    code: str


def _indicator_keys(indicators: list[_IndicatorRef], names: dict[int, tuple[str, str]]) -> dict[str, int]:
    keys: dict[str, int] = {}
    for ind in indicators:
        for text in (ind.code.replace("_", " "), *names[ind.id]):
            key = label_key(text)
            if key:
                keys.setdefault(key, ind.id)
    return keys


def _classifier(indicator_keys: dict[str, int], unknown: list[str]):
    """The header-cell classifier; measurement-looking labels of no known indicator go to `unknown`."""

    def classify(cell: object) -> str | None:
        key = label_key(cell)
        if key in _LOOKUP:
            return _LOOKUP[key]
        for suffix, kind in _KIND_SUFFIXES:
            if key.endswith(" " + suffix):
                indicator_id = indicator_keys.get(key[: -len(suffix) - 1])
                if indicator_id is not None:
                    return f"{kind}:{indicator_id}"
                if str(cell).strip() not in unknown:
                    unknown.append(str(cell).strip())
        return None

    return classify


def _is_merchant_header(columns: dict[str, int]) -> bool:
    return NAME in columns and sum(f in columns for f in (NEQ, SECTOR, SIZE_BAND, MUNICIPALITY, STATUS)) >= 2


# --- cells ---------------------------------------------------------------------------------------------


def _choice(name: str, value: object) -> str:
    key = label_key(clean_text(value))
    synonyms = CHOICE_SYNONYMS[name]
    if key in synonyms:
        return synonyms[key]
    first = key.split(" ", 1)[0] if key else ""
    return synonyms.get(first, clean_text(value))


def _measure(value: object) -> Decimal:
    """An indicator's value: a number (« 12,5 », « 15 % »), or oui/non for a yes/no indicator."""
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(value)
        return Decimal(repr(value)).normalize()
    text = clean_text(value)
    if len(text) > _MAX_VALUE_CHARS:
        raise ValueError(text)
    word = text.casefold()
    if word in _TRUE:
        return Decimal(1)
    if word in _FALSE:
        return Decimal(0)
    percent = text.endswith("%")
    plain = text.rstrip("%").replace(" ", "").replace("\u202f", "").replace(",", ".")
    try:
        number = Decimal(plain)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number / 100 if percent else number


@dataclass
class _Row:
    number: int
    values: dict[str, Any]
    measures: list[tuple[int, str, Decimal]]  # (indicator id, kind, value)
    followup_date: date | None


def _problem(row: TableRow, lang: str, name: str | None, code: str, value: object = "") -> None:
    """A problem of a merchant row: a missing or too long field named as in the file or in words, a value
    out of its list with the field it is for."""
    if code in ("required", "too-long"):
        value = row.column(name) or t(f"merchant_import.field.{name}", lang)
    row.problem(name, code, value, **({"field": name} if code == "invalid-choice" else {}))


def _parse(header: Header, facts, limits: Limits, lang: str) -> tuple[list[_Row], list[RowError], int]:
    sheet = header.sheet
    columns = header.columns
    gaps: dict[int, list[int]] = {}
    for r0, c0 in facts.formula_gaps.get(sheet.name, ()):
        index = r0 - sheet.first_row - header.row_index - 1
        if index >= 0:
            gaps.setdefault(index, []).append(c0 - sheet.first_col)
    rows: list[_Row] = []
    errors: list[RowError] = []
    read = 0
    for row in data_rows(sheet, header):
        read += 1
        for col in gaps.get(row.index, ()):
            name = next((n for n, c in columns.items() if c == col), None)
            if name is not None:
                _problem(row, lang, name, FORMULA_NO_VALUE)
        values: dict[str, Any] = {}
        for name in MERCHANT_FIELDS:
            raw = row.cell(name)
            if is_blank(raw) and name in REQUIRED_FIELDS:
                _problem(row, lang, name, "required")
                continue
            if name in CHOICE_SYNONYMS and not is_blank(raw):
                raw = _choice(name, raw)
            elif name == ENROLMENT_DATE and not is_blank(raw):
                try:
                    raw = parse_date(raw, facts.date1904)
                except ValueError:
                    _problem(row, lang, name, "invalid-date", raw)
                    continue
            elif isinstance(raw, str) or (isinstance(raw, (int, float)) and not isinstance(raw, bool)):
                # Text without control characters (normalise.strip_controls); a NEQ or a phone number
                # typed as a number as its digits.
                raw = clean_text(raw)
            try:
                values[name] = clean_field(name, None if is_blank(raw) else raw)
            except MerchantError as error:
                _problem(row, lang, name, error.code, raw)
        followup_date, bad_followup_date = None, False
        if not is_blank(row.cell(FOLLOWUP_DATE)):
            try:
                followup_date = parse_date(row.cell(FOLLOWUP_DATE), facts.date1904)
            except ValueError:
                _problem(row, lang, FOLLOWUP_DATE, "invalid-date", row.cell(FOLLOWUP_DATE))
                bad_followup_date = True
        measures: list[tuple[int, str, Decimal]] = []
        for name, col in columns.items():
            if ":" not in name or col >= len(row.cells) or is_blank(row.cells[col]):
                continue
            kind, indicator_id = name.split(":")
            try:
                measures.append((int(indicator_id), kind, _measure(row.cells[col])))
            except ValueError:
                _problem(row, lang, name, INVALID_VALUE, row.cells[col])
        if followup_date is None and not bad_followup_date and any(
            kind == FOLLOWUP for _, kind, _ in measures
        ):
            _problem(row, lang, FOLLOWUP_DATE, "required")
        if row.problems:
            errors.extend(row.problems)
        else:
            rows.append(_Row(number=row.number, values=values, measures=measures,
                             followup_date=followup_date))
    return rows, errors, read


# --- store ---------------------------------------------------------------------------------------------


def _name_key(name: str | None, municipality: str | None) -> tuple[str, str]:
    return (" ".join((name or "").casefold().split()), " ".join((municipality or "").casefold().split()))


def _apply(
    session: Session, program_id: int, rows: list[_Row], errors: list[RowError], *, write: bool
) -> dict[str, int]:
    """Match rows to stored merchants, and (when `write`) create or update them and their measurements."""
    stored = session.exec(select(Merchant).where(Merchant.program_id == program_id,
                                                 Merchant.erased_at.is_(None))).all()
    by_neq = {m.neq: m for m in stored if m.neq}
    by_name = {_name_key(m.name, m.municipality): m for m in stored}
    seen: dict[object, int] = {}
    counts = {"created": 0, "updated": 0, "measurements": 0}
    kept: list[tuple[_Row, Merchant | None]] = []
    for row in rows:
        neq = row.values.get(NEQ)
        key: object = ("neq", neq) if neq else ("name", _name_key(row.values[NAME], row.values[MUNICIPALITY]))
        if key in seen:
            column = NEQ if neq else NAME
            errors.append(RowError(row=row.number, column=column, code=DUPLICATE_IN_FILE,
                                   params={"value": str(seen[key])}))
            continue
        seen[key] = row.number
        existing = by_neq.get(neq) if neq else None
        if existing is None:  # a merchant stored without NEQ (or with this one) under the same name
            named = by_name.get(_name_key(row.values[NAME], row.values[MUNICIPALITY]))
            existing = named if named is not None and named.neq in (None, neq) else None
        counts["updated" if existing is not None else "created"] += 1
        counts["measurements"] += len(row.measures)
        kept.append((row, existing))
    if not write:
        return counts
    merchants: list[tuple[_Row, Merchant]] = []
    for row, merchant in kept:
        values = {f: v for f, v in row.values.items() if v is not None or f in REQUIRED_FIELDS}
        if merchant is None:
            merchant = Merchant(program_id=program_id, **values)
        else:
            for name, value in values.items():
                setattr(merchant, name, value)
        session.add(merchant)
        merchants.append((row, merchant))
    session.flush()
    ids = [m.id for _, m in merchants]
    existing_measures: dict[tuple, Measurement] = {}
    for chunk in range(0, len(ids), 500):
        for measure in session.exec(select(Measurement).where(
                Measurement.merchant_id.in_(ids[chunk:chunk + 500]))).all():
            key = (measure.merchant_id, measure.indicator_id, measure.kind)
            existing_measures[key if measure.kind == BASELINE else key + (measure.date,)] = measure
    for row, merchant in merchants:
        for indicator_id, kind, value in row.measures:
            day = merchant.enrolment_date if kind == BASELINE else row.followup_date
            key = (merchant.id, indicator_id, kind) + (() if kind == BASELINE else (day,))
            measure = existing_measures.get(key)
            if measure is None:
                measure = Measurement(merchant_id=merchant.id, indicator_id=indicator_id, kind=kind,
                                      date=day, value=value)
                existing_measures[key] = measure
            else:
                measure.date, measure.value = day, value
            session.add(measure)
    session.flush()
    return counts


def _load_indicators(session: Session, program_id: int) -> dict[str, int]:
    found = session.exec(select(Indicator).where(Indicator.program_id == program_id)).all()
    refs = [_IndicatorRef(i.id, i.code) for i in found]
    return _indicator_keys(refs, {i.id: (i.name_fr, i.name_en) for i in found})


def import_merchants(
    engine: sa.Engine,
    source: bytes | Path | str,
    *,
    file_name: str | None = None,
    program_code: str | None = None,
    user: str = auth.LOCAL_USER,
    dry_run: bool = False,
    lang: str = "fr",
    limits: Limits = DEFAULT_LIMITS,
) -> MerchantImportOutcome:
    """Import merchants and measurements from `source` (permission "edit"; raises auth.Forbidden, and
    LookupError for an unknown program). A dry run reads, checks and matches, and writes nothing."""
    with Session(engine) as session:
        auth.require(session, user, "edit")
        program = get_program(session, program_code)
        program_id = program.id
        indicator_keys = _load_indicators(session, program_id)
    is_bytes = isinstance(source, (bytes, bytearray, memoryview))
    name = file_name or ("" if is_bytes else Path(source).name)
    out = MerchantImportOutcome(status=DRY_RUN if dry_run else IMPORTED, file_name=name, lang=lang)
    try:
        unknown: list[str] = []
        table = open_table(source, limits, classify=_classifier(indicator_keys, unknown),
                           complete=_is_merchant_header)
        out.file_sha256, header, facts = table.sha256, table.header, table.facts
        rows, errors, read = _parse(header, facts, limits, lang)
        if read == 0:
            raise Refused(EMPTY)
    except Refused as refusal:
        out.status, out.reason = REJECTED, refusal.code
        out.reason_detail, out.reason_params = refusal.detail, dict(refusal.params)
        return out
    out.sheet, out.header_row = header.sheet.name, header.sheet.first_row + header.row_index + 1
    out.unknown_indicator_columns = unknown
    out.rows_read = read
    if dry_run:
        with Session(engine) as session:
            counts = _apply(session, program_id, rows, errors, write=False)
    else:
        with session_scope(engine) as session:
            auth.require(session, user, "edit")
            counts = _apply(session, program_id, rows, errors, write=True)
            if counts["created"] or counts["updated"]:
                audit.record(session, user=auth.normalise_email(user), action="merchant.import",
                             entity="merchant", after={
                                 "file_name": name, "file_sha256": out.file_sha256, "rows_read": read,
                                 "created": counts["created"], "updated": counts["updated"],
                                 "rejected": len({e.row for e in errors}),
                                 "measurements": counts["measurements"]})
                bump_data_version(session)
    out.created, out.updated, out.measurements = counts["created"], counts["updated"], counts["measurements"]
    out.errors = sorted(errors, key=lambda e: e.row)
    out.rows_rejected = len({e.row for e in errors})
    if not out.rows_imported:
        out.status = REJECTED
    return out
