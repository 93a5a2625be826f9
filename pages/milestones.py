"""Jalons / Milestones (SPEC §5.4): are the milestones met on time, is spending where it was planned at
each, and have the payments tied to them come in?"""

import streamlit as st

from cqic_budget import ui
from cqic_budget.ui.drilldown import drill_down
from cqic_budget.ui.milestones import milestones_view
from cqic_budget.ui.tables import table

view = milestones_view()

st.title(view.title)
st.caption(f"{view.purpose}  \n{view.period}")
if view.empty:
    st.info(view.empty, icon=":material/flag:")
    st.stop()
ui.kpi_row(list(view.kpis), per_row=3)

st.subheader(view.timeline_title)
ui.chart(view.timeline_figure, title=view.timeline_title)
st.caption(view.timeline_caption)

st.subheader(view.progress_title)
ui.chart(view.progress_figure, title=view.progress_title, drill=view.drill)

st.subheader(view.table_title)
table(view.table)
drill_down(view.drill)
