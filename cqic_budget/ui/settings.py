"""The Settings page's content (SPEC §5.8, admin): program settings, the program's tables and the users.

Every change goes through cqic_budget.settings_service or cqic_budget.users, which validate it, audit it and
bump the data version; this module only lays them out. `build_settings` reads everything the page shows
(cached by store, program, language, data version and user); `table_editor` is the one editor of all seven
tables (funders, budget lines, milestones, contributions, indicators, categories, category mapping) and
`save_table_edits` / `error_lines` are its parts that need no Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from sqlmodel import Session

from cqic_budget import ui
from cqic_budget.auth import ROLES, Forbidden, allows, require, role_label
from cqic_budget.db import session_scope
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import DASH, format_date, format_money, format_number, normalise_lang, t
from cqic_budget.periods import fiscal_years_between
from cqic_budget.settings_service import (
    PROGRAM_FIELDS,
    TABLES,
    SaveResult,
    SettingsError,
    budget_total_check,
    choice_label,
    editor_options,
    field_label,
    load_table,
    program_settings,
    save_table,
    update_program_settings,
    validate_program_settings,
)
from cqic_budget.setup import get_program
from cqic_budget.ui import safe
from cqic_budget.ui.closing import closing_section
from cqic_budget.users import add_user, list_users, remove_user, set_role

# The tabs' tables, in the tabs' order; categories and their spreadsheet labels share the last one.
TABLE_TABS = (("funders",), ("budget_lines", "commitments"), ("milestones",), ("contributions",),
              ("indicators",), ("categories", "category_aliases"))
EDITED_TABLES = tuple(table for group in TABLE_TABS for table in group)
REFERENCE_KINDS = ("choice", "category", "funder", "milestone")
NUMBER_KINDS = ("money", "decimal", "int")
FLASH_KEY = "settings.flash"
PROGRAM_ERRORS_KEY = "settings.program.errors"
MONEY_FORMAT = {"fr": "%.2f $", "en": "$%,.2f"}
ROW_HEIGHT = 35  # pixels per row of st.data_editor


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


def _message(error: Exception, lang: str) -> str:
    """A refusal's sentence, what the user typed in it escaped for Markdown."""
    if isinstance(error, SettingsError):
        return error.message(lang, quote=safe.md)
    return error.message(lang)


def counted(key: str, count: int, lang: str) -> str:
    """«1 ligne modifiée», «3 lignes modifiées»: key.one or key.many."""
    return t(f"{key}.{'one' if count == 1 else 'many'}", lang, count=format_number(count, lang))


def saved_text(result: SaveResult, lang: str) -> str:
    """«Enregistré : 1 ligne ajoutée, 2 lignes modifiées.» (only what happened)."""
    if not result.changed:
        return t("settings_page.no_change", lang)
    counts = (("inserted", result.inserted), ("updated", result.updated), ("deleted", result.deleted))
    parts = [counted(f"settings_page.{what}", count, lang) for what, count in counts if count]
    return t("settings_page.saved", lang, parts=", ".join(parts))


def column_config(
    table: str, options: dict[str, list[str]], fiscal_years: tuple[str, ...], lang: str
) -> dict:
    """st.data_editor's columns for `table`: headers from field_label, select boxes for choices and
    references, the id kept but hidden (it tells the service which stored row an edited row is)."""
    config: dict = {"id": None}
    for column in TABLES[table].columns:
        label, kind = field_label(column.name, lang), column.kind
        required = column.required and kind != "bool"
        if kind in REFERENCE_KINDS:
            config[column.name] = st.column_config.SelectboxColumn(label, options=options[column.name],
                                                                   required=required)
        elif kind == "fiscal_year":
            config[column.name] = st.column_config.SelectboxColumn(label, options=list(fiscal_years),
                                                                   required=required)
        elif kind in NUMBER_KINDS:
            money = kind == "money"
            low = 0 if column.minimum == 0 or column.positive else None
            step = 1 if kind == "int" else (0.01 if money else None)
            shown = MONEY_FORMAT[lang] if money else ("%d" if kind == "int" else None)
            config[column.name] = st.column_config.NumberColumn(
                label, required=required, min_value=low, step=step, format=shown)
        elif kind == "bool":
            config[column.name] = st.column_config.CheckboxColumn(label)
        elif kind == "date":
            config[column.name] = st.column_config.DateColumn(label, format="YYYY-MM-DD", required=required)
        else:
            # Free text is the widest: a fixed width keeps every column of a table in view.
            config[column.name] = st.column_config.TextColumn(
                label, max_chars=column.max_length, required=required,
                width="medium" if kind == "text" else None)
    return config


# --- cached edge --------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def _settings(url: str, program_code: str | None, lang: str, version: int, user: str | None) -> SettingsView:
    with Session(ui.cached_engine(url)) as session:
        return build_settings(session, program_code=program_code, lang=lang, user=user, version=version)


def settings_view() -> SettingsView:
    return _settings(ui.store_url(), ui.program_code(), ui.lang(), ui.data_version(), ui.current_user())


# --- drawing and actions ------------------------------------------------------------------------------


def _flash(text: str, icon: str = ":material/check_circle:") -> None:
    st.session_state[FLASH_KEY] = (text, icon)


def flash() -> None:
    """The outcome of the last change, once, as a toast."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.toast(message[0], icon=message[1])


def table_editor(view: SettingsView, table: str) -> None:
    """One table of the program: edit it in place (rows can be added and deleted), then save it as a whole.
    A refused save lists its errors by row and writes nothing; a save reruns the page on the new data."""
    lang = ui.lang()
    shown = view.tables[table]
    st.markdown(f"**{shown.title}**")
    st.caption(shown.text)
    config = column_config(table, shown.options, view.fiscal_years, lang)
    # Tall enough to show every row of a program's table (and the row to add), scrolling past 25.
    height = (min(len(shown.frame), 25) + 2) * ROW_HEIGHT + 3
    edited = st.data_editor(shown.frame, key=f"settings.editor.{table}", num_rows="dynamic", hide_index=True,
                            width="stretch", height=height, column_config=config, placeholder=DASH,
                            alt=shown.title)
    if not st.button(t("settings_page.save", lang), key=f"settings.save.{table}", type="primary",
                     icon=":material/save:"):
        return
    try:
        result = save_table_edits(ui.engine(), program_id=view.program_id, table=table, edited=edited,
                                  user=ui.current_user(), lang=lang)
    except Forbidden as error:
        st.error(error.message(lang), icon=":material/lock:")
        return
    if not result.ok:
        st.error(counted("settings_page.not_saved", len(result.errors), lang), icon=":material/error:")
        st.markdown("\n".join(f"- {line}" for line in error_lines(result, lang)))
        return
    _flash(saved_text(result, lang), ":material/check_circle:" if result.changed else ":material/info:")
    st.rerun()


def budget_check(view: SettingsView) -> None:
    if view.budget_balanced:
        st.caption(f":material/check_circle: {view.budget_check}")
    else:
        st.warning(view.budget_check, icon=":material/warning:")


# Program settings: the form's inputs by field kind. Rates are typed as percents (50 for 0.50).

def amount_text(value: Decimal, lang: str) -> str:
    """A money setting in the field: «2 100 000,00» / «2,100,000.00» (no currency sign to type around)."""
    return format_number(value, lang, digits=2)


def rate_text(value: Decimal, lang: str) -> str:
    """A rate in the field, as a percent without its sign: «50», «12,5»."""
    percent = (value * 100).normalize()
    return format_number(percent, lang, digits=max(0, -percent.as_tuple().exponent))


def _program_key(version: int, name: str) -> str:
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


def _save_program(program_id: int, version: int) -> None:
    lang = ui.lang()
    values = {c.name: st.session_state.get(_program_key(version, c.name)) for c in PROGRAM_FIELDS}
    changes = form_changes(values)
    try:
        with session_scope(ui.engine()) as session:
            errors = validate_program_settings(session, program_id, changes)
            if not errors:
                change = update_program_settings(session, program_id, changes, user=ui.current_user() or "")
    except UserFacingError as error:
        errors = [error]
    if errors:
        st.session_state[PROGRAM_ERRORS_KEY] = {
            getattr(e, "field", "") or "": _message(e, lang) for e in reversed(errors)}
        return
    st.session_state.pop(PROGRAM_ERRORS_KEY, None)
    if not change.after:
        _flash(t("settings_page.no_change", lang), ":material/info:")
    elif change.expenses_recomputed:
        _flash(counted("settings_page.program_saved_recomputed", change.expenses_recomputed, lang))
    else:
        _flash(counted("settings_page.program_saved", len(change.after), lang))


def _program_input(container, column, value, version: int, lang: str) -> None:
    label, key = field_label(column.name, lang), _program_key(version, column.name)
    kind = column.kind
    if kind == "text":
        container.text_input(label, value=value or "", max_chars=column.max_length, key=key)
    elif kind == "date":
        container.date_input(label, value=value, format="YYYY-MM-DD", min_value=date(2000, 1, 1),
                             max_value=date(2100, 12, 31), key=key)
    elif kind == "money":
        # Text in the reader's format («2 100 000,00»): the service reads it back and says what is wrong.
        container.text_input(t("settings_page.dollars", lang, label=label), value=amount_text(value, lang),
                             key=key, help=t("settings_page.stored", lang, value=format_money(value, lang)))
    elif kind == "rate":
        # Text too, not a number field whose range check is an English tooltip and a silent Save.
        container.text_input(t("settings_page.percent", lang, label=label), value=rate_text(value, lang),
                             key=key, help=t("settings_page.rate_help", lang))
    elif kind == "choice":
        container.selectbox(label, column.choices, index=column.choices.index(value),
                            format_func=lambda code: choice_label(column.choice_group, code, lang), key=key)
    else:
        container.number_input(label, value=int(value), min_value=column.minimum, max_value=column.maximum,
                               step=1, key=key)


# The form's rows: (section title key or None, fields side by side).
PROGRAM_LAYOUT = (
    ("settings_page.section.program", ("name_fr", "name_en")),
    (None, ("start_date", "end_date", "budget_total")),
    ("settings_page.section.rates", ("quebec_rate", "stacking_cap", "holdback_rate")),
    (None, ("admin_cap", "admin_base", "tax_recovery_rate")),
    (None, ("budget_transfer_tolerance",)),
    ("settings_page.section.pace", ("burn_window_months", "target_merchants_reached",
                                    "target_merchants_supported", "target_merchants_completed")),
    ("settings_page.section.privacy", ("min_group_size",)),
)


def program_form(view: SettingsView) -> None:
    """The program's settings; each refused field shows its error under it, nothing is saved then."""
    lang = ui.lang()
    columns = {c.name: c for c in PROGRAM_FIELDS}
    errors = st.session_state.get(PROGRAM_ERRORS_KEY) or {}
    if errors:
        st.error(t("settings_page.program_not_saved", lang), icon=":material/error:")
    with st.form("settings.program", border=True):
        for section, names in PROGRAM_LAYOUT:
            if section:
                st.markdown(f"**{t(section, lang)}**")
            # Inputs aligned at the bottom (a label may wrap), each field's error right under it.
            row = st.columns(len(names), vertical_alignment="bottom")
            for container, name in zip(row, names, strict=True):
                _program_input(container, columns[name], view.settings[name], view.version, lang)
            if any(name in errors for name in names):
                for container, name in zip(st.columns(len(names)), names, strict=True):
                    if name in errors:
                        container.error(errors[name])
        if "" in errors:
            st.error(errors[""])
        st.caption(t("settings_page.program_note", lang))
        st.form_submit_button(t("settings_page.save", lang), type="primary", icon=":material/save:",
                              on_click=_save_program, args=(view.program_id, view.version))


# Users: add, change a role, remove (users.py checks, audits and bumps the data version).


def _user_action(action: str) -> None:
    lang, by = ui.lang(), ui.current_user() or ""
    state = st.session_state
    try:
        with session_scope(ui.engine()) as session:
            if action == "add":
                email = (state.get("settings.users.email") or "").strip()
                user = add_user(session, email, state.get("settings.users.role"), by=by,
                                name=state.get("settings.users.name") or None)
                text = t("settings_page.user_added", lang, email=safe.md(user.email),
                              role=role_label(user.role, lang))
            elif action == "role":
                email = state.get("settings.users.change_email") or ""
                user = set_role(session, email, state.get("settings.users.change_role"), by=by)
                text = t("settings_page.user_changed", lang, email=safe.md(user.email),
                         role=role_label(user.role, lang))
            else:
                email = state.get("settings.users.remove_email") or ""
                remove_user(session, email, by=by)
                text = t("settings_page.user_removed", lang, email=safe.md(email))
    except UserFacingError as error:
        state["settings.users.error"] = _message(error, lang)
        return
    state.pop("settings.users.error", None)
    state["settings.users.email"] = state["settings.users.name"] = ""
    state["settings.users.remove_confirm"] = False
    _flash(text)


def users_section(view: SettingsView) -> None:
    lang = ui.lang()
    if not view.manages_users:
        st.info(t("settings_page.users_refused", lang), icon=":material/lock:")
        return
    st.caption(t("settings_page.users_text", lang))
    error = st.session_state.pop("settings.users.error", None)
    if error:
        st.error(error, icon=":material/error:")
    if view.users:
        frame = pd.DataFrame(
            [{t("access.users.col.email", lang): u.email, t("access.users.col.name", lang): u.name,
              t("access.users.col.role", lang): role_label(u.role, lang),
              t("access.users.col.created_at", lang): u.added} for u in view.users])
        safe.dataframe(frame, hide_index=True)
    else:
        st.caption(t("settings_page.no_users", lang))

    def roles(key: str) -> None:
        # The least access by default: a role is given on purpose.
        st.selectbox(t("access.users.col.role", lang), ROLES, index=ROLES.index("viewer"),
                     format_func=lambda r: role_label(r, lang), key=key)

    add, change, remove = st.columns(3)
    with add.form("settings.users.add", border=True):
        st.markdown(f"**{t('settings_page.user_add', lang)}**")
        st.text_input(t("access.users.col.email", lang), key="settings.users.email")
        st.text_input(t("settings_page.user_name", lang), key="settings.users.name")
        roles("settings.users.role")
        st.form_submit_button(t("settings_page.user_add_button", lang), icon=":material/person_add:",
                              on_click=_user_action, args=("add",))
    emails = [u.email for u in view.users]
    if not emails:
        return
    with change.container(border=True):
        st.markdown(f"**{t('settings_page.user_change', lang)}**")
        st.selectbox(t("access.users.col.email", lang), emails, key="settings.users.change_email")
        roles("settings.users.change_role")
        st.button(t("settings_page.user_change_button", lang), icon=":material/manage_accounts:",
                  on_click=_user_action, args=("role",), key="settings.users.change")
    with remove.container(border=True):
        st.markdown(f"**{t('settings_page.user_remove', lang)}**")
        st.selectbox(t("access.users.col.email", lang), emails, key="settings.users.remove_email")
        confirmed = st.checkbox(t("settings_page.user_remove_confirm", lang),
                                key="settings.users.remove_confirm")
        st.button(t("settings_page.user_remove_button", lang), icon=":material/person_remove:",
                  disabled=not confirmed, on_click=_user_action, args=("remove",),
                  key="settings.users.remove")


def tabs(view: SettingsView) -> None:
    """The page's tabs: program settings, one per table group, users."""
    lang = ui.lang()
    labels = [t("settings_page.tab.program", lang)]
    labels += [t(f"settings_page.tab.{group[0]}", lang) for group in TABLE_TABS]
    labels.append(t("settings_page.tab.users", lang))
    labels.append(t("closing_page.tab", lang))
    drawn = st.tabs(labels)
    with drawn[0]:
        budget_check(view)
        program_form(view)
    for tab, group in zip(drawn[1:-2], TABLE_TABS, strict=True):
        with tab:
            if group == ("budget_lines",):
                budget_check(view)
            for table in group:
                table_editor(view, table)
    with drawn[-2]:
        users_section(view)
    with drawn[-1]:
        closing_section()
