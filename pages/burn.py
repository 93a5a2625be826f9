"""Rythme de dépenses / Burn rate (SPEC §5.2): is the program spending at the right pace, per month,
against the plan and per fiscal year, and what if the pace changed?"""

import streamlit as st

from cqic_budget import ui
from cqic_budget.ui.burn_rate import burn_rate_view, what_if_view
from cqic_budget.ui.drilldown import drill_down
from cqic_budget.ui.tables import notes, table

view = burn_rate_view()

st.title(view.title)
st.caption(f"{view.purpose}  \n{view.period}")
ui.kpi_row(list(view.kpis))

st.subheader(view.monthly_title)
ui.chart(view.monthly_figure)
st.caption(view.monthly_caption)
drill_down(view.drill)

st.subheader(view.curve_title)
ui.chart(view.curve_figure)
st.caption(view.curve_caption)

st.subheader(view.years_title)
ui.chart(view.years_figure)
table(view.years_table)
notes(view.years_notes)

st.subheader(view.lines_title)
st.caption(view.lines_caption)
table(view.lines_table)

st.subheader(view.what_if.title)
st.caption(view.what_if.intro)
monthly = st.number_input(view.what_if.label, min_value=0, value=view.what_if.default, step=view.what_if.step,
                          help=view.what_if.help, key="burn.what_if")
outcome = what_if_view(monthly)
ui.kpi_row(list(outcome.kpis), per_row=3)
st.markdown(outcome.sentence)
