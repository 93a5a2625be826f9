"""The drill-down under a chart: its widgets and the cached page of rows; the choices and the page of rows
are built by cqic_budget.views.drilldown (cqic_budget.drilldown does the SQL)."""

from __future__ import annotations

from datetime import date

import streamlit as st
from sqlmodel import Session

from cqic_budget import ui
from cqic_budget.ui.tables import table
from cqic_budget.views.drilldown import DrillChoices, DrillResult, build_drill


@st.cache_data(show_spinner=False, max_entries=512)
def _drill(url: str, program_code: str | None, as_of: date, lang: str, version: int, period: str,
           category: str, page: int, personal: bool) -> DrillResult:
    with Session(ui.cached_engine(url)) as session:
        return build_drill(session, program_code=program_code, as_of=as_of, lang=lang, period=period,
                           category=category, page=page, personal=personal)


def drill(period: str, category: str, page: int = 1) -> DrillResult:
    personal = ui.may("read_personal")
    return _drill(ui.store_url(), ui.program_code(), ui.as_of(), ui.lang(), ui.data_version(), period,
                  category, page, personal)


def _default(key: str, options: list[str], default: str) -> dict:
    """A picker's key, and its default unless a clicked chart already chose (ui.chart): Streamlit refuses
    both a default and a value set through the session state."""
    if st.session_state.get(key) in options:
        return {"key": key}
    st.session_state.pop(key, None)
    return {"key": key, "index": options.index(default)}


def drill_down(choices: DrillChoices) -> None:
    """The drill-down box: two pickers, the rows' total, the table and, past one page, a pager."""
    with st.container(border=True):
        st.markdown(f"**{choices.title}**")
        st.caption(choices.intro)
        periods, categories = dict(choices.periods), dict(choices.categories)
        left, right = st.columns(2)
        period = left.selectbox(choices.period_label, list(periods), format_func=periods.get,
                                **_default(f"{choices.key}.period", list(periods), choices.default_period))
        category = right.selectbox(choices.category_label, list(categories), format_func=categories.get,
                                   **_default(f"{choices.key}.category", list(categories),
                                              choices.default_category))
        first = drill(period, category)
        slot = st.container()
        page = 1
        if first.pages > 1:
            page = st.pagination(first.pages, key=f"{choices.key}.page.{period}.{category}")
        result = first if page == 1 else drill(period, category, page)
        slot.markdown(result.total_line)
        with slot:
            table(result.table, label=choices.title, max_height=420)
