"""Reading the audit trail (admins only): filtered listings and a CSV export safe against formula injection.

Audit rows are written by cqic_budget.audit.record and never updated or deleted: this module only reads.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget.auth import normalise_email, require
from cqic_budget.i18n import DEFAULT_LANG, normalise_lang, t
from cqic_budget.models import AuditEvent
from cqic_budget.safe_text import neutralise_formula

# A day typed in a filter is a day in Québec, not in UTC.
LOCAL_TZ = ZoneInfo("America/Toronto")
COLUMNS = ("id", "at", "user", "action", "entity", "entity_id", "before", "after")
CSV_COLUMNS = ("at", "user", "action", "entity", "entity_id", "before", "after")
DEFAULT_LIMIT = 500
# French Excel (fr-CA) splits CSV on semicolons, English Excel on commas.
_DELIMITERS = {"fr": ";", "en": ","}


def _bound(value: date | datetime, *, end: bool) -> datetime:
    """A filter bound as a UTC-aware instant; a date covers its whole day in Québec."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)
    day = value + timedelta(days=1) if end else value
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def _as_list(value: str | Collection[str] | None) -> list[str] | None:
    if value is None:
        return None
    return [value] if isinstance(value, str) else list(value)


def _filtered(
    stmt: sa.Select,
    *,
    action: str | Collection[str] | None,
    entity: str | Collection[str] | None,
    entity_id: int | None,
    who: str | None,
    since: date | datetime | None,
    until: date | datetime | None,
) -> sa.Select:
    actions, entities = _as_list(action), _as_list(entity)
    if actions is not None:
        stmt = stmt.where(AuditEvent.action.in_(actions))
    if entities is not None:
        stmt = stmt.where(AuditEvent.entity.in_(entities))
    if entity_id is not None:
        stmt = stmt.where(AuditEvent.entity_id == entity_id)
    if who:
        stmt = stmt.where(AuditEvent.user == normalise_email(who))
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= _bound(since, end=False))
    if until is not None:
        # A datetime is an inclusive instant; a date includes its whole day.
        bound = _bound(until, end=True)
        stmt = stmt.where(AuditEvent.at <= bound if isinstance(until, datetime) else AuditEvent.at < bound)
    return stmt


def list_audit_events(
    session: Session,
    *,
    user: str,
    action: str | Collection[str] | None = None,
    entity: str | Collection[str] | None = None,
    entity_id: int | None = None,
    who: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    limit: int | None = DEFAULT_LIMIT,
    offset: int = 0,
) -> list[dict]:
    """Audit events, newest first, as plain rows (COLUMNS; `at` UTC-aware). Requires "audit".

    `since` / `until` take a date (a whole day in Québec, both ends included) or an instant;
    `limit=None` returns every matching event.
    """
    require(session, user, "audit")
    stmt = _filtered(sa.select(*(getattr(AuditEvent, c) for c in COLUMNS)), action=action, entity=entity,
                     entity_id=entity_id, who=who, since=since, until=until)
    stmt = stmt.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    if offset:
        stmt = stmt.offset(offset)
    return [dict(row) for row in session.execute(stmt).mappings()]


def count_audit_events(
    session: Session,
    *,
    user: str,
    action: str | Collection[str] | None = None,
    entity: str | Collection[str] | None = None,
    entity_id: int | None = None,
    who: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
) -> int:
    """How many events the same filters match (for paging). Requires "audit"."""
    require(session, user, "audit")
    stmt = _filtered(sa.select(sa.func.count()).select_from(AuditEvent), action=action, entity=entity,
                     entity_id=entity_id, who=who, since=since, until=until)
    return session.execute(stmt).scalar_one()


def audit_filter_choices(session: Session, *, user: str) -> dict[str, list[str]]:
    """The distinct actions, entities and users of the trail, for the filters of the audit page."""
    require(session, user, "audit")
    return {
        name: list(session.execute(sa.select(column).distinct().order_by(column)).scalars())
        for name, column in (("actions", AuditEvent.action), ("entities", AuditEvent.entity),
                             ("users", AuditEvent.user))
    }


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_TZ).isoformat(timespec="seconds")
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return neutralise_formula(str(value))


def audit_events_csv(
    session: Session,
    *,
    user: str,
    lang: str = DEFAULT_LANG,
    action: str | Collection[str] | None = None,
    entity: str | Collection[str] | None = None,
    entity_id: int | None = None,
    who: str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
) -> bytes:
    """Every event the filters match, newest first, as CSV bytes for a download. Requires "audit".

    UTF-8 with a byte-order mark (Excel reads the accents), `;` in French and `,` in English, times in
    Québec with their offset, before/after as JSON; every cell that a spreadsheet would run as a formula
    is neutralised (safe_text.neutralise_formula).
    """
    rows = list_audit_events(session, user=user, action=action, entity=entity, entity_id=entity_id, who=who,
                             since=since, until=until, limit=None)
    lang = normalise_lang(lang)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=_DELIMITERS[lang], lineterminator="\r\n")
    writer.writerow([t(f"access.audit.col.{c}", lang) for c in CSV_COLUMNS])
    for row in rows:
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
    return out.getvalue().encode("utf-8-sig")
