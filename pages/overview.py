"""Vue d'ensemble / Overview (SPEC §5.1): pace, forecast, Québec share and merchants at a glance."""

import streamlit as st

from cqic_budget import ui
from cqic_budget.ui.brief import send_brief_button
from cqic_budget.ui.drilldown import drill_down
from cqic_budget.ui.overview import overview

view = overview()

st.title(view.title)
st.caption(f"{view.purpose}  \n{view.period}")
ui.kpi_row(view.kpis)
with st.expander(view.spent_drill_title, icon=":material/table_rows:"):
    drill_down(view.drill)

st.subheader(view.curve_title)
ui.chart(view.figure, title=view.curve_title)
st.caption(view.variance)
if view.milestones:
    with st.expander(view.milestones_title):
        st.markdown("\n".join(f"- {line}" for line in view.milestones))
        st.caption(view.milestone_colours)

st.subheader(view.alerts_title)
ui.alert_list(view.alerts, empty=view.no_alerts)

send_brief_button()
