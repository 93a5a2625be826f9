"""The Settings page's budget amendments (SPEC §10, admin): each budget line's original and in-force budget,
the amendments recorded, and the form that records one (cqic_budget.amendments reads what was typed;
budget.record_amendment checks the role and the closed years, audits and bumps the data version)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlmodel import Session

from cqic_budget import ui
from cqic_budget.amendments import (
    AmendmentsView,
    amendment_done,
    amendments_view,
    new_amendment,
    shown_reference,
    typed_rows,
)
from cqic_budget.db import session_scope
from cqic_budget.errors import UserFacingError
from cqic_budget.i18n import format_money, t
from cqic_budget.money import from_cents
from cqic_budget.setup import get_program
from cqic_budget.ui import safe

STATE = "settings.amendments"
LINE_COLUMNS = ("fiscal_year", "category", "amount")
FUNDER_COLUMNS = ("funder", "amount")


@st.cache_data(show_spinner=False, max_entries=32)
def _view(url: str, program_code: str | None, lang: str, version: int, as_of: date) -> AmendmentsView:
    with Session(ui.cached_engine(url)) as session:
        program = get_program(session, program_code)
        return amendments_view(session, program_id=program.id, lang=lang, as_of=as_of)


def lines_frame(view: AmendmentsView, lang: str) -> pd.DataFrame:
    """Original vs in force, per budget line, money formatted as the other tables."""
    def money(cents: int) -> str:
        return format_money(from_cents(cents), lang)

    return pd.DataFrame([{
        t("budget_lines.col.fiscal_year", lang): line.fiscal_year,
        t("budget_lines.col.category", lang): line.label,
        t("budget_lines.col.budget_original", lang): money(line.original),
        t("budget_lines.col.budget", lang): money(line.in_force),
        t("amendments.col.change", lang): money(line.change) if line.change else "",
    } for line in view.lines])


def history_frame(view: AmendmentsView, lang: str) -> pd.DataFrame:
    return pd.DataFrame([{
        t("amendments.col.date", lang): a.effective_date.isoformat(),
        t("amendments.col.reference", lang): shown_reference(a, lang),
        t("amendments.col.approved_by", lang): a.approved_by,
        t("amendments.col.changes", lang): a.describe(lang, view.categories),
        t("amendments.col.reason", lang): a.note,
    } for a in view.amendments])


def _record(edited_lines: pd.DataFrame, edited_funders: pd.DataFrame) -> None:
    lang, state = ui.lang(), st.session_state
    try:
        with session_scope(ui.engine()) as session:
            amendment = new_amendment(
                session, effective_date=state.get(f"{STATE}.date"), reference=state.get(f"{STATE}.reference"),
                approved_by=state.get(f"{STATE}.approved_by"), reason=state.get(f"{STATE}.reason") or "",
                lines=typed_rows(edited_lines.to_dict("records"), LINE_COLUMNS),
                funders=typed_rows(edited_funders.to_dict("records"), FUNDER_COLUMNS),
                user=ui.current_user() or "", program_code=ui.program_code())
            program = get_program(session, ui.program_code())
            done = amendment_done(amendment, amendments_view(session, program_id=program.id, lang=lang), lang)
    except UserFacingError as error:  # a refusal (a repeated reference, a closed year…): nothing written
        st.error(safe.md(error.message(lang)), icon=":material/error:")
        return
    state[f"{STATE}.result"] = ("success", done)
    for name in ("date", "reference", "approved_by", "reason", "lines", "funders"):  # an empty form again
        state.pop(f"{STATE}.{name}", None)
    st.rerun()


def _editor(name: str, columns: tuple[str, ...], config: dict) -> pd.DataFrame:
    """An empty table to fill: one row per change (the amount typed as text, read by money.read_cents)."""
    return st.data_editor(pd.DataFrame(columns=list(columns), dtype="object"), key=f"{STATE}.{name}",
                          num_rows="dynamic", hide_index=True, width="stretch", column_config=config)


def amendments_section() -> None:
    """Original vs in force at the sidebar's as-of date, the amendments, and the form recording one."""
    lang = ui.lang()
    view = _view(ui.store_url(), ui.program_code(), lang, ui.data_version(), ui.as_of())
    st.markdown(f"**{t('amendments.title', lang)}**")
    st.caption(t("amendments.text", lang, date=ui.as_of().isoformat()))
    safe.dataframe(lines_frame(view, lang), hide_index=True, width="stretch")
    if view.amendments:
        safe.dataframe(history_frame(view, lang), hide_index=True, width="stretch")
    else:
        st.caption(t("amendments.none", lang))
    result = st.session_state.pop(f"{STATE}.result", None)
    if result:
        getattr(st, result[0])(safe.md(result[1]))
    with st.form(f"{STATE}.form", border=True):
        st.markdown(f"**{t('amendments.new', lang)}**")
        left, middle, right = st.columns(3)
        left.date_input(t("amendments.col.date", lang), key=f"{STATE}.date", format="YYYY-MM-DD")
        middle.text_input(t("amendments.col.reference", lang), key=f"{STATE}.reference", max_chars=120)
        right.text_input(t("amendments.col.approved_by", lang), key=f"{STATE}.approved_by", max_chars=200)
        st.text_input(t("amendments.col.reason", lang), key=f"{STATE}.reason", max_chars=500)
        st.caption(t("amendments.form_text", lang))
        select, text = st.column_config.SelectboxColumn, st.column_config.TextColumn
        lines = _editor("lines", LINE_COLUMNS, {
            "fiscal_year": select(t("budget_lines.col.fiscal_year", lang), options=list(view.fiscal_years)),
            "category": select(t("budget_lines.col.category", lang), options=list(view.category_labels)),
            "amount": text(t("amendments.col.new_amount", lang)),
        })
        funder_rows = _editor("funders", FUNDER_COLUMNS, {
            "funder": select(t("amendments.col.funder", lang), options=list(view.funder_names)),
            "amount": text(t("amendments.col.new_commitment", lang)),
        })
        if st.form_submit_button(t("amendments.record", lang), type="primary", icon=":material/edit_note:"):
            _record(lines, funder_rows)
