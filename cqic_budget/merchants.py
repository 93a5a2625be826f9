"""Merchant services, roles enforced inside: listings, a merchant's page, edits, Law 25 export and erasure.

Merchants' names, NEQ and contact details are personal information (Québec Law 25): only roles with
"read_personal" (staff) ever receive them. Audit rows are never edited, so they never hold those
values either: a personal field's value appears there as REDACTED, and an erasure leaves no copy behind.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget import audit
from cqic_budget.auth import allows, is_valid_email, normalise_email, require
from cqic_budget.db import bump_data_version
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import DEFAULT_LANG, t
from cqic_budget.models import AuditEvent, Expense, Indicator, Measurement, Merchant, Program, utcnow
from cqic_budget.money import from_cents
from cqic_budget.privacy import erasure_redactor, purge_after_commit, scrub_store, secure_delete

SECTORS = ("retail", "wholesale")
SIZE_BANDS = ("micro", "small", "medium")  # 1-4, 5-49, 50-199 employees
STATUSES = ("reached", "supported", "completed")

PERSONAL_FIELDS = ("name", "neq", "contact_name", "contact_email", "contact_phone")
PROFILE_FIELDS = ("sector", "size_band", "municipality", "enrolment_date", "status")
EDITABLE_FIELDS = PERSONAL_FIELDS + PROFILE_FIELDS

# The columns of list_merchants: staff see everything; funders and viewers never see personal columns.
STAFF_COLUMNS = ("id", "name", "neq") + PROFILE_FIELDS + ("contact_name", "contact_email", "contact_phone",
                                                          "erased_at")
AGGREGATE_COLUMNS = ("id",) + PROFILE_FIELDS

ANONYMISED_NAME = "Commerçant anonymisé #{id}"
REDACTED = "***"  # a personal value in an audit row

_MAX_LENGTH = {
    "name": 200, "municipality": 120, "contact_name": 200, "contact_email": 320, "contact_phone": 40,
}
_CHOICES = {"sector": SECTORS, "size_band": SIZE_BANDS, "status": STATUSES}
_REQUIRED = ("name", "sector", "size_band", "municipality", "enrolment_date", "status")


class MerchantError(UserFacingError, ValueError):
    """A merchant request that cannot be done, with a code and a message in the user's language.

    Codes: not-found, unknown-program, unknown-field, required, too-long, invalid-neq, invalid-email,
    invalid-choice, invalid-date, erased, search-personal.
    """

    def __init__(self, code: str, value: Any = ""):
        super().__init__(f"{code}: {value}")
        self.code = code
        self.value = value

    def message(self, lang: str = DEFAULT_LANG, *, quote=str) -> str:
        """The sentence; `quote` wraps what the user typed (the app passes its Markdown escape)."""
        return t(f"access.merchants.{self.code}", lang, value=quote(self.value))


def listing_columns(role: str | None) -> tuple[str, ...]:
    """The columns list_merchants returns to `role` (for an empty table with the right header)."""
    return STAFF_COLUMNS if allows(role, "read_personal") else AGGREGATE_COLUMNS


def _as_set(value: str | Collection[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_merchants(
    session: Session,
    *,
    user: str,
    program_id: int,
    status: str | Collection[str] | None = None,
    sector: str | Collection[str] | None = None,
    size_band: str | Collection[str] | None = None,
    municipality: str | Collection[str] | None = None,
    search: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[dict]:
    """The program's merchants as plain rows from one SQL query, filtered (a filter takes one value or many).

    Staff get STAFF_COLUMNS; funders and viewers get AGGREGATE_COLUMNS only (no name, NEQ, contact or
    erasure date). `search` (name or NEQ) is for staff only: for others it would reveal personal data.
    """
    role = require(session, user, "read")
    personal = allows(role, "read_personal")
    columns = listing_columns(role)
    stmt = sa.select(*(getattr(Merchant, c) for c in columns)).where(Merchant.program_id == program_id)
    for field, wanted in (("status", status), ("sector", sector), ("size_band", size_band),
                          ("municipality", municipality)):
        values = _as_set(wanted)
        if values is not None:
            stmt = stmt.where(getattr(Merchant, field).in_(values))
    if search and search.strip():
        if not personal:
            raise MerchantError("search-personal")
        text = search.strip()
        pattern = f"%{_like_escape(text.lower())}%"
        digits = re.sub(r"\D", "", text)
        condition = sa.func.lower(Merchant.name).like(pattern, escape="\\")
        if digits:
            condition = condition | Merchant.neq.like(f"{digits}%")
        stmt = stmt.where(condition)
    stmt = stmt.order_by(Merchant.name, Merchant.id) if personal else stmt.order_by(Merchant.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    rows = [dict(row) for row in session.execute(stmt).mappings()]
    if personal and limit is None and not offset:
        # French order (« Bélanger » before « Bergeron »): the database's byte order puts accents last.
        rows.sort(key=lambda row: (_sort_key(row["name"]), row["id"]))
    return rows


def register_group_sizes(session: Session, *, program_id: int) -> dict[str, dict[str, int]]:
    """Per dimension (sector, size_band, municipality), how many merchants of the register hold each value."""
    sizes: dict[str, dict[str, int]] = {"sector": {}, "size_band": {}, "municipality": {}}
    rows = session.execute(
        sa.select(Merchant.sector, Merchant.size_band, Merchant.municipality, sa.func.count())
        .where(Merchant.program_id == program_id)
        .group_by(Merchant.sector, Merchant.size_band, Merchant.municipality)
    ).all()
    for sector, size_band, municipality, count in rows:
        for dimension, value in zip(sizes, (sector, size_band, municipality), strict=True):
            sizes[dimension][value] = sizes[dimension].get(value, 0) + int(count)
    return sizes


def _sort_key(text: str | None) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _get(session: Session, merchant_id: int) -> Merchant:
    merchant = session.get(Merchant, merchant_id)
    if merchant is None:
        raise MerchantError("not-found", merchant_id)
    return merchant


def _measurements(session: Session, merchant_id: int) -> list[dict]:
    stmt = (
        sa.select(Indicator.code.label("indicator"), Indicator.name_fr, Indicator.name_en, Indicator.unit,
                  Measurement.date, Measurement.kind, Measurement.value)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .where(Measurement.merchant_id == merchant_id)
        .order_by(Indicator.code, Measurement.date, Measurement.id)
    )
    return [dict(row) for row in session.execute(stmt).mappings()]


def merchant_detail(session: Session, merchant_id: int, *, user: str) -> dict:
    """A merchant's own page (staff only): every field, and its measurements by indicator and date."""
    require(session, user, "read_personal")
    merchant = _get(session, merchant_id)
    detail = {c: getattr(merchant, c) for c in STAFF_COLUMNS}
    detail["program_id"] = merchant.program_id
    detail["measurements"] = _measurements(session, merchant_id)
    return detail


def clean_field(field: str, value: Any) -> Any:
    """A field's value as stored, or MerchantError."""
    if field not in EDITABLE_FIELDS:
        raise MerchantError("unknown-field", field)
    if field == "enrolment_date":
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value.strip())
            except ValueError:
                raise MerchantError("invalid-date", value) from None
        if not isinstance(value, date):
            raise MerchantError("required" if value is None else "invalid-date", field)
        return value
    text = "" if value is None else str(value).strip()
    if field in _CHOICES:
        if text not in _CHOICES[field]:
            raise MerchantError("invalid-choice", text or field)
        return text
    if not text:
        if field in _REQUIRED:
            raise MerchantError("required", field)
        return None
    if field == "neq":
        digits = re.sub(r"[\s-]", "", text)
        if not re.fullmatch(r"\d{10}", digits):
            raise MerchantError("invalid-neq", text)
        return digits
    if len(text) > _MAX_LENGTH[field]:
        raise MerchantError("too-long", field)
    if field == "contact_email":
        if not is_valid_email(text):
            raise MerchantError("invalid-email", text)
        return normalise_email(text)
    return text


def _anonymised_name(merchant_id: int | None) -> str:
    return ANONYMISED_NAME.format(id=merchant_id)


def _audit_view(merchant_id: int | None, values: dict) -> dict:
    """Values for an audit row: personal values replaced by REDACTED (the placeholder name is kept)."""
    view = {}
    for field, value in values.items():
        if field in PERSONAL_FIELDS and value is not None and value != _anonymised_name(merchant_id):
            value = REDACTED
        view[field] = value
    return view


def create_merchant(
    session: Session,
    *,
    user: str,
    program_id: int,
    name: str,
    sector: str,
    size_band: str,
    municipality: str,
    enrolment_date: date | str,
    status: str,
    neq: str | None = None,
    contact_name: str | None = None,
    contact_email: str | None = None,
    contact_phone: str | None = None,
) -> Merchant:
    """A new merchant of the program (permission "edit"), audited."""
    require(session, user, "edit")
    if session.get(Program, program_id) is None:
        raise MerchantError("unknown-program", program_id)
    given = dict(name=name, neq=neq, sector=sector, size_band=size_band, municipality=municipality,
                 enrolment_date=enrolment_date, status=status, contact_name=contact_name,
                 contact_email=contact_email, contact_phone=contact_phone)
    merchant = Merchant(program_id=program_id, **{f: clean_field(f, v) for f, v in given.items()})
    session.add(merchant)
    session.flush()
    audit.record(session, user=normalise_email(user), action="merchant.create", entity="merchant",
                 entity_id=merchant.id,
                 after=_audit_view(merchant.id, {f: getattr(merchant, f) for f in EDITABLE_FIELDS}))
    bump_data_version(session)
    return merchant


def update_merchant(session: Session, merchant_id: int, *, user: str, **changes: Any) -> Merchant:
    """Change some of a merchant's fields (permission "edit"), audited with the fields' before and after.

    An erased merchant's personal fields stay erased (MerchantError `erased`).
    """
    require(session, user, "edit")
    merchant = _get(session, merchant_id)
    cleaned = {field: clean_field(field, value) for field, value in changes.items()}
    changed = {f: v for f, v in cleaned.items() if getattr(merchant, f) != v}
    if not changed:
        return merchant
    if merchant.erased_at is not None and any(f in PERSONAL_FIELDS for f in changed):
        raise MerchantError("erased", merchant_id)
    before = {f: getattr(merchant, f) for f in changed}
    for field, value in changed.items():
        setattr(merchant, field, value)
    session.add(merchant)
    session.flush()
    audit.record(session, user=normalise_email(user), action="merchant.update", entity="merchant",
                 entity_id=merchant_id, before=_audit_view(merchant_id, before),
                 after=_audit_view(merchant_id, changed))
    bump_data_version(session)
    return merchant


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _plain_rows(rows: list[dict]) -> list[dict]:
    return [{k: _plain(v) for k, v in row.items()} for row in rows]


def export_personal_data(session: Session, merchant_id: int, *, user: str) -> dict:
    """Everything the store holds about one merchant (a Law 25 access request), as JSON-able values.

    Staff only ("read_personal"); the export itself is audited (without the exported values).
    """
    require(session, user, "read_personal")
    merchant = _get(session, merchant_id)
    program = session.get(Program, merchant.program_id)
    expenses = session.execute(
        sa.select(Expense.date, Expense.vendor, Expense.description, Expense.invoice_number,
                  Expense.amount_cents, Expense.gst_cents, Expense.qst_cents)
        .where(Expense.merchant_id == merchant_id).order_by(Expense.date, Expense.id)
    ).mappings()
    history = session.execute(
        sa.select(AuditEvent.at, AuditEvent.user, AuditEvent.action)
        .where(AuditEvent.entity == "merchant", AuditEvent.entity_id == merchant_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    ).mappings()
    exported_at = utcnow()
    export = {
        "merchant_id": merchant.id,
        "program": program.code if program else None,
        "exported_at": exported_at.isoformat(),
        "exported_by": normalise_email(user),
        "personal_information": {f: getattr(merchant, f) for f in PERSONAL_FIELDS},
        "profile": {f: _plain(getattr(merchant, f)) for f in PROFILE_FIELDS},
        "erased_at": _plain(merchant.erased_at),
        "measurements": _plain_rows(_measurements(session, merchant_id)),
        "expenses": [
            {"date": row["date"].isoformat(), "vendor": row["vendor"], "description": row["description"],
             "invoice_number": row["invoice_number"],
             "amount_before_tax": str(from_cents(row["amount_cents"])),
             "gst": str(from_cents(row["gst_cents"])), "qst": str(from_cents(row["qst_cents"]))}
            for row in expenses
        ],
        "history": _plain_rows([dict(row) for row in history]),
    }
    audit.record(session, user=normalise_email(user), action="merchant.export_personal", entity="merchant",
                 entity_id=merchant_id, after={"exported_at": exported_at.isoformat()})
    return export


def expense_description(*, personal: bool, lang: str = DEFAULT_LANG) -> Any:
    """The expense description column as a reader may see it. Staff write merchants' names into the
    text of the expenses tied to them; readers without "read_personal" get a placeholder for those rows."""
    if personal:
        return Expense.description
    return sa.case((Expense.merchant_id.is_not(None), sa.literal(t("access.masked_description", lang))),
                   else_=Expense.description)


def erase_personal_data(session: Session, merchant_id: int, *, user: str) -> Merchant:
    """Erase a merchant's personal information (Law 25): the name becomes « Commerçant anonymisé #id »,
    NEQ and contact details are emptied, erased_at is set. Outcomes (status, measurements, expenses)
    stay, anonymised. Staff with "edit"; audited; a second erasure changes nothing.
    """
    require(session, user, "edit")
    require(session, user, "read_personal")
    merchant = _get(session, merchant_id)
    if merchant.erased_at is not None:
        return merchant
    before = {f: getattr(merchant, f) for f in PERSONAL_FIELDS}
    anonymised = _anonymised_name(merchant_id)
    secure_delete(session)
    merchant.name = anonymised
    merchant.neq = merchant.contact_name = merchant.contact_email = merchant.contact_phone = None
    merchant.erased_at = utcnow()
    session.add(merchant)
    session.flush()
    # Staff write merchants' names, NEQs, e-mails and phones into expenses' text, file names and the cells
    # of rejected rows, which the audit trail repeats: every text column of the store loses them (the
    # amounts, dates and links stay — they are the program's financial record, not personal information).
    scrubbed = scrub_store(session, erasure_redactor(merchant_id=merchant_id, label=anonymised, **before))
    after = {f: getattr(merchant, f) for f in PERSONAL_FIELDS}
    after["erased_at"] = merchant.erased_at
    after["expenses_redacted"] = scrubbed.get("expense", 0)
    after["rows_redacted"] = sum(scrubbed.values())
    # Once committed, the database files lose the old row versions too.
    purge_after_commit(session, ("merchant", "auditevent", *scrubbed))
    audit.record(session, user=normalise_email(user), action="merchant.erase_personal", entity="merchant",
                 entity_id=merchant_id, before=_audit_view(merchant_id, before),
                 after=_audit_view(merchant_id, after))
    bump_data_version(session)
    return merchant

