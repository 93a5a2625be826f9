"""The Audit log page's content, ready to draw: filters, one page of events with their before → after in
words, one event in full, and the CSV export (admins only: cqic_budget.audit_log checks the role).

`build_choices` and `build_events` read the store through audit_log and format for the reader without
Streamlit; `choices()` and `events()` are their cached edges, keyed by the user and the data version.

Built without Streamlit; the cached edges and widgets named here live in cqic_budget/ui/audit.py."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlmodel import Session

from cqic_budget.audit_log import LOCAL_TZ, audit_filter_choices, count_audit_events, list_audit_events
from cqic_budget.auth import LOCAL_USER
from cqic_budget.i18n import (
    DASH,
    format_date,
    format_money,
    format_number,
    format_percent,
    normalise_lang,
    strings,
    t,
)
from cqic_budget.money import from_cents

PAGE_SIZE = 50
KEY = "audit"  # widget-key prefix
ALL = ""
VERBS = ("create", "update", "delete")
MAX_CELL = 80  # characters of one value in the listing; the event in full shows more
MAX_DETAIL = 2000
MAX_ITEMS = 8  # items of a list shown before «… and N more»
# Kept in the listing of an update even when unchanged: they say which row changed.
IDENTIFYING = ("email", "file_name", "code", "name_fr", "label_key")
FIELD_CATALOGS = ("audit_page.field", "settings.field", "merchants_page.field")
# Where a recorded code (a role, a status, a sector…) has its words, tried in order.
VALUE_CATALOGS = (
    "audit_page.value.{field}.{value}", "access.{field}.{value}", "merchants_page.{field}.{value}",
    "settings.choice.{field}.{value}", "import.{field}.{value}",
)
# Left out of the one-line summary (the event in full shows them): long and of little use at a glance.
SUMMARY_SKIP = ("file_sha256", "issues", "sheet")
# What an import or an undo did, right after the fields that say which row it was.
LEADING = ("status", "rows_imported", "amount_cents", "expenses_deleted")


def _known(key: str) -> bool:
    return key in strings()


def entity_label(entity: str, lang: str) -> str:
    key = f"audit_page.entity.{entity}"
    return t(key, lang) if _known(key) else entity


def action_label(action: str, lang: str) -> str:
    """«Importation de dépenses», «Bailleur de fonds — modification»; an unknown action as its code."""
    key = f"audit_page.action.{action}"
    if _known(key):
        return t(key, lang)
    entity, _, verb = action.rpartition(".")
    if verb in VERBS and _known(f"audit_page.entity.{entity}"):
        return t(f"audit_page.verb.{verb}", lang, entity=entity_label(entity, lang))
    return action


def field_label(name: str, lang: str) -> str:
    """A before/after key in words; an amount's `_cents` suffix is dropped (its value is shown in dollars)."""
    base = name.removesuffix("_cents")
    for catalog in FIELD_CATALOGS:
        for candidate in (name, base):
            if _known(f"{catalog}.{candidate}"):
                return t(f"{catalog}.{candidate}", lang)
    return name


def user_label(email: str, lang: str) -> str:
    return t("audit_page.local_user", lang) if email == LOCAL_USER else email


def when(at: datetime, lang: str) -> str:
    """An instant in Québec time: «2026-10-31 14:05»."""
    local = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(LOCAL_TZ)  # stored in UTC
    return f"{format_date(local.date(), lang)} {local:%H:%M}"


def _rate(value: str | int | float, lang: str) -> str:
    """A rate recorded as decimal text: «0.5» -> «50 %», «0.475» -> «47,5 %»."""
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return str(value)
    if not number.is_finite():
        return str(value)
    percent = number * 100
    digits = next((d for d in (0, 1) if percent * 10**d == (percent * 10**d).to_integral_value()), 2)
    return format_percent(number, lang, digits=digits)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def value_text(name: str, value: Any, lang: str, *, limit: int = MAX_CELL) -> str:
    """One recorded value for a reader: amounts in dollars, instants in Québec time, yes/no, short lists."""
    if value is None or value == "":
        return DASH
    if isinstance(value, bool):
        return t("audit_page.yes" if value else "audit_page.no", lang)
    if name.endswith("_cents") and isinstance(value, int):
        return format_money(from_cents(value), lang)
    if name.endswith(("_rate", "_cap")) and isinstance(value, (str, int, float)):
        return _rate(value, lang)
    if isinstance(value, str) and name:
        for template in VALUE_CATALOGS:
            key = template.format(field=name, value=value)
            if _known(key):
                return t(key, lang)
    if name.endswith("_at") and isinstance(value, str):
        try:
            return when(datetime.fromisoformat(value), lang)
        except ValueError:
            pass
    if isinstance(value, int):
        return str(value) if name.endswith(("id", "ids")) else format_number(value, lang)
    if isinstance(value, list):
        shown = ", ".join(value_text(name, item, lang, limit=limit) for item in value[:MAX_ITEMS])
        if len(value) > MAX_ITEMS:
            shown += " " + t("audit_page.more", lang, count=len(value) - MAX_ITEMS)
        return _clip(shown, limit)
    if isinstance(value, dict):
        return _clip(json.dumps(value, ensure_ascii=False, sort_keys=True), limit)
    return _clip(str(value), limit)


def change_lines(before: dict | None, after: dict | None, lang: str, *, limit: int = MAX_CELL) -> list[str]:
    """What an event changed, one line per field: «Rôle : viewer → manager» for an update, «Fichier :
    mars.xlsx» for what was created, «Nom : X (supprimé)» for what was deleted. Unchanged fields of an
    update are left out, except those that say which row it was (e-mail, file, code), which come first,
    then what an import or an undo did (status, rows, amount)."""
    before, after = before or {}, after or {}
    lines: list[tuple[int, str]] = []
    for name in list(after) + [k for k in before if k not in after]:
        if name in SUMMARY_SKIP or (not before and after[name] in (None, "")):
            continue
        old = value_text(name, before.get(name), lang, limit=limit)
        new = value_text(name, after.get(name), lang, limit=limit)
        if name in before and name in after:
            if before[name] == after[name] and name not in IDENTIFYING:
                continue
            shown = new if before[name] == after[name] else f"{old} → {new}"
        elif name in after:
            shown = new if not before else f"{DASH} → {new}"
        else:
            shown = t("audit_page.removed", lang, value=old) if not after else f"{old} → {DASH}"
        line = t("audit_page.field_value", lang, field=field_label(name, lang), value=shown)
        rank = 0 if name in IDENTIFYING else 1 if name in LEADING else 2
        lines.append((rank, line))
    return [line for _, line in sorted(lines, key=lambda pair: pair[0])]


# --- filters ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    """What the reader filters on; empty means everything."""

    actions: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    who: str = ALL
    since: date | None = None
    until: date | None = None

    def query(self) -> dict:
        """The keyword arguments of audit_log's functions."""
        return {"action": list(self.actions) or None, "entity": list(self.entities) or None,
                "who": self.who or None, "since": self.since, "until": self.until}

    @property
    def key(self) -> str:
        """Names the pager's widget: a new filter starts again at page 1."""
        return f"{KEY}.page.{hashlib.sha1(repr(self).encode()).hexdigest()[:12]}"


@dataclass(frozen=True)
class AuditChoices:
    """The page's heading and the options of its filters, as (code, label) pairs."""

    title: str
    intro: str
    actions: tuple[tuple[str, str], ...]
    entities: tuple[tuple[str, str], ...]
    users: tuple[tuple[str, str], ...]  # the first is «all users»
    labels: dict[str, str]  # action, entity, user, since, until, any


def build_choices(session: Session, *, user: str, lang: str) -> AuditChoices:
    """Raises auth.Forbidden unless `user` may read the audit trail."""
    lang = normalise_lang(lang)
    found = audit_filter_choices(session, user=user)
    def by_label(pairs) -> tuple[tuple[str, str], ...]:
        return tuple(sorted(pairs, key=lambda pair: pair[1].lower()))

    actions = by_label((a, action_label(a, lang)) for a in found["actions"])
    entities = by_label((e, entity_label(e, lang)) for e in found["entities"])
    users = [(ALL, t("audit_page.filter.anyone", lang))] + [(u, user_label(u, lang)) for u in found["users"]]
    return AuditChoices(
        title=t("audit_page.title", lang), intro=t("audit_page.intro", lang), actions=actions,
        entities=entities, users=tuple(users),
        labels={name: t(f"audit_page.filter.{name}", lang) for name in
                ("action", "entity", "user", "since", "until", "any")},
    )


# --- one page of events -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EventDetail:
    """One event in full: a title for the picker, and its fields with their values before and after."""

    id: int
    choice: str
    fields: pd.DataFrame


@dataclass(frozen=True)
class AuditEvents:
    count: int
    pages: int
    page: int
    count_line: str
    note: str | None  # why nothing matches (an empty trail, a reversed date range)
    table: pd.DataFrame
    columns: dict[str, str]  # column name -> role (at, user, action, entity, change)
    details: tuple[EventDetail, ...]


def _detail(row: dict, lang: str) -> EventDetail:
    before, after = row["before"] or {}, row["after"] or {}
    names = list(after) + [k for k in before if k not in after]
    fields = pd.DataFrame(
        [{t("audit_page.detail.field", lang): field_label(name, lang),
          t("audit_page.detail.before", lang): value_text(name, before.get(name), lang, limit=MAX_DETAIL)
          if name in before else "",
          t("audit_page.detail.after", lang): value_text(name, after.get(name), lang, limit=MAX_DETAIL)
          if name in after else ""}
         for name in names],
        columns=[t(f"audit_page.detail.{c}", lang) for c in ("field", "before", "after")],
    )
    choice = t("audit_page.detail_choice", lang, id=row["id"], at=when(row["at"], lang),
               action=action_label(row["action"], lang))
    return EventDetail(row["id"], choice, fields)


def build_events(
    session: Session, *, user: str, lang: str, filters: AuditFilters, page: int = 1
) -> AuditEvents:
    """One page of events (newest first) as a table of text; raises auth.Forbidden unless `user` may read
    the audit trail."""
    lang = normalise_lang(lang)
    query = filters.query()
    count = count_audit_events(session, user=user, **query)
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = list_audit_events(session, user=user, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **query)
    columns = {t(f"audit_page.col.{c}", lang): c for c in ("at", "user", "action", "entity", "change")}
    names = {role: name for name, role in columns.items()}

    def entity_ref(row: dict) -> str:
        label = entity_label(row["entity"], lang)
        return label if row["entity_id"] is None else t("audit_page.entity_ref", lang, entity=label,
                                                          id=row["entity_id"])

    table = pd.DataFrame(
        [{names["at"]: when(r["at"], lang), names["user"]: user_label(r["user"], lang),
          names["action"]: action_label(r["action"], lang), names["entity"]: entity_ref(r),
          names["change"]: " · ".join(change_lines(r["before"], r["after"], lang)) or DASH}
         for r in rows],
        columns=list(columns),
    )
    note = None
    if not count:
        reversed_range = filters.since and filters.until and filters.since > filters.until
        note = t("audit_page.bad_range" if reversed_range else "audit_page.empty", lang)
    return AuditEvents(
        count=count, pages=pages, page=page,
        count_line=t("audit_page.count", lang, count=format_number(count, lang), page=page, pages=pages),
        note=note, table=table, columns=columns, details=tuple(_detail(r, lang) for r in rows),
    )
