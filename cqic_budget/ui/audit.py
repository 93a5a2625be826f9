"""The Audit log page's cached edges and widgets (filters, the table of events, one event in detail, the CSV);
the choices and the page of events are built by cqic_budget.views.audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import sqlalchemy as sa
import streamlit as st
from sqlmodel import Session

from cqic_budget import ui
from cqic_budget.audit_log import audit_events_csv
from cqic_budget.ui import safe
from cqic_budget.views.audit import (
    ALL,
    KEY,
    AuditChoices,
    AuditEvents,
    AuditFilters,
    build_choices,
    build_events,
)

# Pixels: the instant, user, action and entity just wide enough to read whole; the change the rest.
# Their sum (940 px) fits the main area at 1 440 px (978 px) without scrolling sideways.
COLUMN_WIDTHS = {"at": 120, "user": 160, "action": 220, "entity": 140, "change": 300}


# --- cached edges and drawing -------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=64)
def _choices(url: str, user: str | None, lang: str, version: int) -> AuditChoices:
    with Session(ui.cached_engine(url)) as session:
        return build_choices(session, user=user, lang=lang)


def choices() -> AuditChoices:
    """The filters' options for the reader; raises auth.Forbidden for a role without "audit"."""
    return _choices(ui.store_url(), ui.current_user(), ui.lang(), ui.data_version())


@st.cache_data(show_spinner=False, max_entries=256)
def _events(
    url: str, user: str | None, lang: str, version: int, filters: AuditFilters, page: int
) -> AuditEvents:
    with Session(ui.cached_engine(url)) as session:
        return build_events(session, user=user, lang=lang, filters=filters, page=page)


def events(filters: AuditFilters, page: int = 1) -> AuditEvents:
    return _events(ui.store_url(), ui.current_user(), ui.lang(), ui.data_version(), filters, page)


def filters(options: AuditChoices) -> AuditFilters:
    """The filter bar: actions, entities, a user and a date range (days in Québec, both included)."""
    labels = options.labels
    actions, entities, users = dict(options.actions), dict(options.entities), dict(options.users)
    top = st.columns([3, 2, 2])
    chosen_actions = top[0].multiselect(labels["action"], list(actions), format_func=actions.get,
                                        placeholder=labels["any"], key=f"{KEY}.action")
    chosen_entities = top[1].multiselect(labels["entity"], list(entities), format_func=entities.get,
                                         placeholder=labels["any"], key=f"{KEY}.entity")
    who = top[2].selectbox(labels["user"], list(users), format_func=users.get, key=f"{KEY}.user")
    left, right, _ = st.columns([1, 1, 3])
    since = left.date_input(labels["since"], value=None, format="YYYY-MM-DD", key=f"{KEY}.since")
    until = right.date_input(labels["until"], value=None, format="YYYY-MM-DD", key=f"{KEY}.until")
    return AuditFilters(tuple(chosen_actions), tuple(chosen_entities), who or ALL, since, until)


def csv_export(chosen: AuditFilters) -> Callable[[], bytes]:
    """The CSV of every event the filters keep, built only when the reader clicks (Streamlit runs the
    callable outside the script: capture the engine, user and language now)."""
    engine: sa.Engine = ui.engine()
    user, lang = ui.current_user(), ui.lang()

    def build() -> bytes:
        with Session(engine) as session:
            return audit_events_csv(session, user=user, lang=lang, **chosen.query())

    return build


def show_events(chosen: AuditFilters) -> AuditEvents:
    """The count, the table of one page, the pager (past one page) and the CSV export."""
    first = events(chosen)
    head, export = st.columns([4, 1], vertical_alignment="center")
    page = 1
    slot = st.container()
    if first.pages > 1:
        page = st.pagination(first.pages, key=chosen.key)
    shown = first if page == 1 else events(chosen, page)
    head.markdown(shown.count_line)
    export.download_button(
        ui.t("audit_page.export"), csv_export(chosen), help=ui.t("audit_page.export_help"),
        file_name=ui.t("audit_page.file_name", day=date.today().isoformat()), mime="text/csv",
        on_click="ignore", icon=":material/download:", key=f"{KEY}.export", disabled=not shown.count,
    )
    with slot:
        if shown.note:
            st.info(shown.note, icon=":material/info:")
        else:
            config = {name: st.column_config.TextColumn(width=COLUMN_WIDTHS[role])
                      for name, role in shown.columns.items()}
            safe.dataframe(shown.table, hide_index=True, width="stretch", column_config=config,
                         height=min(38 + 35 * len(shown.table), 600))
    return shown


def show_detail(shown: AuditEvents) -> None:
    """One event of the page in full, every field with its value before and after."""
    if not shown.details:
        return
    details = {d.id: d for d in shown.details}
    with st.expander(ui.t("audit_page.detail"), icon=":material/manage_search:"):
        picked = st.selectbox(ui.t("audit_page.detail"), list(details),
                              format_func=lambda event_id: details[event_id].choice,
                              label_visibility="collapsed", key=f"{KEY}.detail")
        detail = details.get(picked) or shown.details[0]
        if detail.fields.empty:
            st.caption(ui.t("audit_page.detail.nothing"))
        else:
            safe.dataframe(detail.fields, hide_index=True, width="stretch")
