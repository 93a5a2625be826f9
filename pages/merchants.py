"""Commerçants et impact / Merchants & impact (SPEC §5.5): targets vs actuals, indicator changes and the cost
per merchant, filtered by sector, size band and municipality; a merchant's own page for staff."""

import streamlit as st

from cqic_budget import ui
from cqic_budget.ui import merchants as page

view = page.merchants_view()

st.title(view.title)
st.caption(f"{view.purpose}  \n{view.period}")
page.flash()
page.filters(view)
st.caption(view.filter_note)

st.subheader(view.targets_title)
ui.kpi_row(list(view.kpis))

funnel, improvement = st.columns(2)
funnel.subheader(view.funnel_title)
with funnel:
    ui.chart(view.funnel, title=view.funnel_title)
improvement.subheader(view.improvement_title)
with improvement:
    ui.chart(view.improvement, title=view.improvement_title)
    st.caption(view.improvement_note)

st.subheader(view.indicators_title)
page.table(view.indicators, right=view.indicators_right)
st.caption(view.indicators_note)

st.subheader(view.list_title)
st.caption(view.list_note)
page.table(view.merchants, height=320)

if view.staff:
    page.merchant_section(view)
    page.merchant_import_section(view)
