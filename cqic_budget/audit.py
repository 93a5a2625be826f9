"""The audit trail: one AuditEvent per change and import, never edited or deleted by the app."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from cqic_budget.models import AuditEvent


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime, Decimal)):
        return str(value)
    return value


def snapshot(row: Any) -> dict:
    """A model row as plain JSON-able values, for before/after."""
    return _jsonable(row.model_dump())


def record(
    session: Session,
    *,
    user: str,
    action: str,
    entity: str,
    entity_id: int | None = None,
    before: dict | None = None,
    after: dict | None = None,
) -> AuditEvent:
    event = AuditEvent(
        user=user, action=action, entity=entity, entity_id=entity_id,
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
    )
    session.add(event)
    return event
