"""The Portfolio page's cached view (built by cqic_budget.views.portfolio) and its table of programs, a click
opening a program's Overview."""

from __future__ import annotations

from datetime import date

import streamlit as st
from sqlmodel import Session

from cqic_budget import ui
from cqic_budget.ui import safe
from cqic_budget.ui.tables import TONE_OF_SYMBOL
from cqic_budget.views.portfolio import PortfolioView, build_portfolio, selected_program

TABLE_KEY = "portfolio.table"
OPEN_KEY = "portfolio.open"  # a program was selected in the table: open its overview
OVERVIEW_PAGE = "pages/overview.py"


@st.cache_data(show_spinner=False, max_entries=64)
def _portfolio(url: str, as_of: date, lang: str, version: int) -> PortfolioView:
    with Session(ui.cached_engine(url)) as session:
        return build_portfolio(session, as_of=as_of, lang=lang)


def portfolio_view() -> PortfolioView:
    """Every program at the reader's as-of date, in their language, recomputed when the data change."""
    return _portfolio(ui.store_url(), ui.as_of(), ui.lang(), ui.data_version())


# --- drawing ------------------------------------------------------------------------------------------


def _select(view: PortfolioView) -> None:
    """On selecting a row: remember its program; the run that follows opens its overview."""
    code = selected_program(view, list(st.session_state[TABLE_KEY].selection.rows))
    if code is not None:
        st.session_state[OPEN_KEY] = code


def program_table(view: PortfolioView) -> None:
    """The programs' table (figures right-aligned, statuses coloured, codes as links to each overview);
    selecting a row opens that program's overview."""
    code = st.session_state.pop(OPEN_KEY, None)
    if code is not None:
        # The sidebar's widgets start afresh on another page: the URL carries the reader's choices, as a
        # link to the program would (ui.sync_state_from_url reads them).
        st.switch_page(OVERVIEW_PAGE, query_params={
            ui.PROGRAM_KEY: code, ui.LANG_KEY: ui.lang(), ui.AS_OF_KEY: ui.as_of().isoformat()})
    content = view.table
    config = {column: st.column_config.TextColumn(alignment="right") for column in content.right}
    config[view.link_column] = st.column_config.LinkColumn(display_text=r"program=([^&]+)")
    safe.dataframe(content.frame.style.map(_tone, subset=list(content.status)), hide_index=True,
                 width="stretch", column_config=config, key=TABLE_KEY, on_select=lambda: _select(view),
                 selection_mode="single-row")


def _tone(cell: object) -> str:
    return TONE_OF_SYMBOL.get(str(cell)[:1], "")
