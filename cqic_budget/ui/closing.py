"""The Settings page's fiscal-year closes (SPEC §9, admin): the years with their close, and the buttons
that close, verify and reopen one (cqic_budget.closing checks the role, audits and bumps the data version)."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlmodel import Session

from cqic_budget import ui
from cqic_budget.closing import close_year, reopen_year, verify_close, year_closes
from cqic_budget.db import session_scope
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import format_date, t

STATE = "settings.closing"


def _act(action: str) -> None:
    lang, user, state = ui.lang(), ui.current_user() or "", st.session_state
    label = state.get(f"{STATE}.year")
    try:
        if action == "verify":
            with Session(ui.engine()) as session:
                result = verify_close(session, label, program_code=ui.program_code(), user=user)
            state[f"{STATE}.result"] = ("success" if result.matches else "warning", result.message(lang))
            return
        with session_scope(ui.engine()) as session:
            if action == "close":
                row = close_year(session, label, user=user, program_code=ui.program_code())
                text = t("funding.close.done", lang, label=label, sha=row.statement_sha256)
            else:
                row = reopen_year(session, label, reason=state.get(f"{STATE}.reason") or "", user=user,
                                  program_code=ui.program_code())
                text = t("funding.reopen.done", lang, label=label, reason=row.reopen_reason)
        state[f"{STATE}.result"] = ("success", text)
        state[f"{STATE}.reason"] = ""
    except UserFacingError as error:
        state[f"{STATE}.result"] = ("error", error.message(lang))


def closing_section() -> None:
    """The table of fiscal years and their close, then close / verify / reopen for the chosen year."""
    lang = ui.lang()
    st.caption(t("closing_page.intro", lang))
    with Session(ui.engine()) as session:
        years = year_closes(session, program_code=ui.program_code())
    frame = pd.DataFrame([{
        t("closing_page.col.year", lang): y.fiscal_year,
        t("closing_page.col.state", lang): t("closing_page.state." + (
            "closed" if y.closed else "reopened" if y.reopened_by else "open"), lang),
        t("closing_page.col.by", lang): y.closed_by or "",
        t("closing_page.col.at", lang): format_date(y.closed_at.date(), lang) if y.closed_at else "",
        t("closing_page.col.sha", lang): y.statement_sha256 or "",
        t("closing_page.col.reason", lang): y.reopen_reason,
    } for y in years])
    st.dataframe(frame, hide_index=True, width="stretch")
    result = st.session_state.pop(f"{STATE}.result", None)
    if result:
        getattr(st, result[0])(result[1])
    labels = [y.fiscal_year for y in years]
    st.selectbox(t("closing_page.year", lang), labels, key=f"{STATE}.year")
    chosen = next((y for y in years if y.fiscal_year == st.session_state.get(f"{STATE}.year")), years[0])
    left, middle, right = st.columns(3)
    left.button(t("closing_page.close", lang), icon=":material/lock:", disabled=not chosen.can_close,
                on_click=_act, args=("close",), key=f"{STATE}.close")
    middle.button(t("closing_page.verify", lang), icon=":material/verified:",
                  disabled=chosen.statement_sha256 is None, on_click=_act, args=("verify",),
                  key=f"{STATE}.verify")
    with right.container(border=True):
        st.text_input(t("closing_page.reason", lang), key=f"{STATE}.reason", max_chars=1000)
        st.button(t("closing_page.reopen", lang), icon=":material/lock_open:", disabled=not chosen.closed,
                  on_click=_act, args=("reopen",), key=f"{STATE}.reopen")
