"""The Settings page's cached view (built by cqic_budget.views.settings) and its widgets: the program form,
the table editors, users and access."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlmodel import Session

from cqic_budget import ui
from cqic_budget.auth import ROLES, Forbidden, role_label
from cqic_budget.db import session_scope
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import DASH, format_money, t
from cqic_budget.settings_service import (
    PROGRAM_FIELDS,
    TABLES,
    choice_label,
    field_label,
    update_program_settings,
    validate_program_settings,
)
from cqic_budget.ui import safe
from cqic_budget.ui.amendments import amendments_section
from cqic_budget.ui.closing import closing_section
from cqic_budget.users import add_user, remove_user, set_role
from cqic_budget.views.settings import (
    TABLE_TABS,
    SettingsView,
    amount_text,
    build_settings,
    counted,
    error_lines,
    form_changes,
    program_field_key,
    rate_text,
    refusal_text,
    save_table_edits,
    saved_text,
)

REFERENCE_KINDS = ("choice", "category", "funder", "milestone")
NUMBER_KINDS = ("money", "decimal", "int")
FLASH_KEY = "settings.flash"
PROGRAM_ERRORS_KEY = "settings.program.errors"
MONEY_FORMAT = {"fr": "%.2f $", "en": "$%,.2f"}
ROW_HEIGHT = 35  # pixels per row of st.data_editor


# --- the table editor's columns -------------------------------------------------------------------------


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


def _save_program(program_id: int, version: int) -> None:
    lang = ui.lang()
    values = {c.name: st.session_state.get(program_field_key(version, c.name)) for c in PROGRAM_FIELDS}
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
            getattr(e, "field", "") or "": refusal_text(e, lang) for e in reversed(errors)}
        return
    st.session_state.pop(PROGRAM_ERRORS_KEY, None)
    if not change.after:
        _flash(t("settings_page.no_change", lang), ":material/info:")
    elif change.expenses_recomputed:
        _flash(counted("settings_page.program_saved_recomputed", change.expenses_recomputed, lang))
    else:
        _flash(counted("settings_page.program_saved", len(change.after), lang))


def _program_input(container, column, value, version: int, lang: str) -> None:
    label, key = field_label(column.name, lang), program_field_key(version, column.name)
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
        state["settings.users.error"] = refusal_text(error, lang)
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
            if group[0] == "budget_lines":
                budget_check(view)
            for table in group:
                table_editor(view, table)
            if group[0] == "budget_lines":
                amendments_section()
    with drawn[-2]:
        users_section(view)
    with drawn[-1]:
        closing_section()
