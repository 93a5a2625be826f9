"""The Settings page's content (SPEC §5.8, admin): program settings, the program's tables and the users.

Every change goes through cqic_budget.settings_service or cqic_budget.users, which validate it, audit it and
bump the data version; this module only lays them out. `build_settings` reads everything the page shows
(cached by store, program, language, data version and user); `table_editor` is the one editor of all seven
tables (funders, budget lines, milestones, contributions, indicators, categories, category mapping) and
`save_table_edits` / `error_lines` are its parts that need no Streamlit.

Built without Streamlit; the cached edges and widgets named here live in cqic_budget/ui/settings.py."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session

from cqic_budget.auth import allows, require
from cqic_budget.db import session_scope
from cqic_budget.i18n import format_date, format_number, normalise_lang, t
from cqic_budget.periods import fiscal_years_between
from cqic_budget.settings_service import (
    PROGRAM_FIELDS,
    SaveResult,
    SettingsError,
    budget_total_check,
    editor_options,
    load_table,
    program_settings,
    save_table,
)
from cqic_budget.setup import get_program
from cqic_budget.users import list_users
from cqic_budget.views import safe

# The tabs' tables, in the tabs' order; categories and their spreadsheet labels share the last one.
TABLE_TABS = (("funders",), ("budget_lines", "commitments"), ("milestones",), ("contributions",),
              ("indicators",), ("categories", "category_aliases"))
EDITED_TABLES = tuple(table for group in TABLE_TABS for table in group)


@dataclass(frozen=True)
class TableView:
    table: str
    title: str
    text: str
    frame: pd.DataFrame
    options: dict[str, list[str]]  # choice and reference columns -> what their select boxes offer


@dataclass(frozen=True)
class UserRow:
    email: str
    name: str
    role: str
    added: str


@dataclass(frozen=True)
class SettingsView:
    title: str
    purpose: str
    period: str
    allowed: bool
    refusal: str
    program_id: int
    version: int
    settings: dict  # program_settings: money as Decimal dollars, rates 0..1, choices as codes
    budget_balanced: bool
    budget_check: str
    fiscal_years: tuple[str, ...]  # every fiscal year of the program (a budget line's choices)
    tables: dict[str, TableView]
    manages_users: bool
    users: tuple[UserRow, ...]


def build_settings(session: Session, *, program_code: str | None, lang: str, user: str | None,
                   version: int = 0) -> SettingsView:
    """Everything the page shows. A user without the `settings` permission gets only the refusal."""
    lang = normalise_lang(lang)
    role = require(session, user, "read")
    program = get_program(session, program_code)
    name = program.name_en if lang == "en" else program.name_fr
    allowed = allows(role, "settings")
    check = budget_total_check(session, program.id) if allowed else None
    tables = {
        table: TableView(
            table, t(f"settings_page.table.{table}", lang), t(f"settings_page.table_text.{table}", lang),
            load_table(session, program.id, table, lang), editor_options(session, program.id, table, lang))
        for table in (EDITED_TABLES if allowed else ())
    }
    manages_users = allows(role, "users")
    users = list_users(session, by=user) if manages_users else []
    return SettingsView(
        title=t("settings_page.title", lang),
        purpose=t("settings_page.purpose", lang),
        period=t("settings_page.period", lang, name=safe.md(name), code=program.code),
        allowed=allowed,
        refusal=t("settings_page.refused", lang),
        program_id=program.id,
        version=version,
        settings=program_settings(session, program.id) if allowed else {},
        budget_balanced=check is not None and check.balanced,
        budget_check=check.message(lang) if check else "",
        fiscal_years=tuple(fy.label for fy in fiscal_years_between(program.start_date, program.end_date)),
        tables=tables,
        manages_users=manages_users,
        users=tuple(UserRow(u.email, u.name, u.role, format_date(u.created_at.date(), lang)) for u in users),
    )


# --- the table editor's parts without Streamlit ----------------------------------------------------------


def save_table_edits(
    engine: sa.Engine, *, program_id: int, table: str, edited: pd.DataFrame, user: str | None, lang: str
) -> SaveResult:
    """Save an edited table through the settings service, in one transaction (nothing is written when the
    result has errors; auth.Forbidden when the user may not)."""
    with session_scope(engine) as session:
        return save_table(session, program_id, table, edited, user=user or "", lang=lang)


def error_lines(result: SaveResult, lang: str) -> list[str]:
    """Each error of a refused save, led by its row number in the edited table when it has one."""
    return [e.message if e.row is None else t("settings_page.row_error", lang, row=e.row, message=e.message)
            for e in result.errors]


def refusal_text(error: Exception, lang: str) -> str:
    """A refusal's sentence, what the user typed in it escaped for Markdown."""
    if isinstance(error, SettingsError):
        return error.message(lang, quote=safe.md)
    return error.message(lang)


def counted(key: str, count: int, lang: str) -> str:
    """«0 ligne modifiée», «3 lignes modifiées»: the catalog's plural rule picks the word."""
    return t(key, lang, count=format_number(count, lang))


def saved_text(result: SaveResult, lang: str) -> str:
    """«Enregistré : 1 ligne ajoutée, 2 lignes modifiées.» (only what happened)."""
    if not result.changed:
        return t("settings_page.no_change", lang)
    counts = (("inserted", result.inserted), ("updated", result.updated), ("deleted", result.deleted))
    parts = [counted(f"settings_page.{what}", count, lang) for what, count in counts if count]
    return t("settings_page.saved", lang, parts=", ".join(parts))


def amount_text(value: Decimal, lang: str) -> str:
    """A money setting in the field: «2 100 000,00» / «2,100,000.00» (no currency sign to type around)."""
    return format_number(value, lang, digits=2)


def rate_text(value: Decimal, lang: str) -> str:
    """A rate in the field, as a percent without its sign: «50», «12,5»."""
    percent = (value * 100).normalize()
    return format_number(percent, lang, digits=max(0, -percent.as_tuple().exponent))


def program_field_key(version: int, name: str) -> str:
    """The session key of a program setting's field (the data version in it: a save shows the new value)."""
    return f"settings.program.{version}.{name}"


def form_changes(values: dict) -> dict:
    """The form's values as update_program_settings takes them: percents as «12.5%», money as Decimal."""
    changes = {}
    for column in PROGRAM_FIELDS:
        if column.name not in values:
            continue
        value = values[column.name]
        if column.kind == "rate" and value is not None:
            value = f"{str(value).strip().rstrip('%').strip()}%" if str(value).strip() else ""
        elif column.kind == "money" and isinstance(value, (int, float)):
            value = Decimal(str(value))
        changes[column.name] = value
    return changes
