"""Portefeuille de programmes / Program portfolio: every program of the store side by side — budget,
spending, Québec's share and compliance — each opening its own overview (shown with several programs)."""

import streamlit as st

from cqic_budget import ui
from cqic_budget.ui.portfolio import portfolio_view, program_table

view = portfolio_view()

st.title(view.title)
st.caption(f"{view.purpose}  \n{view.period}")
ui.kpi_row(list(view.kpis), per_row=3)

st.subheader(view.table_title)
program_table(view)
st.caption(view.caption)
